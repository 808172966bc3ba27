"""Configuration: custom-field settings, field info, workitem types, story categories,
workflow transitions.

Sources: go-tapd/tapd's ``get_story_custom_fields_settings`` and
``get_story_fields_info`` fixtures; TAPD's ``get_workitem_types`` and
``get_workflow_all_transitions`` reference pages. The ``Category`` fields are
inferred from the other TAPD objects (``story_categories`` has no fixture here).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import define

from ..._convert import Model
from .._types import JsonText, LinkId, Options

NO_OPTIONS = Options({})

__all__ = ["Category", "CustomFieldConfig", "FieldInfo", "WorkflowTransition", "WorkitemType"]


@define(frozen=True)
class CustomFieldConfig(Model):
    """How one ``custom_field_*`` of an entity is set up (``…/custom_fields_settings``).

    ``custom_field`` is the key items use; ``name`` its display name; ``options``
    is decoded from the JSON string TAPD sends (``None`` when absent).
    """

    id: str
    custom_field: str
    name: str | None = None
    type: str | None = None
    entry_type: str | None = None
    workspace_id: int | None = None
    app_id: str | None = None
    options: JsonText | None = None
    extra_config: JsonText | None = None
    enabled: bool | None = None
    freeze: bool | None = None
    sort: int | None = None
    memo: str | None = None
    open_extension_id: str | None = None
    is_out: bool | None = None
    is_uninstall: bool | None = None
    app_name: str | None = None


@define(frozen=True)
class FieldInfo(Model):
    """A field's label and candidate values (``stories/get_fields_info``).

    ``options`` is ``{value: label}``: TAPD's ``[]`` for none is ``{}``. A cascade
    field sends a tree instead; it is in :attr:`option_tree` (and ``raw``).
    """

    name: str
    label: str | None = None
    html_type: str | None = None
    options: Options = NO_OPTIONS
    pure_options: tuple[Mapping[str, Any], ...] = ()
    user_options: tuple[Mapping[str, Any], ...] = ()
    readonly: bool | None = None
    memo: str | None = None

    @property
    def option_tree(self) -> tuple[Any, ...]:
        """The options when TAPD sent a list of nodes (cascade fields), else ``()``."""
        options = self.raw.get("options")
        return tuple(options) if isinstance(options, list) else ()


@define(frozen=True)
class WorkitemType(Model):
    """A story category in the workflow sense (需求类别), each with its own workflow."""

    id: str
    name: str | None = None
    workspace_id: int | None = None
    entity_type: str | None = None
    english_name: str | None = None
    status: str | None = None
    color: str | None = None
    workflow_id: LinkId | None = None
    icon: str | None = None
    icon_small: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified_by: str | None = None
    modified: datetime | None = None


@define(frozen=True)
class Category(Model):
    """A story category (需求分类) of ``story_categories`` (fields inferred)."""

    id: str
    name: str | None = None
    workspace_id: int | None = None
    description: str | None = None
    parent_id: LinkId | None = None
    creator: str | None = None
    created: datetime | None = None
    modifier: str | None = None
    modified: datetime | None = None


@define(frozen=True)
class WorkflowTransition(Model):
    """One allowed status change (``workflows/all_transitions``), with TAPD's names.

    ``Appendfield`` lists the fields the transition asks for (``FieldName``,
    ``Notnull``…).
    """

    Name: str
    StepPrevious: str | None = None
    StepNext: str | None = None
    Appendfield: tuple[Mapping[str, Any], ...] = ()
