"""Iterations (迭代): ``/iterations``, ``/iterations/count``, ``POST /iterations``.

Modelled on TAPD.md §4: a create needs ``name``, ``startdate``, ``enddate`` and
``creator``; an update needs ``id`` and ``current_user``; ``status`` is ``open`` or
``done``. Fields from go-tapd's ``get_iterations`` fixture. Locking: TAPD's
``lock_iteration``/``unlock_iteration`` reference pages (``POST``, form fields
``workspace_id``, ``iteration_id`` and, to lock, ``lock_types``); the answer is a
sentence, as go-tapd's ``lock_iteration`` fixture shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from .._validate import check_id
from ._collection import Spec
from ._common import form
from ._workitems import WorkItems
from .models import Iteration

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["ITERATIONS", "LOCK_TYPES", "Iterations"]

LOCK_TYPES = frozenset({"__ALL_STORY__", "__ALL_BUG__"})
"""What :meth:`Iterations.lock` may lock (TAPD's ``lock_types`` values): the
iteration's stories, its bugs."""

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

    async def lock(
        self,
        workspace_id: int,
        iteration_id: int | str,
        *,
        lock_types: Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Lock an iteration (``POST /iterations/lock_iteration``), so that work items
        cannot be moved into or out of it; ``lock_types``: what to lock, from
        :data:`LOCK_TYPES` (TAPD's default when not given). Not retried.

        Raises:
            ValueError: a lock type TAPD does not know (before any request).
        """
        body: dict[str, Any] = {"lock_types": _lock_types(lock_types)}
        await self._lock_call("lock_iteration", workspace_id, iteration_id, body, timeout)

    async def unlock(
        self, workspace_id: int, iteration_id: int | str, *, timeout: float | None = None
    ) -> None:
        """Unlock an iteration (``POST /iterations/unlock_iteration``). Not retried."""
        await self._lock_call("unlock_iteration", workspace_id, iteration_id, {}, timeout)

    async def _lock_call(
        self,
        route: str,
        workspace_id: int,
        iteration_id: int | str,
        body: dict[str, Any],
        timeout: float | None,
    ) -> None:
        fields = {
            "workspace_id": check_id("workspace_id", workspace_id),
            "iteration_id": check_id("iteration_id", iteration_id),
            **body,
        }
        await self._client._request(
            "POST", f"/iterations/{route}", data=form(fields), expect=str, timeout=timeout
        )


def _lock_types(lock_types: Iterable[str] | None) -> str | None:
    """``lock_types`` as TAPD's comma list, every value checked."""
    if lock_types is None:
        return None
    chosen = [lock_types] if isinstance(lock_types, str) else list(lock_types)
    unknown = [value for value in chosen if value not in LOCK_TYPES]
    if unknown or not chosen:
        raise ValueError(f"lock_types must be some of {sorted(LOCK_TYPES)}, got {lock_types!r}")
    return ",".join(chosen)
