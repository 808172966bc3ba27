"""Comments: ``/comments``, ``/comments/count``, create and update by ``POST /comments``.

Modelled on TAPD.md §4 and go-tapd's ``get_comments`` fixture: ``entry_type`` is
``bug``, ``bug_remark``, ``stories``, ``tasks`` (or ``wiki``, ``mini_items``); an
update takes ``id``, ``description`` and ``change_creator``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._validate import check_id
from ._collection import Collection, Spec
from .models import Comment

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Comments"]


class Comments(Collection[Comment]):
    """Comments on work items. Reached as ``tapd.comments``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/comments",
                wrapper="Comment",
                model=Comment,
                count_path="/comments/count",
                save_path="/comments",
                required=("entry_type", "entry_id", "description", "author"),
            ),
        )

    async def create(
        self,
        workspace_id: int,
        *,
        entry_type: str,
        entry_id: int | str,
        description: str,
        author: str,
        timeout: float | None = None,
        **fields: Any,
    ) -> Comment:
        """Comment on a work item (``description`` is HTML). Not retried."""
        entry = {"entry_type": entry_type, "entry_id": check_id("entry_id", entry_id)}
        return await self._save(
            workspace_id, {**entry, "description": description, "author": author, **fields}, timeout
        )
