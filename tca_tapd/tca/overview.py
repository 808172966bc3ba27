"""Result overviews: ``/server/analysis/api/…/projects/{project_id}/overview/…``.

Modelled on the documentation (``结果概览模块接口.md``, TCA.md §5) and captures: the
overview of a project never scanned has four nulls, ``latestscan/`` is a 404 ("项目N
未启动扫描") until the first scan and then shows the scan even before it has results;
histories are paginated and filtered by ``scan_time_after``/``scan_time_before``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

from .._transport import TimeoutArg
from .._validate import clean_params
from ..pagination import AsyncPager
from ._filters import render_str, render_time
from ._paths import analysis_path
from ._resource import Resource, project_segments
from .analysis_models import CCScan, ClocScan, DupScan, LatestScan, LintScan, Overview

if TYPE_CHECKING:
    from ._client import TCAClient

__all__ = ["Overviews", "ScanHistory"]

T = TypeVar("T")
When = datetime | date | None


class Overviews(Resource):
    """Overviews and scan histories of a project. Reached as ``tca.overview``."""

    def __init__(self, client: TCAClient) -> None:
        super().__init__(client)
        self.lint_scans = ScanHistory(self, "lintscans", LintScan)
        """Lint summaries of past scans, within a scan-time range."""
        self.cc_scans = ScanHistory(self, "cycscans", CCScan)
        """Complexity summaries of past scans (``cycscans/``)."""
        self.dup_scans = ScanHistory(self, "dupscans", DupScan)
        """Duplicate-code summaries of past scans."""
        self.cloc_scans = ScanHistory(self, "clocscans", ClocScan)
        """Line-count summaries of past scans."""

    def _path(self, org_sid: str, team_name: str, repo_id: int, project_id: int, *rest: str) -> str:
        return analysis_path(
            *project_segments(org_sid, team_name, repo_id, project_id), "overview", *rest
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> Overview:
        """The latest lint, complexity, duplicate and line-count summaries."""
        path = self._path(org_sid, team_name, repo_id, project_id)
        return await self._get(path, Overview, timeout=timeout)

    async def latest_scan(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        scan_revision: str | None = None,
        timeout: TimeoutArg = None,
    ) -> LatestScan:
        """The latest scan (or the scan of ``scan_revision``).

        Raises:
            NotFoundError: the project was never scanned.
        """
        path = self._path(org_sid, team_name, repo_id, project_id, "latestscan")
        params = clean_params({"scan_revision": render_str("scan_revision", scan_revision)})
        return await self._get(path, LatestScan, params=params, timeout=timeout)


class ScanHistory(Generic[T]):
    """One scan-history listing of :class:`Overviews` (``overview/<leaf>/``), called
    like a method: ``tca.overview.lint_scans(org_sid, team_name, repo_id, project_id)``.
    """

    def __init__(self, overviews: Overviews, leaf: str, model: type[T]) -> None:
        self._overviews = overviews
        self.leaf = leaf
        """The path's last segment (``lintscans``, ``cycscans``, …)."""
        self.model = model
        """The model of each scan's summary."""

    def __call__(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        scan_time_after: When = None,
        scan_time_before: When = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[T]:
        """The summaries of the project's past scans, newest first.

        Args:
            scan_time_after, scan_time_before: scanned within this range (aware
                datetimes are sent in China time; a date means its midnight).
        """
        overviews = self._overviews
        path = overviews._path(org_sid, team_name, repo_id, project_id, self.leaf)
        params = clean_params(
            {
                "scan_time_after": render_time("scan_time_after", scan_time_after),
                "scan_time_before": render_time("scan_time_before", scan_time_before),
            }
        )
        return overviews._list(
            path, params, self.model, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"<ScanHistory {self.leaf}/ of {self.model.__name__}>"
