"""What stories, bugs, tasks and iterations share: the list/count/get/save mechanism
of :class:`~._collection.ListResource`, their custom-field settings and field
information. Each of them adds ``get`` and ``update`` taking its own id name
(``story_id``, ``bug_id``, ``task_id``, ``iteration_id``), as documented."""

from __future__ import annotations

from typing import TypeVar

from .._convert import Model
from .._validate import check_id
from ._collection import ListResource
from ._common import unwrapper
from .models import CustomFieldConfig, FieldInfo

__all__ = ["WorkItems"]

M = TypeVar("M", bound=Model)


class WorkItems(ListResource[M]):
    """A work-item resource: list, count, its field setup, and (in each subclass) get,
    create and update."""

    async def custom_fields_settings(
        self, workspace_id: int, *, timeout: float | None = None
    ) -> list[CustomFieldConfig]:
        """The workspace's custom fields for this entity (``…/custom_fields_settings``):
        which ``custom_field_*`` key holds what, and its options."""
        path = self._spec.settings_path
        if path is None:
            raise NotImplementedError(f"TAPD has no custom field settings for {self._spec.path}")
        data = await self._client._request(
            "GET",
            path,
            params={"workspace_id": check_id("workspace_id", workspace_id)},
            expect=list,
            timeout=timeout,
        )
        unwrap = unwrapper("CustomFieldConfig")
        return self._client._structurer.many([unwrap(item) for item in data], CustomFieldConfig)

    async def fields_info(
        self, workspace_id: int, *, timeout: float | None = None
    ) -> dict[str, FieldInfo]:
        """Every field's label and candidate values (``…/get_fields_info``), by name."""
        path = self._spec.fields_info_path
        if path is None:
            raise NotImplementedError(f"TAPD documents no get_fields_info for {self._spec.path}")
        data = await self._client._request(
            "GET",
            path,
            params={"workspace_id": check_id("workspace_id", workspace_id)},
            expect=dict,
            timeout=timeout,
        )
        return {
            str(name): self._client._one({"name": name, **info}, FieldInfo)
            if isinstance(info, dict)
            else self._client._one(info, FieldInfo)
            for name, info in data.items()
        }
