"""What every TCA resource group shares: checked path segments and request helpers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._transport import Params, TimeoutArg
from .._validate import check_id, check_int, check_name
from ..pagination import AsyncPager, OffsetPagination

if TYPE_CHECKING:
    from ._client import TCAClient

__all__ = [
    "Resource",
    "body",
    "project_segments",
    "repo_segments",
    "scheme_segments",
    "team_segments",
]

T = TypeVar("T")


def team_segments(org_sid: str, team_name: str) -> tuple[str | int, ...]:
    """``orgs/{org_sid}/teams/{team_name}``, both checked."""
    return ("orgs", check_name("org_sid", org_sid), "teams", check_name("team_name", team_name))


def repo_segments(org_sid: str, team_name: str, repo_id: int) -> tuple[str | int, ...]:
    """``…/repos/{repo_id}``, every part checked."""
    return (*team_segments(org_sid, team_name), "repos", check_id("repo_id", repo_id))


def scheme_segments(
    org_sid: str, team_name: str, repo_id: int, scheme_id: int
) -> tuple[str | int, ...]:
    """``…/repos/{repo_id}/schemes/{scheme_id}``, every part checked."""
    return (
        *repo_segments(org_sid, team_name, repo_id),
        "schemes",
        check_id("scheme_id", scheme_id),
    )


def project_segments(
    org_sid: str, team_name: str, repo_id: int, project_id: int
) -> tuple[str | int, ...]:
    """``…/repos/{repo_id}/projects/{project_id}``, every part checked."""
    return (
        *repo_segments(org_sid, team_name, repo_id),
        "projects",
        check_id("project_id", project_id),
    )


class Resource:
    """Base of the resource groups: holds the client and the common calls."""

    def __init__(self, client: TCAClient) -> None:
        self._client = client

    def _list(
        self,
        path: str,
        params: Params,
        model: type[T],
        *,
        page_size: int,
        prefetch: int,
        timeout: TimeoutArg,
    ) -> AsyncPager[T]:
        """A pager over a limit/offset (or bare-list) listing."""
        page_size = check_int("page_size", page_size, minimum=1, maximum=1000)
        return self._client._pager(
            path,
            params,
            model,
            OffsetPagination(limit=page_size),
            prefetch=prefetch,
            timeout=timeout,
        )

    async def _get(
        self, path: str, model: type[T], *, params: Params | None = None, timeout: TimeoutArg
    ) -> T:
        """``GET path`` structured as one ``model``."""
        data = await self._client._request("GET", path, params=params, expect=dict, timeout=timeout)
        return self._client._one(data, model)

    async def _write(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any],
        model: type[T],
        *,
        timeout: TimeoutArg,
    ) -> T:
        """``POST``/``PUT``/``PATCH`` a JSON body, the answer structured as ``model``.

        Never retried: a create sent twice creates twice.
        """
        data = await self._client._request(
            method, path, json=dict(body), expect=dict, safe=False, timeout=timeout
        )
        return self._client._one(data, model)

    async def _send(self, method: str, path: str, body: Any = None, *, timeout: TimeoutArg) -> Any:
        """A write whose answer is not modelled (delete, cancel); the payload is returned."""
        return await self._client._request(method, path, json=body, safe=False, timeout=timeout)


def body(**fields: Any) -> dict[str, Any]:
    """A JSON body without the ``None`` values."""
    return {k: v for k, v in fields.items() if v is not None}
