"""Wiki pages: ``/tapd_wikis``, ``/tapd_wikis/count``, create and update by
``POST /tapd_wikis``.

Modelled on TAPD.md §4 and go-tapd's ``get_wikis`` fixture (``Wiki`` items); a
create needing ``name`` is inferred.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._collection import Collection, Spec
from .models import Wiki

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Wikis"]


class Wikis(Collection[Wiki]):
    """Wiki pages of a workspace. Reached as ``tapd.wikis``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/tapd_wikis",
                wrapper="Wiki",
                model=Wiki,
                count_path="/tapd_wikis/count",
                save_path="/tapd_wikis",
                required=("name",),
            ),
        )

    async def create(
        self, workspace_id: int, *, name: str, timeout: float | None = None, **fields: Any
    ) -> Wiki:
        """Create a page (``markdown_description``, ``creator``, ``parent_wiki_id``…).
        Not retried."""
        return await self._save(workspace_id, {"name": name, **fields}, timeout)
