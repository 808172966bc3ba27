"""Stories (需求): ``/stories``, ``/stories/count``, create and update by ``POST /stories``.

Modelled on TAPD's ``get_stories``/``add_story``/``update_story`` reference pages
(TAPD.md §4): ``name`` is required to create; an update is the same POST with
``id`` (and ``current_user`` to attribute it); ``v_status`` sets a status by its
Chinese name. ``get_fields_info`` and ``custom_fields_settings`` as documented.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._collection import Spec
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
