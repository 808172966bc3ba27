"""Code metrics: ``/server/analysis/api/…/projects/{project_id}/codemetric/…``.

Three resource groups over one module's helpers, modelled on the documentation
(``代码度量数据模块接口.md``, TCA.md §4/§5) and the server's filter sets (the
duplicate filters are ``issue_state``/``issue_owner``, not the documented
``issue__state``). Captures: empty ``ccissues/`` and ``cloclangs/`` lists.
``clocs/`` (the line-count summary) is routed by the server but not documented.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from .._transport import TimeoutArg
from .._validate import check_id, check_int, clean_params
from ..pagination import AsyncPager
from ._filters import render_bool, render_csv, render_int, render_number, render_str
from ._paths import analysis_path
from ._resource import Resource, project_segments
from .analysis_models import (
    CCFile,
    CCIssue,
    ClocFile,
    ClocLanguage,
    ClocSummary,
    DupBlock,
    DupFile,
    DupFileDetail,
)
from .enums import CCIssueStatus, IssueState

__all__ = ["Cloc", "Complexity", "Duplicates"]

T = TypeVar("T")
ChangeTypes = str | Iterable[str]
IntRange = int | None


class _Metrics(Resource):
    """Shared: the ``codemetric`` path."""

    def _path(
        self, org_sid: str, team_name: str, repo_id: int, project_id: int, *rest: str | int
    ) -> str:
        return analysis_path(
            *project_segments(org_sid, team_name, repo_id, project_id), "codemetric", *rest
        )


def _change_type(name: str, value: object) -> int:
    """Complexity ``change_type``: 0 none, 1 added, 2 deleted, 3 unchanged."""
    return check_int(name, value, minimum=0, maximum=3)


def _percentage(name: str, value: object) -> float | None:
    return render_number(name, value, what="a percentage", minimum=0, maximum=100)


class Complexity(_Metrics):
    """Cyclomatic complexity. Reached as ``tca.complexity``."""

    def files(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        state: IssueState | int | Iterable[IssueState | int] | None = None,
        change_type: int | Iterable[int] | None = None,
        author: str | None = None,
        last_modifier: str | None = None,
        file_path: str | None = None,
        scan_open: int | None = None,
        scan_close: int | None = None,
        worse: bool | None = None,
        over_cc_sum_gte: IntRange = None,
        over_cc_sum_lte: IntRange = None,
        over_cc_avg_gte: float | None = None,
        over_cc_avg_lte: float | None = None,
        over_cc_func_count_gte: IntRange = None,
        over_cc_func_count_lte: IntRange = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[CCFile]:
        """Files with functions over the threshold (``ccfiles/``), filtered."""
        path = self._path(org_sid, team_name, repo_id, project_id, "ccfiles")
        ranges = {
            "over_cc_sum_gte": over_cc_sum_gte,
            "over_cc_sum_lte": over_cc_sum_lte,
            "over_cc_func_count_gte": over_cc_func_count_gte,
            "over_cc_func_count_lte": over_cc_func_count_lte,
        }
        averages = {"over_cc_avg_gte": over_cc_avg_gte, "over_cc_avg_lte": over_cc_avg_lte}
        params = clean_params(
            {
                "state": render_csv("state", state, IssueState),
                "change_type": render_csv("change_type", change_type, number=_change_type),
                "author": render_str("author", author),
                "last_modifier": render_str("last_modifier", last_modifier),
                "file_path": render_str("file_path", file_path),
                "scan_open": render_int("scan_open", scan_open, minimum=1),
                "scan_close": render_int("scan_close", scan_close, minimum=1),
                "worse": render_bool("worse", worse),
                **{k: render_int(k, v) for k, v in ranges.items()},
                # The average is a float on the server (a NumberFilter on it, code).
                **{k: render_number(k, v) for k, v in averages.items()},
            }
        )
        return self._list(
            path, params, CCFile, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    def issues(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        file_id: int | None = None,
        status: CCIssueStatus | int | Iterable[CCIssueStatus | int] | None = None,
        change_type: int | Iterable[int] | None = None,
        author: str | None = None,
        last_modifier: str | None = None,
        file_path: str | None = None,
        ccn_gte: int | None = None,
        ccn_lte: int | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[CCIssue]:
        """Functions over the threshold (``ccissues/``; of one file with ``file_id``)."""
        rest: tuple[str | int, ...] = ("ccissues",)
        if file_id is not None:
            rest = ("ccfiles", check_id("file_id", file_id), "ccissues")
        path = self._path(org_sid, team_name, repo_id, project_id, *rest)
        params = clean_params(
            {
                "status": render_csv("status", status, CCIssueStatus),
                "change_type": render_csv("change_type", change_type, number=_change_type),
                "author": render_str("author", author),
                "last_modifier": render_str("last_modifier", last_modifier),
                "file_path": render_str("file_path", file_path),
                "ccn_gte": render_int("ccn_gte", ccn_gte),
                "ccn_lte": render_int("ccn_lte", ccn_lte),
            }
        )
        return self._list(
            path, params, CCIssue, page_size=page_size, prefetch=prefetch, timeout=timeout
        )


class Duplicates(_Metrics):
    """Duplicate code. Reached as ``tca.duplicates``."""

    def files(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        issue_state: IssueState | int | Iterable[IssueState | int] | None = None,
        issue_owner: str | None = None,
        change_type: ChangeTypes | None = None,
        last_modifier: str | None = None,
        file_path: str | None = None,
        duplicate_rate_gte: float | None = None,
        duplicate_rate_lte: float | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[DupFile]:
        """Files with duplicated blocks, filtered (``change_type``: add, mod, del)."""
        path = self._path(org_sid, team_name, repo_id, project_id, "dupfiles")
        params = clean_params(
            {
                "issue_state": render_csv("issue_state", issue_state, IssueState),
                "issue_owner": render_str("issue_owner", issue_owner),
                "change_type": render_csv("change_type", change_type),
                "last_modifier": render_str("last_modifier", last_modifier),
                "file_path": render_str("file_path", file_path),
                "duplicate_rate_gte": _percentage("duplicate_rate_gte", duplicate_rate_gte),
                "duplicate_rate_lte": _percentage("duplicate_rate_lte", duplicate_rate_lte),
            }
        )
        return self._list(
            path, params, DupFile, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    async def get(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        file_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> DupFileDetail:
        """One duplicate file with its blocks."""
        path = self._path(
            org_sid, team_name, repo_id, project_id, "dupfiles", check_id("file_id", file_id)
        )
        return await self._get(path, DupFileDetail, timeout=timeout)

    def blocks(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        file_id: int,
        *,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[DupBlock]:
        """The duplicated blocks of one file."""
        path = self._path(
            org_sid,
            team_name,
            repo_id,
            project_id,
            "dupfiles",
            check_id("file_id", file_id),
            "blocks",
        )
        return self._list(
            path, {}, DupBlock, page_size=page_size, prefetch=prefetch, timeout=timeout
        )


class Cloc(_Metrics):
    """Line counts. Reached as ``tca.cloc``."""

    def files(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        change_type: ChangeTypes | None = None,
        file_path: str | None = None,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[ClocFile]:
        """Line counts per file (``change_type``: add, mod, del)."""
        path = self._path(org_sid, team_name, repo_id, project_id, "clocfiles")
        params = clean_params(
            {
                "change_type": render_csv("change_type", change_type),
                "file_path": render_str("file_path", file_path),
            }
        )
        return self._list(
            path, params, ClocFile, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    def languages(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        page_size: int = 100,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[ClocLanguage]:
        """Line counts per language."""
        path = self._path(org_sid, team_name, repo_id, project_id, "cloclangs")
        return self._list(
            path, {}, ClocLanguage, page_size=page_size, prefetch=prefetch, timeout=timeout
        )

    async def summary(
        self,
        org_sid: str,
        team_name: str,
        repo_id: int,
        project_id: int,
        *,
        timeout: TimeoutArg = None,
    ) -> ClocSummary:
        """The project's line-count totals (``clocs/``; undocumented, see the module)."""
        path = self._path(org_sid, team_name, repo_id, project_id, "clocs")
        return await self._get(path, ClocSummary, timeout=timeout)
