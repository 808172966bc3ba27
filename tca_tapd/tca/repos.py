"""TCA code repositories: ``/server/main/api/orgs/{org_sid}/teams/{team_name}/repos/``.

Modelled on the documentation's repository example (TCA.md §5) and the captures:
create answers 201 with a short repository, a duplicate is ``400`` code 1040
"代码库已接入", the update is the captured ``PATCH`` (partial), delete answers 204.
``scm_auth`` on create follows the server serializer (``auth_type`` is required there
but missing from the docs); ``branches/`` is the captured branch list.
"""

from __future__ import annotations

from typing import Any, Literal

from attrs import define

from .._transport import TimeoutArg
from .._validate import check_id, clean_params
from ..pagination import AsyncPager
from ._filters import render_str
from ._paths import main_path
from ._resource import Resource, body, repo_segments, team_segments
from .models import Branch, Repo

__all__ = ["RepoScope", "Repos", "ScmAuthInput"]

RepoScope = Literal["my", "subscribed", "related_me"]
"""Which repositories ``repos.list`` returns: the caller's, subscribed, or related to them."""
_SCOPES = ("my", "subscribed", "related_me")
_SCM_TYPES = ("git", "svn")
_AUTH_FIELDS = {"password": "scm_account", "ssh_token": "scm_ssh", "oauth": "scm_oauth"}


@define(frozen=True)
class ScmAuthInput:
    """The credential TCA uses to pull a repository (ids from ``/authen/scmallaccounts/``).

    Args:
        auth_type: ``password``, ``ssh_token`` or ``oauth``.
        credential_id: the id of the account, SSH key or OAuth grant.
    """

    auth_type: Literal["password", "ssh_token", "oauth"]
    credential_id: int

    def to_json(self) -> dict[str, Any]:
        """``{"auth_type": …, "scm_account"|"scm_ssh"|"scm_oauth": id}``."""
        if self.auth_type not in _AUTH_FIELDS:
            allowed = ", ".join(_AUTH_FIELDS)
            raise ValueError(f"scm_auth.auth_type must be one of {allowed}; got {self.auth_type!r}")
        credential = check_id("scm_auth.credential_id", self.credential_id)
        return {"auth_type": self.auth_type, _AUTH_FIELDS[self.auth_type]: credential}


class Repos(Resource):
    """Repositories of a team. Reached as ``tca.repos``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        *,
        scm_url: str | None = None,
        scm_url_or_name: str | None = None,
        scope: RepoScope | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Repo]:
        """The team's repositories, filtered.

        Args:
            org_sid: the organisation (``/t/{org_sid}/…`` in TCA's URLs).
            team_name: the team (``…/p/{team_name}/…``).
            scm_url: only the repository with exactly this URL.
            scm_url_or_name: repositories whose URL or name contains this text.
            scope: ``my``, ``subscribed`` or ``related_me``.
            page_size: items per request (the hosted limit is unknown; 100 is safe).
            prefetch: page requests in flight at once once the total is known.
            timeout: seconds for each request of this call (default: the client's).
        """
        segments = team_segments(org_sid, team_name)
        if scope is not None and scope not in _SCOPES:
            raise ValueError(f"scope must be one of {', '.join(_SCOPES)}; got {scope!r}")
        params = clean_params(
            {
                "scm_url": render_str("scm_url", scm_url),
                "scm_url_or_name": render_str("scm_url_or_name", scm_url_or_name),
                "scope": scope,
            }
        )
        return self._list(
            main_path(*segments, "repos"),
            params,
            Repo,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get(
        self, org_sid: str, team_name: str, repo_id: int, *, timeout: TimeoutArg = None
    ) -> Repo:
        """One repository by id."""
        return await self._get(
            main_path(*repo_segments(org_sid, team_name, repo_id)), Repo, timeout=timeout
        )

    async def create(
        self,
        org_sid: str,
        team_name: str,
        scm_url: str,
        scm_type: Literal["git", "svn"] = "git",
        *,
        name: str | None = None,
        ssh_url: str | None = None,
        scm_auth: ScmAuthInput | None = None,
        timeout: TimeoutArg = None,
    ) -> Repo:
        """Register a repository. Never retried.

        Raises:
            APIError: ``api_code`` 1040 when the repository is already registered.
            ValidationError: the server refused a field (``invalid_fields``).
        """
        segments = team_segments(org_sid, team_name)
        render_str("scm_url", scm_url)
        if scm_type not in _SCM_TYPES:
            raise ValueError(f"scm_type must be one of git, svn; got {scm_type!r}")
        if scm_auth is not None and not isinstance(scm_auth, ScmAuthInput):
            raise TypeError(f"scm_auth must be a ScmAuthInput, got {type(scm_auth).__name__}")
        payload = body(
            scm_url=scm_url,
            scm_type=scm_type,
            name=render_str("name", name),
            ssh_url=render_str("ssh_url", ssh_url),
            scm_auth=scm_auth.to_json() if scm_auth is not None else None,
        )
        return await self._write(
            "POST", main_path(*segments, "repos"), payload, Repo, timeout=timeout
        )

    async def update(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        *,
        name: str | None = None,
        ssh_url: str | None = None,
        scm_auth: ScmAuthInput | None = None,
        timeout: TimeoutArg = None,
    ) -> Repo:
        """Change a repository's name, SSH URL or credential (a partial update)."""
        path = main_path(*repo_segments(org_sid, team_name, repo_id))
        if scm_auth is not None and not isinstance(scm_auth, ScmAuthInput):
            raise TypeError(f"scm_auth must be a ScmAuthInput, got {type(scm_auth).__name__}")
        payload = body(
            name=render_str("name", name),
            ssh_url=render_str("ssh_url", ssh_url),
            scm_auth=scm_auth.to_json() if scm_auth is not None else None,
        )
        if not payload:
            raise ValueError("update needs at least one of name, ssh_url, scm_auth")
        return await self._write("PATCH", path, payload, Repo, timeout=timeout)

    async def delete(
        self, org_sid: str, team_name: str, repo_id: int, *, timeout: TimeoutArg = None
    ) -> None:
        """Remove a repository from the team (the server answers 204)."""
        await self._send(
            "DELETE", main_path(*repo_segments(org_sid, team_name, repo_id)), timeout=timeout
        )

    def branches(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        *,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Branch]:
        """The repository's branches with their (project, scheme) pairs."""
        return self._list(
            main_path(*repo_segments(org_sid, team_name, repo_id), "branches"),
            {},
            Branch,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )
