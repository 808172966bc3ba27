"""The cross-API code-quality report: a TAPD workspace's git projects, scored by TCA.

::

    from tca_tapd import build_quality_report

    report = await build_quality_report(tapd, tca, workspace_id, org_sid="my-org")
    for row in report.table_rows():
        print(row["tapd_path"], row["status"], row["lint_error"], row["dup_rate"])
    Path("quality.html").write_text(report.to_html(), encoding="utf-8")

What it does: reads the workspace's linked 工蜂 Git items
(``tapd.workspaces.relate_third_projects(ws, "tgit")``), lists the TCA repos of the
team (or of every team of the organisation, ``tca.teams.list``), matches them by the
rules below, and for each matched repo fetches its analysis projects and the latest
overview (``tca.overview.get``): the project's active lint issues by severity (all of
them, whichever scan found them) and the issues the latest scan opened, complexity,
duplication and line counts.

Matching rules:

1. **Only git repos.** TCA repos whose ``scm_type`` is not ``git`` are never matched.
2. **URLs are normalised** before comparing (:func:`normalize_git_url`): the scheme,
   user info and port are dropped, ``git@host:path`` equals ``https://host/path``,
   a trailing ``.git`` and slashes are dropped, host and path are case-folded (TGit,
   like GitLab, resolves paths case-insensitively: inferred). A TCA repo is known by
   both its ``scm_url`` and its ``ssh_url``.
3. **A linked project** (``TGitProject``) matches by URL first: if the TAPD item
   carries a clone URL (TAPD's document shows none; the keys TGit's own API uses,
   ``http_url_to_repo``, ``ssh_url_to_repo``, ``web_url``, are honoured if present)
   a TCA repo with the same normalised host and path matches (rule ``url``).
   Otherwise, or when no URL matches, a TCA repo whose URL *path* equals the
   item's ``path_with_namespace`` matches (rule ``path``; TAPD gives no host, so
   the host is not compared).
4. **A linked group** (``TGitGroup``, ``is_group`` true) is not a repo: it matches
   every TCA git repo whose URL path is under the group's ``full_path`` (``full_path/…``
   at any depth; rule ``group``), each reported as its own row. A repo under two
   linked groups belongs to the deeper one. A repo that a linked *project* matched is
   reported for that project (or listed in its ``also_matched``), not again for the
   group (projects take precedence).
5. **Ambiguity**: when a rule finds several TCA repos for one linked project (the
   same repository registered in two teams, or twice under different URLs), one is
   picked deterministically: the first team (``team_name``, or the order of
   ``tca.teams.list``), then the lowest repo id. The others are listed in
   :attr:`RepoQuality.also_matched` and not fetched. Each TCA repo is reported once.
6. **Unmatched** linked items (no TCA repo, no path, or every candidate already
   reported) are in :attr:`QualityReport.unmatched` with the reason.

Which project's overview: a repo has one analysis project per (branch, scheme).
Active projects are tried first, the one on the repo's recently active branch
(``recent_active.branch_name``) first, then by id; the first whose overview has a
scan is used. A repo with no project, or whose projects were never scanned, is
reported with status ``no_project`` / ``no_scan`` and the reason. A repo whose calls
fail is reported with status ``error`` and the error's class name and message; the
other repos go on. Listing the team's repos, or the TAPD items, failing raises:
matching against a partial list would silently drop repos.

The figures are read from the documented overview (TCA.md §5, modelled in
:mod:`tca_tapd.tca.analysis_models`); what the overview does not send is ``None``.
No secret reaches the report: URLs are shown with user info and secret-looking query
values masked, and error messages likewise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

import anyio
from attrs import asdict, define, evolve

from ._redact import redact_url
from ._report_match import (
    LinkedGit,
    Match,
    MatchRule,
    TCARepoRef,
    UnmatchedLink,
    linked_git,
    match_linked,
    normalize_git_url,
)
from ._taskgroup import single_errors
from .crawl import crawl
from .tca.analysis_models import Overview
from .tca.enums import ProjectStatus
from .tca.models import Project, Repo

if TYPE_CHECKING:
    from .tapd import TAPDClient
    from .tca import TCAClient

__all__ = [
    "SEVERITIES",
    "SUMMARY_COLUMNS",
    "TABLE_COLUMNS",
    "ComplexityFigures",
    "DuplicationFigures",
    "LineFigures",
    "LinkedGit",
    "LintFigures",
    "MatchRule",
    "ProjectRef",
    "QualityReport",
    "RepoQuality",
    "RepoStatus",
    "ReportError",
    "ReportProgress",
    "TCARepoRef",
    "UnmatchedLink",
    "build_quality_report",
    "match_linked",
    "normalize_git_url",
]

SEVERITIES = ("fatal", "error", "warning", "info")
"""Lint severities in the order the report shows them (TCA's ``IssueSeverity`` names)."""

RepoStatus = Literal["ok", "no_project", "no_scan", "error"]
"""A row's state: figures read, no analysis project, projects never scanned, failed."""


@define(frozen=True)
class LintFigures:
    """Lint issues of the project as of its latest scan (overview ``lintscan``).

    Two kinds of figures: the project's *stock* (every issue still active, whichever
    scan found it) and what the latest scan *opened*. TCA's server builds
    ``total`` from all the project's issues and ``current_scan`` from the issues
    whose ``scan_open`` is that scan (``_save_base_lintscan_summary``; its API
    documentation calls ``active_severity_detail`` 新增问题严重级别统计).

    Attributes:
        by_severity: the stock: active issues per severity name, whichever scan
            opened them (the ``active`` counts of ``total.severity_detail``), every
            name of :data:`SEVERITIES` present (0 when absent). It adds up to
            ``by_state["active"]``.
        by_state: the project's issues by state (``total.state_detail``).
        opened_by_severity: the issues the latest scan opened that are still active,
            per severity name, every name of :data:`SEVERITIES` present
            (``current_scan.active_severity_detail``); ``None`` when the overview
            has no ``current_scan``.
        opened, fixed: issues the latest scan opened (still active) and closed
            (``issue_open_num``, ``issue_fix_num``).
    """

    by_severity: Mapping[str, int]
    by_state: Mapping[str, int]
    opened: int | None = None
    fixed: int | None = None
    opened_by_severity: Mapping[str, int] | None = None

    @property
    def active(self) -> int:
        """Active issues of the project (the stock), all severities."""
        return sum(self.by_severity.values())


@define(frozen=True)
class ComplexityFigures:
    """Cyclomatic complexity of the latest scan (``cyclomaticcomplexityscan.default_summary``).

    Attributes:
        min_ccn: the threshold: functions at or over it count as complex.
        over_funcs: functions over the threshold (``default_summary.over_cc_func_count``);
            ``None`` without a ``default_summary``. The scan's ``cc_open_num`` is not
            used instead: TCA's server stores there the issue count of that scan's own
            result (``issue_count``; help text 打开的数量), which for an incremental
            scan covers only the files it analysed.
        under_funcs: functions under it (``under_cc_func_count``).
        over_sum: how far over the threshold they are, summed (``over_cc_sum``).
        func_average: average complexity of all functions (``cc_func_average``).
        over_func_average: average complexity of the complex ones.
    """

    min_ccn: int | None = None
    over_funcs: int | None = None
    under_funcs: int | None = None
    over_sum: int | None = None
    func_average: float | None = None
    over_func_average: float | None = None


@define(frozen=True)
class DuplicationFigures:
    """Duplicate code of the latest scan (overview ``duplicatescan``).

    ``rate`` is a percentage as TCA sends it (``duplicate_rate``; 0–100).
    """

    rate: float | None = None
    blocks: int | None = None
    lines: int | None = None
    files: int | None = None
    total_lines: int | None = None


@define(frozen=True)
class LineFigures:
    """Line counts of the latest scan (overview ``clocscan``)."""

    code: int | None = None
    comment: int | None = None
    blank: int | None = None
    total: int | None = None


@define(frozen=True)
class ProjectRef:
    """The analysis project whose overview a row shows, and its latest scan."""

    id: int
    branch: str
    scheme: str | None = None
    scan_id: int | None = None
    scan_time: datetime | None = None


@define(frozen=True)
class ReportError:
    """Why a row failed: the error's class name and its message (secrets masked)."""

    type: str
    message: str

    @classmethod
    def of(cls, exc: BaseException) -> ReportError:
        """The record of an exception."""
        return cls(type(exc).__name__, _scrub(str(exc)))


@define(frozen=True)
class RepoQuality:
    """One matched TCA repo and the figures of its latest scan.

    Attributes:
        linked: the TAPD item it was matched from (a project, or the group it is in).
        repo: the TCA repo.
        rule: which rule matched (``url``, ``path``, ``group``).
        also_matched: other TCA repos the rule found (ambiguous match), not fetched.
        status: ``ok``, ``no_project``, ``no_scan`` or ``error``.
        reason: what ``no_project``/``no_scan`` means for this repo.
        project: the project used (``None`` when the repo has none, or failed first).
        lint, complexity, duplication, lines: the figures (``None`` unless ``ok``, or
            when the overview left that part null).
        error: the failure, for ``error``.
    """

    linked: LinkedGit
    repo: TCARepoRef
    rule: MatchRule
    status: RepoStatus
    also_matched: tuple[TCARepoRef, ...] = ()
    reason: str | None = None
    project: ProjectRef | None = None
    lint: LintFigures | None = None
    complexity: ComplexityFigures | None = None
    duplication: DuplicationFigures | None = None
    lines: LineFigures | None = None
    error: ReportError | None = None

    def table_row(self) -> dict[str, Any]:
        """One flat dict, columns in the order of :data:`TABLE_COLUMNS`."""
        lint, cc, dup, lines = self.lint, self.complexity, self.duplication, self.lines
        project = self.project
        row: dict[str, Any] = {
            "tapd_kind": self.linked.kind,
            "tapd_path": self.linked.path,
            "tapd_git_id": self.linked.git_id,
            "tca_team": self.repo.team_name,
            "tca_repo_id": self.repo.id,
            "tca_repo": self.repo.name,
            "scm_url": self.repo.scm_url,
            "rule": self.rule,
            "status": self.status,
            "project_id": project.id if project else None,
            "branch": project.branch if project else None,
            "scan_id": project.scan_id if project else None,
            "scan_time": _iso(project.scan_time) if project else None,
        }
        for severity in SEVERITIES:
            row[f"lint_{severity}"] = lint.by_severity[severity] if lint else None
        row.update(
            {
                "lint_active": lint.active if lint else None,
                "lint_opened": lint.opened if lint else None,
                "lint_fixed": lint.fixed if lint else None,
                "cc_over_funcs": cc.over_funcs if cc else None,
                "cc_over_sum": cc.over_sum if cc else None,
                "cc_func_average": cc.func_average if cc else None,
                "dup_rate": dup.rate if dup else None,
                "dup_blocks": dup.blocks if dup else None,
                "dup_lines": dup.lines if dup else None,
                "lines_code": lines.code if lines else None,
                "lines_comment": lines.comment if lines else None,
                "lines_blank": lines.blank if lines else None,
                "lines_total": lines.total if lines else None,
                "reason": self.reason,
                "error": f"{self.error.type}: {self.error.message}" if self.error else None,
            }
        )
        return row

    def to_json(self) -> dict[str, Any]:
        """The row as nested JSON-ready data."""
        project = self.project
        return {
            "linked": self.linked.to_json(),
            "repo": self.repo.to_json(),
            "rule": self.rule,
            "also_matched": [r.to_json() for r in self.also_matched],
            "status": self.status,
            "reason": self.reason,
            "project": None
            if project is None
            else {
                "id": project.id,
                "branch": project.branch,
                "scheme": project.scheme,
                "scan_id": project.scan_id,
                "scan_time": _iso(project.scan_time),
            },
            "lint": None
            if self.lint is None
            else {
                "by_severity": dict(self.lint.by_severity),
                "active": self.lint.active,
                "by_state": dict(self.lint.by_state),
                "opened_by_severity": None
                if self.lint.opened_by_severity is None
                else dict(self.lint.opened_by_severity),
                "opened": self.lint.opened,
                "fixed": self.lint.fixed,
            },
            "complexity": _fields(self.complexity),
            "duplication": _fields(self.duplication),
            "lines": _fields(self.lines),
            "error": _fields(self.error),
        }


TABLE_COLUMNS = (
    "tapd_kind", "tapd_path", "tapd_git_id", "tca_team", "tca_repo_id", "tca_repo", "scm_url",
    "rule", "status", "project_id", "branch", "scan_id", "scan_time",
    *(f"lint_{s}" for s in SEVERITIES), "lint_active", "lint_opened", "lint_fixed",
    "cc_over_funcs", "cc_over_sum", "cc_func_average", "dup_rate", "dup_blocks", "dup_lines",
    "lines_code", "lines_comment", "lines_blank", "lines_total", "reason", "error",
)  # fmt: skip
"""The keys of :meth:`QualityReport.table_rows`, in order.

``lint_<severity>`` and ``lint_active`` count the project's active issues (all of them,
whichever scan found them); ``lint_opened`` and ``lint_fixed`` are the issues the latest
scan opened (still active) and closed."""

SUMMARY_COLUMNS = (
    "tapd_path", "tca_team", "tca_repo", "status", *(f"lint_{s}" for s in SEVERITIES[:3]),
    "lint_active", "cc_over_funcs", "dup_rate", "lines_code",
)  # fmt: skip
"""The columns of a short table of the report (``tca-tapd report``'s, the demo's), in
:data:`TABLE_COLUMNS`' order; CSV and JSON have every column."""


@define(frozen=True)
class QualityReport:
    """The report of one TAPD workspace.

    Attributes:
        workspace_id: the TAPD workspace.
        org_sid: the TCA organisation searched.
        teams: the TCA teams searched, in preference order.
        generated_at: when the report was built (aware, UTC).
        repos: the matched TCA repos, in the order of the workspace's linked items.
        unmatched: linked items with no reported TCA repo, and why.
    """

    workspace_id: int
    org_sid: str
    teams: tuple[str, ...]
    generated_at: datetime
    repos: tuple[RepoQuality, ...]
    unmatched: tuple[UnmatchedLink, ...]

    def table_rows(self) -> list[dict[str, Any]]:
        """One flat dict per matched repo; keys in the order of :data:`TABLE_COLUMNS`."""
        return [repo.table_row() for repo in self.repos]

    def to_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (``json.dumps`` takes it as is)."""
        return {
            "workspace_id": self.workspace_id,
            "org_sid": self.org_sid,
            "teams": list(self.teams),
            "generated_at": _iso(self.generated_at),
            "summary": self.summary(),
            "repos": [repo.to_json() for repo in self.repos],
            "unmatched": [item.to_json() for item in self.unmatched],
        }

    def summary(self) -> dict[str, int]:
        """Counts: matched repos, by status, and unmatched items."""
        counts = {"matched": len(self.repos), "unmatched": len(self.unmatched)}
        for status in ("ok", "no_project", "no_scan", "error"):
            counts[status] = sum(1 for r in self.repos if r.status == status)
        return counts

    def to_html(self) -> str:
        """A self-contained HTML page: a summary table and one inline SVG chart per
        repo with figures (no scripts, no external resources)."""
        from ._report_html import render_html  # the page template is only needed here

        return render_html(self)


@define(frozen=True)
class ReportProgress:
    """Where a report stands; passed to ``on_progress`` once the repos are matched
    and after each repo is done.

    Attributes:
        repos_total: matched repos to fetch.
        repos_done: repos fetched (or failed).
        errors: repos that failed.
    """

    repos_total: int
    repos_done: int = 0
    errors: int = 0


async def build_quality_report(
    tapd: TAPDClient,
    tca: TCAClient,
    workspace_id: int,
    *,
    org_sid: str,
    team_name: str | None = None,
    concurrency: int = 8,
    on_progress: Callable[[ReportProgress], None] | None = None,
) -> QualityReport:
    """Build the quality report of a TAPD workspace (see the module docs for the rules).

    Args:
        tapd: a TAPD client (reads ``relate_third_projects``).
        tca: a TCA client (reads teams, repos, projects and overviews).
        workspace_id: the TAPD workspace.
        org_sid: the TCA organisation.
        team_name: the TCA team whose repos are matched; ``None`` for every team of
            the organisation (``tca.teams.list``), preferred in that order.
        concurrency: repos fetched at once (each one request at a time), and team
            repo listings read at once.
        on_progress: called with a :class:`ReportProgress` after matching and after
            each repo.

    Raises:
        ValueError: ``concurrency`` is not an int >= 1.
        TcaTapdError: the TAPD items, the teams or a team's repos could not be read
            (a single repo's failure is recorded on its row instead).
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
    items = await tapd.workspaces.relate_third_projects(workspace_id, "tgit")
    linked = [linked_git(item) for item in items]
    if team_name is None:
        teams = tuple(t.name for t in await tca.teams.list(org_sid).collect())
    else:
        teams = (team_name,)
    repos = await _team_repos(tca, org_sid, teams, concurrency)
    matches, unmatched = match_linked(linked, repos)

    progress = ReportProgress(repos_total=len(matches))
    if on_progress is not None:
        on_progress(progress)
    rows: list[RepoQuality | None] = [None] * len(matches)
    limiter = anyio.CapacityLimiter(concurrency)

    async def fetch(index: int, match: Match) -> None:
        nonlocal progress
        async with limiter:
            try:
                row = await _repo_quality(tca, org_sid, match)
            except Exception as exc:  # one repo's failure is its row's, not the report's
                row = RepoQuality(
                    match.linked,
                    TCARepoRef.of(match.team_name, match.repo),
                    match.rule,
                    "error",
                    match.also_matched,
                    error=ReportError.of(exc),
                )
        rows[index] = row
        failed = row.status == "error"
        progress = evolve(
            progress, repos_done=progress.repos_done + 1, errors=progress.errors + int(failed)
        )
        if on_progress is not None:
            on_progress(progress)

    with single_errors():
        async with anyio.create_task_group() as tg:
            for index, match in enumerate(matches):
                tg.start_soon(fetch, index, match)
    return QualityReport(
        workspace_id=workspace_id,
        org_sid=org_sid,
        teams=teams,
        generated_at=datetime.now(timezone.utc),
        repos=tuple(row for row in rows if row is not None),
        unmatched=tuple(unmatched),
    )


async def _team_repos(
    tca: TCAClient, org_sid: str, teams: Sequence[str], concurrency: int
) -> list[tuple[str, Repo]]:
    """Every repo of the teams, as ``(team, repo)``: teams in order, repos by id."""
    found: dict[str, list[Repo]] = {team: [] for team in teams}
    pagers = {team: tca.repos.list(org_sid, team) for team in teams}
    async with crawl(pagers, concurrency=concurrency, on_error="raise") as results:
        async for team, repo in results:
            found[team].append(repo)
    return [(team, repo) for team in teams for repo in sorted(found[team], key=lambda r: r.id)]


async def _repo_quality(tca: TCAClient, org_sid: str, match: Match) -> RepoQuality:
    """Fetch one repo's projects and the overview of the first one that was scanned."""
    ref = TCARepoRef.of(match.team_name, match.repo)
    base = RepoQuality(match.linked, ref, match.rule, "no_project", match.also_matched)
    projects = await tca.projects.list(org_sid, match.team_name, match.repo.id).collect()
    if not projects:
        return evolve(base, reason="the TCA repo has no analysis project")
    ordered = _project_order(projects, match.repo)
    for project in ordered:
        overview = await tca.overview.get(org_sid, match.team_name, match.repo.id, project.id)
        if _scanned(overview):
            return evolve(
                base, status="ok", project=_project_ref(project, overview), **_figures(overview)
            )
    count = len(projects)
    return evolve(
        base,
        status="no_scan",
        project=_project_ref(ordered[0], None),
        reason=f"no scan yet ({count} project{'s' if count != 1 else ''}, none scanned)",
    )


def _project_order(projects: Sequence[Project], repo: Repo) -> list[Project]:
    """Active first, then the recently active branch, then by id."""
    branch = repo.recent_active.branch_name if repo.recent_active else None

    def key(project: Project) -> tuple[bool, bool, int]:
        inactive = project.status is not None and project.status != ProjectStatus.ACTIVE
        return (inactive, project.branch != branch, project.id)

    return sorted(projects, key=key)


def _scanned(overview: Overview) -> bool:
    return any(
        part is not None
        for part in (
            overview.lintscan,
            overview.cyclomaticcomplexityscan,
            overview.duplicatescan,
            overview.clocscan,
        )
    )


def _project_ref(project: Project, overview: Overview | None) -> ProjectRef:
    scan_id: int | None = None
    scan_time: datetime | None = None
    if overview is not None:
        lint = overview.lintscan
        if lint is not None and lint.scan is not None:
            scan_id, scan_time = lint.scan.id, lint.scan.scan_time
        else:
            for part in (
                overview.cyclomaticcomplexityscan,
                overview.duplicatescan,
                overview.clocscan,
            ):
                if part is not None:
                    scan_id = part.scan if part.scan is not None else part.id
                    scan_time = part.scan_time
                    break
    scheme = project.scan_scheme.name if project.scan_scheme is not None else None
    return ProjectRef(project.id, project.branch, scheme, scan_id, scan_time)


def _figures(overview: Overview) -> dict[str, Any]:
    """The four figure groups of a scanned overview (``None`` for a null part)."""
    out: dict[str, Any] = {}
    lint = overview.lintscan
    if lint is not None:
        total = lint.total
        # The stock: TCA's server always sends total.severity_detail ({} with no issue).
        stock = total.severity_detail if total and total.severity_detail else {}
        by_state = total.state_detail if total and total.state_detail else {}
        current = lint.current_scan
        new = current.active_severity_detail if current is not None else None
        out["lint"] = LintFigures(
            by_severity={s: _count((stock.get(s) or {}).get("active")) for s in SEVERITIES},
            by_state=dict(by_state),
            opened=lint.issue_open_num,
            fixed=lint.issue_fix_num,
            opened_by_severity=None if new is None else {s: _count(new.get(s)) for s in SEVERITIES},
        )
    cc = overview.cyclomaticcomplexityscan
    if cc is not None:
        summary = cc.default_summary
        out["complexity"] = ComplexityFigures(
            min_ccn=summary.min_ccn if summary and summary.min_ccn is not None else cc.min_ccn,
            over_funcs=summary.over_cc_func_count if summary else None,
            under_funcs=summary.under_cc_func_count if summary else None,
            over_sum=summary.over_cc_sum if summary else None,
            func_average=summary.cc_func_average if summary else None,
            over_func_average=summary.over_cc_func_average if summary else None,
        )
    dup = overview.duplicatescan
    if dup is not None:
        out["duplication"] = DuplicationFigures(
            rate=dup.duplicate_rate,
            blocks=dup.duplicate_block_count,
            lines=dup.duplicate_line_count,
            files=dup.duplicate_file_count,
            total_lines=dup.total_line_count,
        )
    cloc = overview.clocscan
    if cloc is not None:
        out["lines"] = LineFigures(
            code=cloc.code_line_num,
            comment=cloc.comment_line_num,
            blank=cloc.blank_line_num,
            total=cloc.total_line_num,
        )
    return out


_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\]\)'\"<>]+")
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


def _scrub(text: str) -> str:
    """An error message with URLs' user info and secret query values masked."""
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
    text = _USERINFO.sub("", text)
    return text[:500]


def _count(value: object) -> int:
    """A count from an overview mapping: 0 when absent or not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _fields(value: Any) -> dict[str, Any] | None:
    """A flat attrs value (figures, an error) as a dict; ``None`` stays ``None``."""
    return None if value is None else asdict(value)
