"""Test cases: ``/tcases``, ``/tcases/count``, create and update by ``POST /tcases``.

Modelled on TAPD.md §4 (``Tcase`` items) and go-tapd's ``get_test_cases`` fixture;
a create needing ``name`` is inferred from the other entities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._collection import Collection, Spec
from .models import TestCase

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["TestCases"]


class TestCases(Collection[TestCase]):
    """Test cases of a workspace. Reached as ``tapd.tcases``."""

    __test__ = False  # not a pytest test class

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/tcases",
                wrapper="Tcase",
                model=TestCase,
                count_path="/tcases/count",
                save_path="/tcases",
                required=("name",),
            ),
        )

    async def create(
        self, workspace_id: int, *, name: str, timeout: float | None = None, **fields: Any
    ) -> TestCase:
        """Create a test case (``steps``, ``precondition``, ``expectation``…). Not retried."""
        return await self._save(workspace_id, {"name": name, **fields}, timeout)
