"""Bugs (缺陷): ``/bugs``, ``/bugs/count``, create and update by ``POST /bugs``.

Modelled on TAPD's bug pages (TAPD.md §4) and go-tapd's ``get_bugs`` fixture:
a bug has a ``title`` (required to create), ``current_owner``, ``reporter``,
``de``/``te``, ``severity``, ``resolution``. Update: the same POST with ``id``.
No ``get_fields_info`` route for bugs is documented, so :meth:`fields_info` is
not offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._collection import Spec
from ._workitems import WorkItems
from .models import Bug

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["BUGS", "Bugs"]

BUGS = Spec(
    path="/bugs",
    wrapper="Bug",
    model=Bug,
    count_path="/bugs/count",
    save_path="/bugs",
    required=("title",),
    settings_path="/bugs/custom_fields_settings",
)
"""How ``tapd.bugs`` reaches TAPD: ``/bugs`` routes, ``Bug`` items, ``title`` to create."""


class Bugs(WorkItems[Bug]):
    """Bugs of a workspace. Reached as ``tapd.bugs``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, BUGS)

    async def create(
        self, workspace_id: int, *, title: str, timeout: float | None = None, **fields: Any
    ) -> Bug:
        """Create a bug: ``title`` plus any TAPD fields (``severity``, ``current_owner``,
        ``reporter``, ``custom_field_*``…). Not retried."""
        return await self._save(workspace_id, {"title": title, **fields}, timeout)

    async def get(
        self,
        workspace_id: int,
        bug_id: int | str,
        *,
        fields: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Bug:
        """One bug by id; ``fields`` trims it (``id`` is always kept).

        Raises:
            NotFoundError: the workspace has no bug with this id.
        """
        return await self._get(workspace_id, bug_id, "bug_id", fields, timeout)

    async def update(
        self, workspace_id: int, bug_id: int | str, *, timeout: float | None = None, **fields: Any
    ) -> Bug:
        """Change fields of a bug (``current_user`` attributes the change); the
        updated bug. Not retried.

        Raises:
            ValueError: no field given, or ``workspace_id``/``id`` among the fields.
        """
        return await self._save(workspace_id, fields, timeout, bug_id, "bug_id")
