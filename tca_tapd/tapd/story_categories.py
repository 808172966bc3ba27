"""Story categories (需求分类): ``/story_categories``, ``/story_categories/count``, create
and update by ``POST /story_categories`` (TAPD.md §4; the ``Category`` wrapper as
listed there; a create needing ``name`` is inferred)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._collection import Collection, Spec
from .models import Category

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["StoryCategories"]


class StoryCategories(Collection[Category]):
    """Story categories of a workspace. Reached as ``tapd.story_categories``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/story_categories",
                wrapper="Category",
                model=Category,
                count_path="/story_categories/count",
                save_path="/story_categories",
                required=("name",),
            ),
        )

    async def create(
        self, workspace_id: int, *, name: str, timeout: float | None = None, **fields: Any
    ) -> Category:
        """Create a category (``parent_id`` for a sub-category). Not retried."""
        return await self._save(workspace_id, {"name": name, **fields}, timeout)
