"""Lint issues: ``/server/analysis/api/…/projects/{project_id}/codelint/issues/``.

Modelled on the documentation (``代码扫描数据模块接口.md``, TCA.md §4/§5) and the
server's filter set (``apps/codelint/filters/issue.py``): ``state``, ``severity``,
``resolution`` and ``checkpackage`` take comma-separated values; ``checkrule_real_name``
and ``checktool_name`` come from the server code, not the docs. Captures: an empty
list and the 404 of an unknown issue (code 100).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from .._transport import TimeoutArg
from .._validate import check_id, clean_params
from ..pagination import AsyncPager
from ._filters import render_csv, render_int, render_str, render_time
from ._paths import analysis_path
from ._resource import Resource, project_segments
from .analysis_models import Issue, IssueDetail
from .enums import IssueResolution, IssueSeverity, IssueState

__all__ = ["Issues"]


class Issues(Resource):
    """Lint issues of a project. Reached as ``tca.issues``."""

    def list(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        state: IssueState | int | Iterable[IssueState | int] | None = None,
        severity: IssueSeverity | int | Iterable[IssueSeverity | int] | None = None,
        resolution: IssueResolution | int | Iterable[IssueResolution | int] | None = None,
        author: str | None = None,
        file_path: str | None = None,
        checkrule_real_name: str | None = None,
        checkrule_display_name: str | None = None,
        checktool_name: str | None = None,
        checkpackage: int | Iterable[int] | None = None,
        scan_open: int | None = None,
        scan_fix: int | None = None,
        ci_time_gte: datetime | date | None = None,
        ci_time_lte: datetime | date | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[Issue]:
        """The project's lint issues, filtered.

        Args:
            state, severity, resolution: one value or several (any of them).
            author: the issue's owner.
            file_path: the file path contains this text.
            checkrule_real_name, checkrule_display_name: the rule's names.
            checktool_name: the tool that reported it.
            checkpackage: rule-set id(s).
            scan_open, scan_fix: the scan that found / fixed it.
            ci_time_gte, ci_time_lte: commit time range (aware datetimes are sent in
                China time, the server's zone; a date means its midnight).
        """
        path = analysis_path(
            *project_segments(org_sid, team_name, repo_id, project_id), "codelint", "issues"
        )
        params = clean_params(
            {
                "state": render_csv("state", state, IssueState),
                "severity": render_csv("severity", severity, IssueSeverity),
                "resolution": render_csv("resolution", resolution, IssueResolution),
                "author": render_str("author", author),
                "file_path": render_str("file_path", file_path),
                "checkrule_real_name": render_str("checkrule_real_name", checkrule_real_name),
                "checkrule_display_name": render_str(
                    "checkrule_display_name", checkrule_display_name
                ),
                "checktool_name": render_str("checktool_name", checktool_name),
                "checkpackage": render_csv("checkpackage", checkpackage, number=check_id),
                "scan_open": render_int("scan_open", scan_open, minimum=1),
                "scan_fix": render_int("scan_fix", scan_fix, minimum=1),
                "ci_time_gte": render_time("ci_time_gte", ci_time_gte),
                "ci_time_lte": render_time("ci_time_lte", ci_time_lte),
            }
        )
        return self._list(
            path, params, Issue, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        issue_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> IssueDetail:
        """One issue with its occurrences (``issue_details``)."""
        path = analysis_path(
            *project_segments(org_sid, team_name, repo_id, project_id),
            "codelint",
            "issues",
            check_id("issue_id", issue_id),
        )
        return await self._get(path, IssueDetail, timeout=timeout)
