"""TCA organisations: ``/server/main/api/v3/orgs/``.

Modelled on TCA.md §4 (v3 routes of the open-source server, where Token auth works)
and the org detail and create captures (TCA.md §7: a create needs ``owner`` and
``tel_number``, and answers 201 with the organisation). ``scope=1`` lists the
organisations the caller administers (server code).
"""

from __future__ import annotations

from .._transport import TimeoutArg
from .._validate import check_name, clean_params
from ..pagination import AsyncPager
from ._filters import render_int, render_str, require_str
from ._paths import main_v3_path
from ._resource import Resource, body
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

    async def create(
        self,
        name: str,
        owner: str,
        tel_number: str,
        *,
        description: str | None = None,
        address: str | None = None,
        timeout: TimeoutArg = None,
    ) -> Org:
        """Create an organisation; the caller becomes its admin. Never retried.

        Args:
            name: its name (the server makes up its ``org_sid``).
            owner: the person in charge (required by the server, as text).
            tel_number: a contact telephone number (required by the server).
            description, address: optional details.
        """
        payload = body(
            name=require_str("name", name),
            owner=require_str("owner", owner),
            tel_number=require_str("tel_number", tel_number),
            description=render_str("description", description),
            address=render_str("address", address),
        )
        return await self._write("POST", main_v3_path("orgs"), payload, Org, timeout=timeout)
