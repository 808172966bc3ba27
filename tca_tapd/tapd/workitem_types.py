"""Workitem types (需求类别): ``GET /workitem_types``, from TAPD's ``get_workitem_types`` page.

Each story category has its own workflow; pass its id as ``workitem_type_id`` to
:mod:`~tca_tapd.tapd.workflows`. TAPD documents no count route for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._collection import ReadCollection, Spec
from .models import WorkitemType

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["WorkitemTypes"]


class WorkitemTypes(ReadCollection[WorkitemType]):
    """Workitem types of a workspace. Reached as ``tapd.workitem_types``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client, Spec(path="/workitem_types", wrapper="WorkitemType", model=WorkitemType)
        )
