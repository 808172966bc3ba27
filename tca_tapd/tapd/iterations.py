"""Iterations (迭代): ``/iterations``, ``/iterations/count``, ``POST /iterations``.

Modelled on TAPD.md §4: a create needs ``name``, ``startdate``, ``enddate`` and
``creator``; an update needs ``id`` and ``current_user``; ``status`` is ``open`` or
``done``. Fields from go-tapd's ``get_iterations`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from ._collection import Spec
from ._workitems import WorkItems
from .models import Iteration

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["ITERATIONS", "Iterations"]

ITERATIONS = Spec(
    path="/iterations",
    wrapper="Iteration",
    model=Iteration,
    count_path="/iterations/count",
    save_path="/iterations",
    required=("name", "startdate", "enddate", "creator"),
    settings_path="/iterations/custom_fields_settings",
)
"""How ``tapd.iterations`` reaches TAPD: ``/iterations`` routes and ``Iteration`` items."""


class Iterations(WorkItems[Iteration]):
    """Iterations of a workspace. Reached as ``tapd.iterations``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, ITERATIONS)

    async def create(
        self,
        workspace_id: int,
        *,
        name: str,
        startdate: date | str,
        enddate: date | str,
        creator: str,
        timeout: float | None = None,
        **fields: Any,
    ) -> Iteration:
        """Create an iteration from ``startdate`` to ``enddate``. Not retried."""
        return await self._save(
            workspace_id,
            {"name": name, "startdate": startdate, "enddate": enddate, "creator": creator} | fields,
            timeout,
        )

    async def get(
        self,
        workspace_id: int,
        iteration_id: int | str,
        *,
        fields: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Iteration:
        """One iteration by id; ``fields`` trims it (``id`` is always kept).

        Raises:
            NotFoundError: the workspace has no iteration with this id.
        """
        return await self._get(workspace_id, iteration_id, "iteration_id", fields, timeout)

    async def update(
        self,
        workspace_id: int,
        iteration_id: int | str,
        *,
        current_user: str | None = None,
        timeout: float | None = None,
        **fields: Any,
    ) -> Iteration:
        """Change fields of an iteration; TAPD wants ``current_user`` (the editor).

        Raises:
            ValueError: ``current_user`` missing, or no field to change.
        """
        if not current_user:
            raise ValueError("updating an iteration needs current_user")
        return await self._save(
            workspace_id,
            {"current_user": current_user, **fields},
            timeout,
            iteration_id,
            "iteration_id",
        )
