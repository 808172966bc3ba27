"""Tasks (任务): ``/tasks``, ``/tasks/count``, create and update by ``POST /tasks``.

Modelled on TAPD's ``add_task`` page (only ``name`` is required) and go-tapd's
``get_tasks`` fixture. ``status`` is ``open``, ``progressing`` or ``done``; a task
belongs to a story through ``story_id``. ``get_fields_info`` for tasks is taken from
mcp-server-tapd (S7), which calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._collection import Spec
from ._workitems import WorkItems
from .models import Task

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["TASKS", "Tasks"]

TASKS = Spec(
    path="/tasks",
    wrapper="Task",
    model=Task,
    count_path="/tasks/count",
    save_path="/tasks",
    required=("name",),
    settings_path="/tasks/custom_fields_settings",
    fields_info_path="/tasks/get_fields_info",
)
"""How ``tapd.tasks`` reaches TAPD: ``/tasks`` routes, ``Task`` items, ``name`` to create."""


class Tasks(WorkItems[Task]):
    """Tasks of a workspace. Reached as ``tapd.tasks``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(client, TASKS)

    async def create(
        self, workspace_id: int, *, name: str, timeout: float | None = None, **fields: Any
    ) -> Task:
        """Create a task: ``name`` plus any TAPD fields (``story_id``, ``owner``,
        ``effort``…). Not retried."""
        return await self._save(workspace_id, {"name": name, **fields}, timeout)

    async def get(
        self,
        workspace_id: int,
        task_id: int | str,
        *,
        fields: str | Iterable[str] | None = None,
        timeout: float | None = None,
    ) -> Task:
        """One task by id; ``fields`` trims it (``id`` is always kept).

        Raises:
            NotFoundError: the workspace has no task with this id.
        """
        return await self._get(workspace_id, task_id, "task_id", fields, timeout)

    async def update(
        self, workspace_id: int, task_id: int | str, *, timeout: float | None = None, **fields: Any
    ) -> Task:
        """Change fields of a task (``current_user`` attributes the change); the
        updated task. Not retried.

        Raises:
            ValueError: no field given, or ``workspace_id``/``id`` among the fields.
        """
        return await self._save(workspace_id, fields, timeout, task_id, "task_id")
