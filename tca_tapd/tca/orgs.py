"""TCA organisations: ``/server/main/api/v3/orgs/``.

Modelled on TCA.md §4 (v3 routes of the open-source server, where Token auth works)
and the org detail capture. ``scope=1`` lists the organisations the caller
administers (server code).
"""

from __future__ import annotations

from .._transport import TimeoutArg
from .._validate import check_name, clean_params
from ..pagination import AsyncPager
from ._filters import render_int, render_str
from ._paths import main_v3_path
from ._resource import Resource
from .models import Org

__all__ = ["Orgs"]


class Orgs(Resource):
    """Organisations ("teams" in TCA's UI). Reached as ``tca.orgs``."""

    def list(
        self,
        *,
        name: str | None = None,
        scope: int | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Org]:
        """The organisations the caller belongs to.

        Args:
            name: only organisations whose name contains this text.
            scope: ``1`` for those the caller administers.
            page_size, prefetch, timeout: see :meth:`TCAClient.repos.list`.
        """
        params = clean_params(
            {"name": render_str("name", name), "scope": render_int("scope", scope)}
        )
        return self._list(
            main_v3_path("orgs"),
            params,
            Org,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get(self, org_sid: str, *, timeout: TimeoutArg = None) -> Org:
        """One organisation by its ``org_sid``."""
        return await self._get(
            main_v3_path("orgs", check_name("org_sid", org_sid)), Org, timeout=timeout
        )
