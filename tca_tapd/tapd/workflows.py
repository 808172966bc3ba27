"""Workflows: ``/workflows/status_map``, ``all_transitions``, ``last_steps``, ``all_last_steps``.

Modelled on TAPD.md §4 and TAPD's ``get_workflow_all_transitions`` page: ``system``
is ``story`` or ``bug``; stories need the ``workitem_type_id`` of their category
(each has its own workflow). Status keys are per workspace (``status_3``…); these
maps give their names. The shape of ``last_steps`` (``{status: name}``, like one
entry of ``all_last_steps``) is inferred.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from .._validate import check_enum, check_id
from ._common import unwrapper
from .models import WorkflowTransition

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["System", "Workflows"]


class System(str, Enum):
    """The ``system`` of a workflow call; any other value raises ValueError."""

    STORY = "story"
    """Stories (需求)."""
    BUG = "bug"
    """Bugs (缺陷)."""


def _names(data: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


class Workflows:
    """Workflow maps of a workspace. Reached as ``tapd.workflows``.

    Every call takes ``timeout=``: seconds for that call (default: the client's).
    """

    def __init__(self, client: TAPDClient) -> None:
        self._client = client

    def _params(
        self, workspace_id: int, system: System | str, workitem_type_id: int | str | None
    ) -> dict[str, str | int | float]:
        params: dict[str, str | int | float] = {
            "workspace_id": check_id("workspace_id", workspace_id),
            "system": check_enum("system", system, System).value,
        }
        if workitem_type_id is not None:
            params["workitem_type_id"] = check_id("workitem_type_id", workitem_type_id)
        return params

    async def _get(
        self,
        path: str,
        params: dict[str, str | int | float],
        expect: Any,
        timeout: float | None,
    ) -> Any:
        return await self._client._request(
            "GET", path, params=params, expect=expect, timeout=timeout
        )

    async def _names(
        self,
        path: str,
        workspace_id: int,
        system: System | str,
        workitem_type_id: int | str | None,
        timeout: float | None,
    ) -> dict[str, str]:
        """A status key → name map from ``path``."""
        params = self._params(workspace_id, system, workitem_type_id)
        return _names(await self._get(path, params, dict, timeout))

    async def status_map(
        self,
        workspace_id: int,
        system: System | str = System.STORY,
        *,
        workitem_type_id: int | str | None = None,
        timeout: float | None = None,
    ) -> dict[str, str]:
        """Status key → name (``{"planning": "规划中", "status_3": "已验收"}``)."""
        return await self._names(
            "/workflows/status_map", workspace_id, system, workitem_type_id, timeout
        )

    async def transitions(
        self,
        workspace_id: int,
        system: System | str = System.STORY,
        *,
        workitem_type_id: int | str | None = None,
        timeout: float | None = None,
    ) -> list[WorkflowTransition]:
        """Every allowed status change and the fields it asks for (``all_transitions``)."""
        data = await self._get(
            "/workflows/all_transitions",
            self._params(workspace_id, system, workitem_type_id),
            (list, dict),
            timeout,
        )
        items = data if isinstance(data, list) else [data]  # one transition comes bare
        unwrap = unwrapper("WorkflowTransition")
        return self._client._structurer.many([unwrap(i) for i in items], WorkflowTransition)

    async def last_steps(
        self,
        workspace_id: int,
        system: System | str = System.STORY,
        *,
        workitem_type_id: int | str | None = None,
        timeout: float | None = None,
    ) -> dict[str, str]:
        """The final statuses of one workflow: status key → name."""
        return await self._names(
            "/workflows/last_steps", workspace_id, system, workitem_type_id, timeout
        )

    async def all_last_steps(
        self,
        workspace_id: int,
        system: System | str = System.STORY,
        *,
        timeout: float | None = None,
    ) -> dict[str, dict[str, str]]:
        """The final statuses of every workflow: workitem type id → {status: name}."""
        data = await self._get(
            "/workflows/all_last_steps", self._params(workspace_id, system, None), dict, timeout
        )
        return {str(k): _names(v) for k, v in data.items()}
