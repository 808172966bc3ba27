"""TCA analysis projects (a branch + a scheme): ``…/repos/{repo_id}/projects/``.

Modelled on TCA.md §4 (list filters from the server's filter set) and the list,
detail and create captures (create answers 201; without a scheme it is a 400 on the
field ``cd_error``).
"""

from __future__ import annotations

from .._transport import TimeoutArg
from .._validate import check_id, clean_params
from ..pagination import AsyncPager
from ._filters import render_bool, render_enum, render_str, require_str
from ._paths import main_path
from ._resource import Resource, body, project_segments, repo_segments
from .enums import ProjectStatus, SchemeStatus
from .models import Project

__all__ = ["Projects"]


class Projects(Resource):
    """Analysis projects of a repository. Reached as ``tca.projects``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        *,
        branch: str | None = None,
        scan_scheme: int | None = None,
        scan_scheme_name: str | None = None,
        scan_scheme_status: SchemeStatus | int | None = None,
        branch_or_scheme: str | None = None,
        status: ProjectStatus | int | None = None,
        scan_scheme_default: bool | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Project]:
        """The repository's projects, filtered.

        Args:
            branch: only projects on this branch.
            scan_scheme: only projects using this scheme id.
            scan_scheme_name: only projects whose scheme has this name
                (``scan_scheme__name``).
            scan_scheme_status: by the scheme's status (``scan_scheme__status``).
            branch_or_scheme: projects whose branch or scheme name contains this text.
            status: active, inactive, archiving or archived (:class:`ProjectStatus`).
            scan_scheme_default: only projects on the repository's default scheme
                (``True``), or the others (``scan_scheme__default_flag``).
        """
        segments = repo_segments(org_sid, team_name, repo_id)
        params = clean_params(
            {
                "branch": render_str("branch", branch),
                "scan_scheme": None
                if scan_scheme is None
                else check_id("scan_scheme", scan_scheme),
                "scan_scheme__name": render_str("scan_scheme_name", scan_scheme_name),
                "scan_scheme__status": render_enum(
                    "scan_scheme_status", scan_scheme_status, SchemeStatus
                ),
                "branch_or_scheme": render_str("branch_or_scheme", branch_or_scheme),
                "status": render_enum("status", status, ProjectStatus),
                "scan_scheme__default_flag": render_bool(
                    "scan_scheme_default", scan_scheme_default
                ),
            }
        )
        return self._list(
            main_path(*segments, "projects"),
            params,
            Project,
            page_size=page_size,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> Project:
        """One project, with its repository and scheme."""
        return await self._get(
            main_path(*project_segments(org_sid, team_name, repo_id, project_id)),
            Project,
            timeout=timeout,
        )

    async def create(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        branch: str,
        *,
        scan_scheme_id: int | None = None,
        global_scheme_id: int | None = None,
        custom_scheme_name: str | None = None,
        created_from: str | None = None,
        timeout: TimeoutArg = None,
    ) -> Project:
        """Create a project on ``branch`` with an existing scheme or from a template.

        One of ``scan_scheme_id`` (a scheme of the repository) and
        ``global_scheme_id`` (an organisation template, with ``custom_scheme_name``
        for the copy) is required. Never retried.
        """
        segments = repo_segments(org_sid, team_name, repo_id)
        require_str("branch", branch)
        if (scan_scheme_id is None) == (global_scheme_id is None):
            raise ValueError("exactly one of scan_scheme_id and global_scheme_id is required")
        payload = body(
            branch=branch,
            scan_scheme_id=None
            if scan_scheme_id is None
            else check_id("scan_scheme_id", scan_scheme_id),
            global_scheme_id=None
            if global_scheme_id is None
            else check_id("global_scheme_id", global_scheme_id),
            custom_scheme_name=render_str("custom_scheme_name", custom_scheme_name),
            created_from=render_str("created_from", created_from),
        )
        return await self._write(
            "POST", main_path(*segments, "projects"), payload, Project, timeout=timeout
        )
