"""TCA teams ("projects" in TCA's UI): ``/server/main/api/v3/orgs/{org_sid}/teams/``.

Modelled on TCA.md §4 and the team list/create captures: the v3 list is not
paginated (a bare array) and a create answers 201. The detail route
``v3/orgs/{org_sid}/teams/{team_name}/`` is taken from the open-source server's
``api_urls/v3.py`` (not captured).
"""

from __future__ import annotations

from .._transport import TimeoutArg
from .._validate import check_int, check_name, clean_params
from ..pagination import AsyncPager
from ._filters import render_str
from ._paths import main_v3_path
from ._resource import Resource, body, team_segments
from .models import Team

__all__ = ["Teams"]


class Teams(Resource):
    """The teams of an organisation. Reached as ``tca.teams``."""

    def list(
        self,
        org_sid: str,
        *,
        status: int | None = None,
        query: str | None = None,
        scope: str | None = None,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Team]:
        """The organisation's teams (one unpaginated answer).

        Args:
            status: ``1`` active, ``2`` disabled (server code; inferred meaning).
            query: teams whose name or display name contains this text.
            scope: passed as sent (the server's values are not documented).
        """
        check_name("org_sid", org_sid)
        params = clean_params(
            {
                "status": None if status is None else check_int("status", status, minimum=0),
                "query": render_str("query", query),
                "scope": render_str("scope", scope),
            }
        )
        return self._list(
            main_v3_path("orgs", org_sid, "teams"),
            params,
            Team,
            page_size=100,
            prefetch=1,
            timeout=timeout,
        )

    async def get(self, org_sid: str, team_name: str, *, timeout: TimeoutArg = None) -> Team:
        """One team by name."""
        return await self._get(
            main_v3_path(*team_segments(org_sid, team_name)), Team, timeout=timeout
        )

    async def create(
        self,
        org_sid: str,
        name: str,
        display_name: str | None = None,
        *,
        description: str | None = None,
        timeout: TimeoutArg = None,
    ) -> Team:
        """Create a team (``name`` is its identifier in URLs). Never retried.

        Only ``name`` is required (captured); without ``display_name`` the server
        shows the ``name`` (its code).
        """
        check_name("org_sid", org_sid)
        payload = body(
            name=check_name("name", name),
            display_name=render_str("display_name", display_name),
            description=render_str("description", description),
        )
        return await self._write(
            "POST", main_v3_path("orgs", org_sid, "teams"), payload, Team, timeout=timeout
        )
