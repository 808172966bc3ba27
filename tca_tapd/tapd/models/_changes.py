"""Change records: story and task changes (``WorkitemChange``), bug changes (``BugChange``).

TAPD sends a ``WorkitemChange``'s ``changes`` as a JSON *string* (a list of
``{field, value_before, value_after}``), beside an already decoded
``field_changes`` list; older values carry ``\\uXXXX`` escapes as text. Both
arrive here as tuples of :class:`FieldChange` with the escapes decoded. Values
stay as sent otherwise (TAPD mixes strings and numbers: ``"value_after": 4``).
Sources: go-tapd/tapd's ``get_story_changes`` and ``get_bug_changes`` fixtures;
DevLake's handling of escaped change values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NewType

import cattrs
from attrs import define

from ..._convert import Model
from .._types import LinkId, UnicodeText, decode_json_text, unescape_unicode

__all__ = ["BugChange", "Changes", "FieldChange", "WorkitemChange", "register_change_hooks"]


@define(frozen=True)
class FieldChange(Model):
    """One field's change inside a change record."""

    field: str
    value_before: Any = None
    value_after: Any = None
    value_before_parsed: Any = None
    value_after_parsed: Any = None
    field_label: str | None = None


Changes = NewType("Changes", tuple[FieldChange, ...])
"""Field changes, from a JSON string or a list (``null`` and ``""`` are ``()``)."""
NO_CHANGES = Changes(())


@define(frozen=True)
class WorkitemChange(Model):
    """A change to a story or task (``story_changes``, ``task_changes``)."""

    id: str
    workspace_id: int | None = None
    app_id: str | None = None
    workitem_type_id: LinkId | None = None
    creator: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    change_summary: str | None = None
    change_type: str | None = None
    change_type_text: str | None = None
    comment: str | None = None
    entity_type: str | None = None
    story_id: LinkId | None = None
    task_id: LinkId | None = None
    changes: Changes = NO_CHANGES
    field_changes: Changes = NO_CHANGES


@define(frozen=True)
class BugChange(Model):
    """A change to one field of a bug (``bug_changes``); values with escapes decoded."""

    id: str
    bug_id: str | None = None
    workspace_id: int | None = None
    author: str | None = None
    field: str | None = None
    old_value: UnicodeText | None = None
    new_value: UnicodeText | None = None
    memo: str | None = None
    created: datetime | None = None


def _unescaped(value: Any) -> Any:
    if isinstance(value, str):
        return unescape_unicode(value)
    if isinstance(value, list):
        return [_unescaped(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _unescaped(v) for k, v in value.items()}
    return value


def register_change_hooks(conv: cattrs.Converter) -> None:
    """Structure :data:`Changes` from TAPD's JSON string (or list) on ``conv``."""
    item_hook = conv.get_structure_hook(FieldChange)

    def structure_changes(value: Any, _: Any) -> tuple[FieldChange, ...]:
        decoded = decode_json_text(value)
        if decoded is None or decoded == "":
            return ()
        if not isinstance(decoded, list):
            raise TypeError(f"expected a list of changes, got {type(decoded).__name__}")
        return tuple(item_hook(_unescaped(item), FieldChange) for item in decoded)

    conv.register_structure_hook(Changes, structure_changes)
