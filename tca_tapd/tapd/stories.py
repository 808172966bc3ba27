"""Stories (需求): ``/stories``, ``/stories/count``, create and update by ``POST /stories``.

Modelled on TAPD's ``get_stories``/``add_story``/``update_story`` reference pages
(TAPD.md §4): ``name`` is required to create; an update is the same POST with
``id`` (and ``current_user`` to attribute it); ``v_status`` sets a status by its
Chinese name. ``get_fields_info`` and ``custom_fields_settings`` as documented.
``copy`` follows TAPD's ``copy_story`` reference page (``POST /stories/copy_story``,
answering ``{"Story": …}`` as go-tapd's ``copy_story`` fixture does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._validate import check_id
from ._collection import Spec
from ._common import form, unwrapper
from ._workitems import WorkItems
from .models import Story

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["STORIES", "Stories"]

STORIES = Spec(
    path="/stories",
    wrapper="Story",
    model=Story,
    count_path="/stories/count",
    save_path="/stories",
    required=("name",),
    settings_path="/stories/custom_fields_settings",
    fields_info_path="/stories/get_fields_info",
)
"""How ``tapd.stories`` reaches TAPD: ``/stories`` routes, ``Story`` items, ``name`` to create."""


class Stories(WorkItems[Story]):
    """Stories of a workspace. Reached as ``tapd.stories``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, STORIES)

    async def create(
        self, workspace_id: int, *, name: str, timeout: float | None = None, **fields: Any
    ) -> Story:
        """Create a story: ``name`` plus any TAPD fields (``owner="a;b"``,
        ``iteration_id``, ``priority_label``, ``custom_field_*``…). Not retried."""
        return await self._save(workspace_id, {"name": name, **fields}, timeout)

    async def get(
        self,
        workspace_id: int,
        story_id: int | str,
        *,
        fields: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Story:
        """One story by id; ``fields`` trims it (``id`` is always kept).

        Raises:
            NotFoundError: the workspace has no story with this id.
        """
        return await self._get(workspace_id, story_id, "story_id", fields, timeout)

    async def update(
        self, workspace_id: int, story_id: int | str, *, timeout: float | None = None, **fields: Any
    ) -> Story:
        """Change fields of a story (``current_user`` attributes the change,
        ``v_status`` sets a status by its name); the updated story. Not retried.

        Raises:
            ValueError: no field given, or ``workspace_id``/``id`` among the fields.
        """
        return await self._save(workspace_id, fields, timeout, story_id, "story_id")

    async def copy(
        self,
        workspace_id: int,
        story_id: int | str,
        *,
        dst_workspace_id: int,
        sync_fields: str | Iterable[str] | None = None,
        dst_workitem_type_id: int | str | None = None,
        new_creator: str | None = None,
        new_status: str | None = None,
        timeout: float | None = None,
    ) -> Story:
        """Copy a story into ``dst_workspace_id`` (which may be its own); the new story.

        ``sync_fields``: what the copy takes besides, in TAPD's names, as a list or a
        comma-separated string (``status``,
        ``owner``, ``begin_due``, ``iteration_id``, ``comments``,
        ``custom_field::<显示名>``…, as its reference page lists them);
        ``dst_workitem_type_id``: the new story's category; ``new_creator`` and
        ``new_status``: its creator and status. Not retried.

        Raises:
            ValueError, TypeError: a bad id, or an empty sync field name (before any
                request).
        """
        fields = {
            "workspace_id": check_id("workspace_id", workspace_id),
            "src_story_id": check_id("story_id", story_id),
            "dst_workspace_id": check_id("dst_workspace_id", dst_workspace_id),
            "sync_fields": _sync_fields(sync_fields),
            "dst_workitem_type_id": None
            if dst_workitem_type_id is None
            else check_id("dst_workitem_type_id", dst_workitem_type_id),
            "new_creator": new_creator,
            "new_status": new_status,
        }
        data = await self._client._request(
            "POST", "/stories/copy_story", data=form(fields), expect=dict, timeout=timeout
        )
        return self._client._one(unwrapper("Story")(data), Story)


def _sync_fields(names: str | Iterable[str] | None) -> str | None:
    """``sync_fields`` as TAPD's comma list, each name checked."""
    if names is None:
        return None
    chosen = names.split(",") if isinstance(names, str) else list(names)
    for name in chosen:
        if not isinstance(name, str):
            raise TypeError(f"sync_fields must hold str, got {type(name).__name__} {name!r}")
        if not name.strip() or "," in name:
            raise ValueError(f"sync_fields: {name!r} is not one field name")
    return ",".join(name.strip() for name in chosen) or None
