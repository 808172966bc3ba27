"""Release plans (发布计划): ``/releases``, ``/releases/count``, saved by ``POST /new_releases``.

Modelled on TAPD.md §4 (``new_releases`` creates and, with ``id``, updates; a
create needs ``name``, ``startdate``, ``enddate``) and go-tapd's ``get_releases``
fixture.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ._collection import Collection, Spec
from .models import Release

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["RELEASES", "Releases"]

RELEASES = Spec(
    path="/releases",
    wrapper="Release",
    model=Release,
    count_path="/releases/count",
    save_path="/new_releases",
    required=("name", "startdate", "enddate"),
)
"""How ``tapd.releases`` reaches TAPD: ``/releases``, saved through ``/new_releases``."""


class Releases(Collection[Release]):
    """Release plans of a workspace. Reached as ``tapd.releases``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, RELEASES)

    async def create(
        self,
        workspace_id: int,
        *,
        name: str,
        startdate: date | str,
        enddate: date | str,
        timeout: float | None = None,
        **fields: Any,
    ) -> Release:
        """Create a release plan from ``startdate`` to ``enddate``. Not retried."""
        return await self._save(
            workspace_id,
            {"name": name, "startdate": startdate, "enddate": enddate} | fields,
            timeout,
        )
