"""TAPD workspaces (projects): ``/workspaces/*`` and ``/roles``.

Modelled on TAPD.md §4 (paths and parameters from go-tapd/tapd and mcp-server-tapd,
cross-checked with the reference mirrors), go-tapd's fixtures for the shapes, and
TAPD's own document for ``relate_third_projects``. ``projects`` and
``user_participant_projects`` take a company id instead of a workspace id; none of
these calls is paged (TAPD returns everything).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from .._validate import check_bool, check_enum, check_id, check_name
from ._common import query, render_fields, unwrapper
from .models import (
    Member,
    TGitGroup,
    TGitProject,
    ThirdProject,
    ThirdType,
    TSvnItem,
    Workspace,
)

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Workspaces"]

ThirdItem = ThirdProject | TGitProject | TGitGroup | TSvnItem


class Workspaces:
    """Workspace-level calls. Reached as ``tapd.workspaces``."""

    def __init__(self, client: TAPDClient) -> None:
        self._client = client

    async def _workspaces(
        self, path: str, params: dict[str, Any], expect: Any, timeout: float | None
    ) -> Any:
        return await self._client._request(
            "GET", path, params=query(None, params), expect=expect, timeout=timeout
        )

    def _many(self, data: Any, wrapper: str, model: type[Any]) -> list[Any]:
        unwrap = unwrapper(wrapper)
        items = data if isinstance(data, list) else [data]  # sub_workspaces may send one
        return self._client._structurer.many([unwrap(item) for item in items], model)

    async def projects(
        self,
        company_id: int,
        *,
        category: str | None = None,
        with_extends: bool = False,
        timeout: float | None = None,
    ) -> list[Workspace]:
        """The company's workspaces (``workspaces/projects``), with ``member_count``.

        Args:
            company_id: the company id.
            category: ``project``, ``mini_project``… (default: all).
            with_extends: also send ``WorkspaceExtends`` (``flow_view``…).
            timeout: seconds for this call (default: the client's).

        Raises:
            TypeError, ValueError: a bad argument, such as a ``with_extends`` that is
                not a bool or an empty ``category`` (before any request).
        """
        params = {
            "company_id": check_id("company_id", company_id),
            "category": None if category is None else check_name("category", category),
            "with_extends": 1 if check_bool("with_extends", with_extends) else None,
        }
        data = await self._workspaces("/workspaces/projects", params, list, timeout)
        return self._many(data, "Workspace", Workspace)

    async def get(self, workspace_id: int, *, timeout: float | None = None) -> Workspace:
        """One workspace (``workspaces/get_workspace_info``); ``timeout``: seconds for
        this call.

        Raises:
            NotFoundError: TAPD's 404 "workspace … not existed".
        """
        params = {"workspace_id": check_id("workspace_id", workspace_id)}
        data = await self._workspaces("/workspaces/get_workspace_info", params, dict, timeout)
        return self._client._one(unwrapper("Workspace")(data), Workspace)

    async def user_participant_projects(
        self, nick: str, company_id: int, *, timeout: float | None = None
    ) -> list[Workspace]:
        """The workspaces ``nick`` takes part in (rows of ``category`` ``organization``
        are included, as TAPD sends them); ``timeout``: seconds for this call."""
        if not isinstance(nick, str) or not nick.strip():
            raise ValueError(f"nick must be a non-empty nickname, got {nick!r}")
        params = {"nick": nick, "company_id": check_id("company_id", company_id)}
        data = await self._workspaces(
            "/workspaces/user_participant_projects", params, list, timeout
        )
        return self._many(data, "Workspace", Workspace)

    async def sub_workspaces(
        self, workspace_id: int, *, timeout: float | None = None
    ) -> list[Workspace]:
        """A workspace's sub-workspaces (``workspaces/sub_workspaces``); ``timeout``:
        seconds for this call."""
        params = {"workspace_id": check_id("workspace_id", workspace_id)}
        data = await self._workspaces("/workspaces/sub_workspaces", params, (list, dict), timeout)
        return self._many(data, "Workspace", Workspace)

    async def users(
        self,
        workspace_id: int,
        *,
        user: str | list[str] | tuple[str, ...] | None = None,
        fields: str | list[str] | None = None,
        timeout: float | None = None,
    ) -> list[Member]:
        """The workspace's members (``workspaces/users``).

        Args:
            workspace_id: the workspace id.
            user: only these nicknames.
            fields: only these fields (``user`` is always added).
            timeout: seconds for this call (default: the client's).
        """
        trimmed = render_fields(fields)
        if trimmed is not None:
            trimmed = ",".join(
                ["user", *(f for f in trimmed.split(",") if f not in ("id", "user"))]
            )
        params = {
            "workspace_id": check_id("workspace_id", workspace_id),
            "user": user,
            "fields": trimmed,
        }
        data = await self._workspaces("/workspaces/users", params, list, timeout)
        return self._many(data, "UserWorkspace", Member)

    async def roles(self, workspace_id: int, *, timeout: float | None = None) -> dict[str, str]:
        """Role id → role name (``GET /roles``), for :attr:`Member.role_id`; ``timeout``:
        seconds for this call."""
        params = {"workspace_id": check_id("workspace_id", workspace_id)}
        data = await self._workspaces("/roles", params, dict, timeout)
        return {str(k): str(v) for k, v in data.items()}

    @overload
    async def relate_third_projects(
        self,
        workspace_id: int,
        third_type: Literal["zhiyan", "bk", ThirdType.ZHIYAN, ThirdType.BK],
        *,
        timeout: float | None = None,
    ) -> list[ThirdProject]: ...

    @overload
    async def relate_third_projects(
        self,
        workspace_id: int,
        third_type: Literal["tgit", ThirdType.TGIT],
        *,
        timeout: float | None = None,
    ) -> list[TGitProject | TGitGroup]: ...

    @overload
    async def relate_third_projects(
        self,
        workspace_id: int,
        third_type: Literal["tsvn", ThirdType.TSVN],
        *,
        timeout: float | None = None,
    ) -> list[TSvnItem]: ...

    @overload
    async def relate_third_projects(
        self, workspace_id: int, third_type: ThirdType | str, *, timeout: float | None = None
    ) -> list[ThirdItem]: ...

    async def relate_third_projects(
        self, workspace_id: int, third_type: ThirdType | str, *, timeout: float | None = None
    ) -> Any:
        """The third-party projects (智研, 蓝鲸, 工蜂 Git, Tencent SVN) linked to a workspace.

        ``GET /workspaces/relate_third_projects?workspace_id=…&third_type=…``, modelled
        on TAPD's document for this endpoint. For ``tgit`` each item is a
        :class:`TGitProject` or, when ``is_group`` is true, a :class:`TGitGroup`.
        ``timeout``: seconds for this call (default: the client's).

        Raises:
            ValueError: ``third_type`` is not one of zhiyan, bk, tgit, tsvn (before
                any request is sent).
        """
        workspace_id = check_id("workspace_id", workspace_id)
        kind = check_enum("third_type", third_type, ThirdType)
        data = await self._client._request(
            "GET",
            "/workspaces/relate_third_projects",
            params={"workspace_id": workspace_id, "third_type": kind.value},
            expect=list,
            timeout=timeout,
        )
        if kind is ThirdType.TGIT:
            items: list[TGitProject | TGitGroup] = []
            for item in data:
                if _is_group(item):
                    items.append(self._client._one(item, TGitGroup))
                else:
                    items.append(self._client._one(item, TGitProject))
            return items
        model: type[ThirdProject] | type[TSvnItem] = (
            TSvnItem if kind is ThirdType.TSVN else ThirdProject
        )
        return list(self._client._structurer.many(data, model))


def _is_group(item: object) -> bool:
    return isinstance(item, dict) and item.get("is_group") in (True, 1, "1", "true")
