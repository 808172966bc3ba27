"""The current user: ``GET /users/info`` (user tokens only: personal access token or OAuth).

From TAPD's ``get_users_info`` reference page: ``data`` is the user itself, not
wrapped. With Basic auth, use :meth:`tca_tapd.tapd.workspaces.Workspaces.users`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import UserInfo

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["Users"]


class Users:
    """Calls about users. Reached as ``tapd.users``."""

    def __init__(self, client: TAPDClient) -> None:
        self._client = client

    async def info(self, *, timeout: float | None = None) -> UserInfo:
        """The user the token belongs to (``nick``, ``name``, ``status_name``…)."""
        data = await self._client._request("GET", "/users/info", expect=dict, timeout=timeout)
        return self._client._one(data, UserInfo)
