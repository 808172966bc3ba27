"""Timesheets (花费): ``/timesheets``, ``/timesheets/count``, ``POST /timesheets``.

Modelled on TAPD.md §4 (a create needs ``entity_type``, ``entity_id``,
``timespent``, ``spentdate`` and ``owner``) and go-tapd's ``get_timesheets``
fixture. ``entity_type`` is ``story``, ``task`` or ``bug``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .._validate import check_id
from ._collection import Collection, Spec
from .models import Timesheet

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Timesheets"]


class Timesheets(Collection[Timesheet]):
    """Time spent on work items. Reached as ``tapd.timesheets``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/timesheets",
                wrapper="Timesheet",
                model=Timesheet,
                count_path="/timesheets/count",
                save_path="/timesheets",
                required=("entity_type", "entity_id", "timespent", "spentdate", "owner"),
            ),
        )

    async def create(
        self,
        workspace_id: int,
        *,
        entity_type: str,
        entity_id: int | str,
        timespent: float | str,
        spentdate: date | str,
        owner: str,
        timeout: float | None = None,
        **fields: Any,
    ) -> Timesheet:
        """Record ``timespent`` hours on a work item on ``spentdate``. Not retried."""
        entity = check_id("entity_id", entity_id)
        entry = {"entity_type": entity_type, "entity_id": entity, "timespent": _hours(timespent)}
        return await self._save(
            workspace_id, {**entry, "spentdate": spentdate, "owner": owner, **fields}, timeout
        )


def _hours(value: object) -> float | str:
    """``timespent`` checked: a positive number of hours (a number, or its text)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(
            f"timespent must be a number of hours, got {type(value).__name__} {value!r}"
        )
    try:
        hours = float(value)
    except ValueError:
        raise ValueError(f"timespent must be a number of hours, got {value!r}") from None
    if not hours > 0 or hours == float("inf"):
        raise ValueError(f"timespent must be a positive number of hours, got {value!r}")
    return value
