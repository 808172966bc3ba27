"""TCA analysis-server payload models: lint issues, code metrics, overviews.

Field sources: the zh API documentation of Tencent/CodeAnalysis
(``代码扫描数据模块接口.md``, ``代码度量数据模块接口.md``, ``结果概览模块接口.md``;
examples summed up in TCA.md §5) and captures of the open-source server (empty lists,
the overview of a project never scanned, the latest scan right after a create).
Everything documented is a field; what a model does not name stays on ``.raw``.
Timestamps are ISO with ``+08:00``; ``execute_time`` is a ``timedelta``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from attrs import define

from .._convert import Model
from .enums import CCIssueStatus, IssueCategory, IssueResolution, IssueSeverity, IssueState
from .models import Creator

__all__ = [
    "CCFile",
    "CCIssue",
    "CCScan",
    "CCSummary",
    "ClocFile",
    "ClocLanguage",
    "ClocScan",
    "ClocSummary",
    "DupBlock",
    "DupFile",
    "DupFileDetail",
    "DupIssue",
    "DupRisk",
    "DupScan",
    "Issue",
    "IssueDetail",
    "IssueLocation",
    "LatestScan",
    "LintCurrentScan",
    "LintScan",
    "LintScanInfo",
    "LintTotal",
    "Overview",
]

# category -> severity -> {"rule_count", "active", "resolved", "closed"}
RuleSummary = Mapping[str, Mapping[str, Mapping[str, int]]]


@define(frozen=True)
class _Audited(Model):
    """Audit fields of analysis objects (documented; ``creator`` is usually null)."""

    creator: Creator | str | None = None
    created_time: datetime | None = None
    modifier: Creator | str | None = None
    modified_time: datetime | None = None
    deleter: Creator | str | None = None
    deleted_time: datetime | None = None


@define(frozen=True)
class Issue(Model):
    """A lint issue in a project's issue list (documented list item).

    ``language`` and ``tapd_ws_id`` are listed in TCA.md §4 for the list (inferred
    optional).
    """

    id: int
    file_path: str = ""
    project: int | None = None
    repo: int | None = None
    checkrule_real_name: str | None = None
    checkrule_display_name: str | None = None
    checktool_name: str | None = None
    msg: str | None = None
    state: IssueState | None = None
    resolution: IssueResolution | None = None
    author: str | None = None
    author_email: str | None = None
    severity: IssueSeverity | None = None
    revision: str | None = None
    ci_time: datetime | None = None
    file_owners: str | None = None
    is_external: bool | None = None
    scm_url: str | None = None
    real_file_path: str | None = None
    scan_open: int | None = None
    scan_fix: int | None = None
    fixed_time: datetime | None = None
    language: str | None = None
    tapd_ws_id: str | None = None


@define(frozen=True)
class IssueLocation(_Audited):
    """One occurrence of an issue (``issue_details[]`` of the issue detail).

    Fields from the documented issue detail (TCA.md §4 lists ``id``,
    ``issuedetail_uuid``, ``line``, ``column``, ``scan_revision``, ``revision``,
    ``ci_time``, ``author``, …); not captured (the captured issue lists are empty).
    """

    id: int = 0
    issuedetail_uuid: str | None = None
    issue_refers: tuple[Any, ...] = ()
    checkrule_real_name: str | None = None
    checktool_name: str | None = None
    author: str | None = None
    author_email: str | None = None
    line: int | None = None
    column: int | None = None
    scan_revision: str | None = None
    revision: str | None = None
    ci_time: datetime | None = None
    real_revision: str | None = None
    issue: int | None = None
    project: int | None = None


@define(frozen=True)
class IssueDetail(_Audited):
    """A lint issue with its occurrences (documented issue detail).

    ``author_email`` and ``msg`` are on the list item; assumed on the detail too.
    """

    id: int = 0
    file_path: str = ""
    issue_details: tuple[IssueLocation, ...] = ()
    is_external: bool | None = None
    repo: int | None = None
    project: int | None = None
    author: str | None = None
    author_email: str | None = None
    file_hash: str | None = None
    scm_url: str | None = None
    real_file_path: str | None = None
    checkrule_gid: int | None = None
    checkrule_real_name: str | None = None
    checkrule_display_name: str | None = None
    checkrule_rule_title: str | None = None
    checktool_name: str | None = None
    category: IssueCategory | None = None
    state: IssueState | None = None
    resolution: IssueResolution | None = None
    scan_revision: str | None = None
    severity: IssueSeverity | None = None
    language: str | None = None
    revision: str | None = None
    ci_time: datetime | None = None
    file_owners: str | None = None
    fixed_time: datetime | None = None
    tapd_ws_id: str | None = None
    tapd_bug_id: str | None = None
    scan_open: int | None = None
    scan_fix: int | None = None
    msg: str | None = None


@define(frozen=True)
class CCFile(_Audited):
    """A file with functions over the complexity threshold.

    The documentation's ``ccfiles/`` example repeats the cc-issue example by mistake;
    these fields are those of its per-scan ``ccfiles`` example, which is the file
    serializer (inferred to be the same view).
    """

    id: int = 0
    file_path: str = ""
    repo: int | None = None
    tapd_url: str | None = None
    over_func_cc: int | None = None
    over_cc_sum: int | None = None
    over_cc_avg: float | None = None
    over_cc_func_count: int | None = None
    diff_over_func_cc: int | None = None
    diff_over_cc_sum: int | None = None
    diff_over_cc_avg: float | None = None
    diff_over_cc_func_count: int | None = None
    worse: bool | None = None
    state: IssueState | None = None
    change_type: int | None = None
    last_modifier: str | None = None
    author: str | None = None
    related_modifiers: str | None = None
    file_owners: str | None = None
    language: str | None = None
    tapd_ws_id: str | None = None
    tapd_bug_id: str | None = None
    revision: str | None = None
    ci_time: datetime | None = None
    project: int | None = None
    scan_open: int | None = None
    scan_close: int | None = None


@define(frozen=True)
class CCIssue(_Audited):
    """A function over the complexity threshold (documented ccissues item)."""

    id: int = 0
    ccn: int = 0
    file_path: str = ""
    func_name: str | None = None
    repo: int | None = None
    g_cc_hash: str | None = None
    cc_hash: str | None = None
    func_param_num: int | None = None
    long_name: str | None = None
    change_type: int | None = None
    status: CCIssueStatus | None = None
    last_modifier: str | None = None
    author: str | None = None
    related_modifiers: str | None = None
    is_tapdbug: bool | None = None
    ignore_time: datetime | None = None
    is_latest: bool | None = None
    language: str | None = None
    revision: str | None = None
    ci_time: datetime | None = None
    diff_ccn: int | None = None
    project: int | None = None
    scan_open: int | None = None
    scan_close: int | None = None


@define(frozen=True)
class DupIssue(Model):
    """The issue attached to a duplicate file (``issue`` of a dupfiles item).

    ``{id, state, owner}`` from the documentation's duplicate-file example (TCA.md
    §5); not captured.
    """

    id: int
    state: IssueState | None = None
    owner: str | None = None


@define(frozen=True)
class DupBlock(Model):
    """A duplicated block of a file (documented blocks item)."""

    id: int
    duplicate_file: int | None = None
    project_id: int | None = None
    scan_id: int | None = None
    duplicate_file_id: int | None = None
    token_num: int | None = None
    duplicate_times: int | None = None
    duplicate_rate: float | None = None
    start_line_num: int | None = None
    end_line_num: int | None = None
    duplicate_line_count: int | None = None
    last_modifier: str | None = None
    change_type: str | None = None
    related_modifiers: str | None = None


@define(frozen=True)
class DupFile(Model):
    """A file with duplicated code (documented dupfiles item)."""

    id: int
    file_path: str = ""
    repo: int | None = None
    issue: DupIssue | None = None
    project_id: int | None = None
    scan_id: int | None = None
    issue_id: int | None = None
    issue_state: IssueState | None = None
    issue_owner: str | None = None
    dir_path: str | None = None
    file_name: str | None = None
    duplicate_rate: float | None = None
    total_line_count: int | None = None
    total_duplicate_line_count: int | None = None
    distinct_hash_num: int | None = None
    block_num: int | None = None
    last_modifier: str | None = None
    change_type: str | None = None
    scm_revision: str | None = None
    is_latest: bool | None = None


@define(frozen=True)
class DupFileDetail(DupFile):
    """A duplicate file with its blocks (documented dupfiles detail)."""

    blocks: tuple[DupBlock, ...] = ()
    duplicate_rate_trend: float | None = None


@define(frozen=True)
class _LineCounts(Model):
    """Line counts, total and changed since the previous scan (documented)."""

    code_line_num: int | None = None
    comment_line_num: int | None = None
    blank_line_num: int | None = None
    total_line_num: int | None = None
    add_code_line_num: int | None = None
    add_comment_line_num: int | None = None
    add_blank_line_num: int | None = None
    add_total_line_num: int | None = None
    mod_code_line_num: int | None = None
    mod_comment_line_num: int | None = None
    mod_blank_line_num: int | None = None
    mod_total_line_num: int | None = None
    del_code_line_num: int | None = None
    del_comment_line_num: int | None = None
    del_blank_line_num: int | None = None
    del_total_line_num: int | None = None


@define(frozen=True)
class ClocLanguage(_LineCounts):
    """Line counts of one language (documented cloclangs item)."""

    id: int = 0
    name: str = ""
    file_num: int | None = None
    project_id: int | None = None
    scan_id: int | None = None
    is_latest: bool | None = None


@define(frozen=True)
class ClocFile(_LineCounts):
    """Line counts of one file (documented clocfiles item)."""

    id: int = 0
    dir_path: str | None = None
    file_name: str | None = None
    language: str | None = None
    change_type: str | None = None
    project_id: int | None = None
    scan_id: int | None = None
    is_latest: bool | None = None


@define(frozen=True)
class ClocSummary(_LineCounts):
    """A project's line-count summary (``codemetric/clocs/``).

    Not documented: the open-source server routes it; its fields are inferred to be
    the line counts of the cloc scan summary, with ``scan_id``.
    """

    id: int | None = None
    scan_id: int | None = None
    scan_revision: str | None = None


@define(frozen=True)
class LintScanInfo(Model):
    """The scan of a lint summary: ``{id, scan_time, execute_time}``.

    From the documentation's overview ``lintscan`` example (TCA.md §5;
    ``execute_time`` is Django's ``HH:MM:SS.ffffff``). The captured overviews are
    all null (a never-scanned project).
    """

    id: int
    scan_time: datetime | None = None
    execute_time: timedelta | None = None


@define(frozen=True)
class LintCurrentScan(Model):
    """What one scan changed (``current_scan``); keys are category/severity names.

    The ``active_*_detail`` counts are the issues this scan opened that are still
    active (the server's summary builds them from the issues whose ``scan_open`` is
    the scan), not the project's stock of active issues: that is
    :attr:`LintScan.total`'s ``severity_detail`` (per severity, an ``active`` count).

    From the documentation's overview ``lintscan`` example (TCA.md §5); not captured.
    ``issue_open_num``/``issue_fix_num`` here are inferred from the summary's own.
    """

    active_category_detail: Mapping[str, int] | None = None
    active_severity_detail: Mapping[str, int] | None = None
    issue_open_num: int | None = None
    issue_fix_num: int | None = None


@define(frozen=True)
class LintTotal(Model):
    """The project's issue totals (``total``): by state, and per category/severity.

    From the documentation's overview ``lintscan`` example (TCA.md §5); not captured.
    The example elides ``category_detail``: its state-count values are inferred to be
    shaped like ``severity_detail``'s.
    """

    state_detail: Mapping[str, int] | None = None
    category_detail: Mapping[str, Mapping[str, int]] | None = None
    severity_detail: Mapping[str, Mapping[str, int]] | None = None


@define(frozen=True)
class LintScan(Model):
    """A lint scan summary (overview ``lintscan`` and ``lintscans/`` items)."""

    issue_open_num: int | None = None
    issue_fix_num: int | None = None
    issue_detail_num: int | None = None
    scan: LintScanInfo | None = None
    current_scan: LintCurrentScan | None = None
    total: LintTotal | None = None
    status: int | None = None
    text: str | None = None
    description: str | None = None
    scan_summary: RuleSummary | None = None
    total_summary: RuleSummary | None = None


@define(frozen=True)
class CCSummary(Model):
    """``default_summary`` of a complexity scan.

    Every field from the documentation's overview example (``Overview cc``, TCA.md
    §5); not captured.
    """

    min_ccn: int | None = None
    over_cc_func_count: int | None = None
    under_cc_func_count: int | None = None
    diff_over_cc_func_count: int | None = None
    over_cc_func_average: float | None = None
    cc_func_average: float | None = None
    over_cc_sum: int | None = None
    cc_average_of_lines: float | None = None


@define(frozen=True)
class CCScan(_Audited):
    """A complexity scan summary (overview ``cyclomaticcomplexityscan``, ``cycscans/``)."""

    id: int = 0
    scan_revision: str | None = None
    scan_time: datetime | None = None
    default_summary: CCSummary | None = None
    custom_summary: Mapping[str, Any] | None = None
    last_revision: str | None = None
    diff_cc_num: int | None = None
    cc_open_num: int | None = None
    cc_average_of_lines: float | None = None
    cc_fix_num: int | None = None
    worse_cc_file_num: int | None = None
    min_ccn: int | None = None
    code_line_num: int | None = None
    scan: int | None = None


@define(frozen=True)
class DupRisk(Model):
    """One risk band of a duplicate scan: its rate range and file count.

    ``{range: [lo, hi], file_count, diff: {diff_file_count}}`` from the
    documentation's overview description (TCA.md §5); not captured.
    """

    range: tuple[float, ...] = ()
    file_count: int | None = None
    diff: Mapping[str, int] | None = None


@define(frozen=True)
class DupScan(Model):
    """A duplicate-code scan summary (overview ``duplicatescan``, ``dupscans/``).

    ``default_summary`` maps ``exhi_risk``/``high_risk``/``midd_risk``/``low_risk``
    to :class:`DupRisk`.
    """

    id: int
    scan_revision: str | None = None
    scan_time: datetime | None = None
    default_summary: Mapping[str, DupRisk] | None = None
    custom_summary: Mapping[str, Any] | None = None
    last_revision: str | None = None
    duplicate_file_count: int | None = None
    duplicate_block_count: int | None = None
    duplicate_line_count: int | None = None
    diff_duplicate_block_count: int | None = None
    diff_duplicate_line_count: int | None = None
    close_issue_count: int | None = None
    new_issue_count: int | None = None
    reopen_issue_count: int | None = None
    ignored_issue_count: int | None = None
    duplicate_rate: float | None = None
    unique_duplicate_line_count: int | None = None
    total_duplicate_line_count: int | None = None
    total_line_count: int | None = None
    scan: int | None = None


@define(frozen=True)
class ClocScan(_LineCounts):
    """A line-count scan summary (overview ``clocscan``, ``clocscans/``)."""

    id: int = 0
    scan_revision: str | None = None
    scan_time: datetime | None = None
    last_revision: str | None = None
    scan: int | None = None


@define(frozen=True)
class Overview(Model):
    """The latest summary of each analysis (``overview/``); all null before a scan."""

    lintscan: LintScan | None = None
    cyclomaticcomplexityscan: CCScan | None = None
    duplicatescan: DupScan | None = None
    clocscan: ClocScan | None = None


@define(frozen=True)
class LatestScan(Model):
    """The latest scan (``overview/latestscan/``, docs and capture).

    ``url`` and ``job_archived`` are seen in the capture only.
    """

    id: int
    repo_id: int | None = None
    project_id: int | None = None
    job_gid: int | None = None
    scan_time: datetime | None = None
    current_revision: str | None = None
    result_code: int | None = None
    result_code_msg: str | None = None
    result_msg: str | None = None
    url: str | None = None
    lintscan: LintScan | None = None
    duplicatescan: DupScan | None = None
    cyclomaticcomplexityscan: CCScan | None = None
    clocscan: ClocScan | None = None
    job_archived: bool | None = None
