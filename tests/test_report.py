"""The cross-API quality report: the matching rules (pure), then the whole report
against FakeTAPD and FakeTCA (in-process and over loopback), faults included."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tca_tapd import (
    PermissionDeniedError,
    QualityReport,
    RepoQuality,
    ReportProgress,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
    _report_html,
    build_quality_report,
)
from tca_tapd._convert import Structurer, make_converter
from tca_tapd.report import (
    SEVERITIES,
    TABLE_COLUMNS,
    LinkedGit,
    LintFigures,
    ProjectRef,
    ReportError,
    TCARepoRef,
    _figures,
    match_linked,
    normalize_git_url,
)
from tca_tapd.tapd import TGitGroup, TGitProject
from tca_tapd.tca import IssueState, Overview, Repo
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    FakeTAPD,
    FakeTCA,
    Fault,
)

from .conftest import Target

ORG, TEAM = "hellotca", "demo"
WS = FakeTAPD().workspace_ids[0]


# == the rules, without a server ==========================================================


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://git.example.com/grp/repo.git", ("git.example.com", "grp/repo")),
        ("http://git.example.com/grp/repo", ("git.example.com", "grp/repo")),
        ("HTTPS://Git.Example.COM/Grp/Repo/", ("git.example.com", "grp/repo")),
        ("git@git.example.com:grp/repo.git", ("git.example.com", "grp/repo")),
        ("git.example.com:grp/sub/repo", ("git.example.com", "grp/sub/repo")),
        ("ssh://git@git.example.com:2222/grp/repo.git", ("git.example.com", "grp/repo")),
        (
            "https://user:s3cret@git.example.com:8443//grp//repo.git/",
            ("git.example.com", "grp/repo"),
        ),
        ("  https://git.example.com/a/b/c.d.git  ", ("git.example.com", "a/b/c.d")),
        ("https://git.example.com/", None),
        ("https://git.example.com/.git", None),
        ("not a url", None),
        ("", None),
        (None, None),
        ("/local/path/repo", None),
    ],
)
def test_normalize_git_url(url: str | None, expected: tuple[str, str] | None) -> None:
    assert normalize_git_url(url) == expected


def _repo(repo_id: int, url: str, *, ssh: str | None = None, scm_type: str = "git") -> Repo:
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return Repo(id=repo_id, name=name, scm_url=url, scm_type=scm_type, ssh_url=ssh)


def _project(path: str | None, *urls: str, git_id: int = 1) -> LinkedGit:
    return LinkedGit("project", path, git_id, (path or "x").rsplit("/", 1)[-1], urls)


def _group(path: str | None, git_id: int = 100) -> LinkedGit:
    return LinkedGit("group", path, git_id, path or "g")


def _found(linked: Sequence[LinkedGit], repos: Sequence[tuple[str, Repo]]) -> list[Any]:
    matches, _ = match_linked(linked, repos)
    return [(m.linked.path, m.team_name, m.repo.id, m.rule) for m in matches]


def _why(linked: Sequence[LinkedGit], repos: Sequence[tuple[str, Repo]]) -> list[str]:
    return [u.reason for u in match_linked(linked, repos)[1]]


def test_path_rule_ignores_host_scheme_case_and_git_suffix() -> None:
    repos = [
        ("t", _repo(1, "https://other.host/Team/App.git")),
        ("t", _repo(2, "http://git.example.com/team/lib")),
    ]
    assert _found([_project("team/app"), _project("/team/lib.git/")], repos) == [
        ("team/app", "t", 1, "path"),
        ("/team/lib.git/", "t", 2, "path"),
    ]


def test_ssh_url_counts_too() -> None:
    repos = [("t", _repo(1, "svn://weird", ssh="git@git.example.com:team/app.git"))]
    assert _found([_project("team/app")], repos) == [("team/app", "t", 1, "path")]


def test_url_rule_comes_first_and_compares_the_host() -> None:
    repos = [
        ("t", _repo(1, "https://a.example/team/app")),  # same path, other host
        ("t", _repo(2, "git@b.example:team/app.git")),
    ]
    linked = [_project("team/app", "https://b.example/team/app.git")]
    matches, unmatched = match_linked(linked, repos)
    assert [(m.repo.id, m.rule) for m in matches] == [(2, "url")]
    assert unmatched == []
    # a URL that matches nothing falls back to the path rule (both repos: ambiguous)
    fallback = _found([_project("team/app", "https://c.example/team/app")], repos)
    assert fallback == [("team/app", "t", 1, "path")]


def test_svn_repos_are_never_matched() -> None:
    repos = [("t", _repo(1, "http://git.example.com/team/app", scm_type="svn"))]
    assert _found([_project("team/app")], repos) == []
    assert _why([_project("team/app")], repos) == [
        "no TCA git repo with the path or URL of team/app"
    ]


def test_ambiguity_picks_first_team_then_lowest_id_and_lists_the_others() -> None:
    repos = [
        ("first", _repo(9, "http://git.example.com/team/app")),
        ("second", _repo(3, "git@git.example.com:team/app.git")),
        ("first", _repo(4, "https://git.example.com/TEAM/APP.git")),
    ]
    matches, unmatched = match_linked([_project("team/app")], repos)
    (match,) = matches
    assert (match.team_name, match.repo.id, match.rule) == ("first", 4, "path")
    assert [(r.team_name, r.id) for r in match.also_matched] == [("first", 9), ("second", 3)]
    assert unmatched == []


def test_a_repo_is_reported_once() -> None:
    repos = [("t", _repo(1, "http://git.example.com/team/app"))]
    linked = [_project("team/app", git_id=1), _project("Team/App.git", git_id=2)]
    assert _found(linked, repos) == [("team/app", "t", 1, "path")]
    assert _why(linked, repos) == ["its TCA repo t/app (id 1) is already reported for team/app"]


def test_groups_match_repos_under_their_path() -> None:
    repos = [
        ("t", _repo(1, "http://git.example.com/grp/a")),
        ("t", _repo(2, "http://git.example.com/grp/sub/b")),
        ("t", _repo(3, "http://git.example.com/grp-other/c")),  # a sibling, not under grp/
        ("t", _repo(4, "http://git.example.com/grp")),  # the group's own path is no repo of it
        ("t", _repo(5, "http://git.example.com/grp/sub/deeper/d")),
    ]
    linked = [_group("grp"), _group("GRP/sub/", 101), _group("nothing", 102)]
    assert _found(linked, repos) == [
        ("grp", "t", 1, "group"),
        ("GRP/sub/", "t", 2, "group"),  # the deeper group owns what is under it
        ("GRP/sub/", "t", 5, "group"),
    ]
    assert _why(linked, repos) == ["no TCA git repo under nothing/"]


def test_linked_projects_take_precedence_over_groups() -> None:
    repos = [
        ("t", _repo(1, "http://git.example.com/grp/a")),
        ("t", _repo(2, "http://git.example.com/grp/b")),
    ]
    # the group comes first in TAPD's list, the project still wins repo 1
    assert _found([_group("grp"), _project("grp/a")], repos) == [
        ("grp", "t", 2, "group"),
        ("grp/a", "t", 1, "path"),
    ]
    only = [_group("grp"), _project("grp/a", git_id=1), _project("grp/b", git_id=2)]
    assert _why(only, repos) == ["its 2 TCA repo(s) under grp/ are matched by linked projects"]


def test_a_projects_also_matched_repos_are_not_reported_for_a_group() -> None:
    # the same repository registered in two teams, under a linked group and project
    repos = [
        ("teamA", _repo(1, "http://git.example.com/grp/app")),
        ("teamB", _repo(2, "git@git.example.com:grp/app.git")),
        ("teamB", _repo(3, "http://git.example.com/grp/other")),
    ]
    for linked in ([_project("grp/app"), _group("grp")], [_group("grp"), _project("grp/app")]):
        matches, unmatched = match_linked(linked, repos)
        found = [
            (m.linked.kind, m.team_name, m.repo.id, [(r.team_name, r.id) for r in m.also_matched])
            for m in matches
        ]
        assert sorted(found) == [("group", "teamB", 3, []), ("project", "teamA", 1, [("teamB", 2)])]
        assert unmatched == []
    # with nothing else under the group, the group is unmatched, and says why
    only = [_project("grp/app"), _group("grp")]
    assert _found(only, repos[:2]) == [("grp/app", "teamA", 1, "path")]
    assert _why(only, repos[:2]) == ["its 2 TCA repo(s) under grp/ are matched by linked projects"]


def test_items_without_a_path() -> None:
    repos = [("t", _repo(1, "http://git.example.com/grp/a"))]
    assert _why([_project(None), _group(None)], repos) == [
        "the linked project has no path_with_namespace",
        "the group has no full_path or path",
    ]


def test_linked_git_reads_tapd_items_and_masks_urls() -> None:
    project = TGitProject(
        id="1",
        workspace_id=WS,
        git_project_id=77,
        name="app",
        path_with_namespace="team/app",
        raw={
            "http_url_to_repo": "https://bot:hunter2@git.example.com/team/app.git",
            "ssh_url_to_repo": "git@bot:hunter2@git.example.com:team/app.git",  # scp-like
            "x": 1,
        },
    )
    group = TGitGroup(id="2", workspace_id=WS, group_id=8, name="G", path="g", full_path=None)
    from tca_tapd._report_match import linked_git

    seen = linked_git(project)
    assert (seen.kind, seen.path, seen.git_id, seen.name) == ("project", "team/app", 77, "app")
    assert seen.urls == (
        "https://git.example.com/team/app.git",
        "[redacted]@git.example.com:team/app.git",
    )
    # Masked, the scp-like URL still names its host and path for matching.
    assert {normalize_git_url(url) for url in seen.urls} == {("git.example.com", "team/app")}
    ref = TCARepoRef.of("demo", _repo(3, "bot:hunter2@git.example.com:team/app.git"))
    assert ref.scm_url == "[redacted]@git.example.com:team/app.git"
    assert linked_git(group) == LinkedGit("group", "g", 8, "G")


# == the figures of an overview ===========================================================

# TCA.md §5's overview lintscan (the documentation's example, abridged to the fields read).
DOC_LINTSCAN: dict[str, Any] = {
    "issue_open_num": 74,
    "issue_fix_num": 439,
    "scan": {"id": 1, "scan_time": "2021-03-11T20:46:44.171607+08:00"},
    "current_scan": {
        "active_category_detail": {"convention": 70, "other": 4},
        "active_severity_detail": {"error": 69, "warning": 5},
        "issue_open_num": 74,
        "issue_fix_num": 439,
    },
    "total": {
        "state_detail": {"active": 197, "resolved": 13, "closed": 23297},
        "severity_detail": {
            "error": {"active": 157, "resolved": 11, "closed": 20113},
            "warning": {"active": 40, "resolved": 2, "closed": 2930},
            "info": {"closed": 254},
        },
    },
}
DOC_CC: dict[str, Any] = {
    "id": 1,
    "default_summary": {"min_ccn": 20, "over_cc_func_count": 6, "under_cc_func_count": 796},
    "cc_open_num": 6,
    "min_ccn": 20,
    "scan": 1,
}
STRUCTURE = Structurer.from_factory(make_converter)  # as the client builds it


def _overview(**parts: Any) -> Overview:
    return STRUCTURE.one(parts, Overview)


def test_lint_figures_are_the_stock_of_active_issues() -> None:
    lint = _figures(_overview(lintscan=DOC_LINTSCAN))["lint"]
    # every active issue of the project, whichever scan opened it
    assert lint.by_severity == {"fatal": 0, "error": 157, "warning": 40, "info": 0}
    assert lint.active == lint.by_state["active"] == 197
    # what the latest scan opened (current_scan: scan_open is that scan), kept apart
    assert lint.opened_by_severity == {"fatal": 0, "error": 69, "warning": 5, "info": 0}
    assert (lint.opened, lint.fixed) == (74, 439)
    row = RepoQuality(
        LinkedGit("project", "grp/app", 1, "app"),
        TCARepoRef(TEAM, 1, "app", "https://git.example.com/grp/app"),
        "path",
        "ok",
        lint=lint,
    )
    table = row.table_row()
    assert [table[f"lint_{s}"] for s in SEVERITIES] == [0, 157, 40, 0]
    assert (table["lint_active"], table["lint_opened"], table["lint_fixed"]) == (197, 74, 439)
    data = row.to_json()["lint"]
    assert data["by_severity"]["error"] == 157
    assert data["opened_by_severity"]["error"] == 69
    page = _report(row).to_html()
    assert "Active lint issues (all scans)" in page
    assert "<title>157 error</title>" in page  # the chart draws the stock
    header = re.search(r"<thead>(.*?)</thead>", page)
    assert header is not None
    labels = re.findall(r"<th>(.*?)</th>", header.group(1))
    assert labels[6:11] == [
        "active fatal", "active error", "active warning", "active info", "opened by latest scan"
    ]  # fmt: skip
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert cells[6:11] == ["0", "157", "40", "0", "74"]


def test_lint_figures_without_current_scan_or_totals() -> None:
    bare = {k: v for k, v in DOC_LINTSCAN.items() if k != "current_scan"}
    lint = _figures(_overview(lintscan=bare))["lint"]
    assert lint.by_severity["error"] == 157
    assert lint.opened_by_severity is None
    # the scan's new issues are never taken for the stock
    no_total = {k: v for k, v in DOC_LINTSCAN.items() if k != "total"}
    lint = _figures(_overview(lintscan=no_total))["lint"]
    assert lint.by_severity == dict.fromkeys(SEVERITIES, 0)
    assert lint.opened_by_severity is not None
    assert lint.opened_by_severity["error"] == 69


def test_complexity_without_a_summary_does_not_take_the_scans_count() -> None:
    cc = _figures(_overview(cyclomaticcomplexityscan=DOC_CC))["complexity"]
    assert (cc.min_ccn, cc.over_funcs, cc.under_funcs) == (20, 6, 796)
    # cc_open_num counts the scan's own result (an incremental scan: its files only)
    bare = {**DOC_CC, "default_summary": None, "cc_open_num": 2}
    cc = _figures(_overview(cyclomaticcomplexityscan=bare))["complexity"]
    assert (cc.min_ccn, cc.over_funcs, cc.under_funcs) == (20, None, None)


# == the report's shapes ==================================================================


def _report(*rows: RepoQuality) -> QualityReport:
    return QualityReport(
        workspace_id=WS,
        org_sid=ORG,
        teams=(TEAM,),
        generated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
        repos=rows,
        unmatched=(),
    )


def test_rows_json_and_html_of_hostile_names() -> None:
    evil = "<script>alert(1)</script>"
    row = RepoQuality(
        LinkedGit("project", f"grp/{evil}", 5, evil),
        TCARepoRef(TEAM, 3, evil, "https://git.example.com/grp/x"),
        "path",
        "ok",
        project=ProjectRef(7, "main", "default", 70, datetime(2026, 1, 1, tzinfo=timezone.utc)),
        lint=LintFigures(by_severity=dict.fromkeys(SEVERITIES, 1), by_state={"active": 4}),
    )
    failed = RepoQuality(
        LinkedGit("group", "grp", 6, "grp"),
        TCARepoRef(TEAM, 4, "y", "https://git.example.com/grp/y"),
        "group",
        "error",
        error=ReportError.of(RuntimeError("boom at https://u:pw@h.example/p?token=abc")),
    )
    report = _report(row, failed)
    rows = report.table_rows()
    assert [list(r) for r in rows] == [list(TABLE_COLUMNS)] * 2
    assert rows[0]["lint_fatal"] == 1
    assert rows[0]["lint_active"] == 4
    assert rows[0]["scan_time"] == "2026-01-01T00:00:00+00:00"
    assert rows[1]["error"] == "RuntimeError: boom at https://h.example/p?token=[redacted]"
    data = json.loads(json.dumps(report.to_json()))
    assert data["summary"] == {
        "matched": 2, "unmatched": 0, "ok": 1, "no_project": 0, "no_scan": 0, "error": 1
    }  # fmt: skip
    assert data["repos"][1]["error"] == {
        "type": "RuntimeError",
        "message": "boom at https://h.example/p?token=[redacted]",
    }
    page = report.to_html()
    assert evil not in page
    assert "&lt;script&gt;" in page
    assert "pw@" not in page
    assert "abc" not in page


_RECT = re.compile(r'<rect x="(-?\d+)" y="0" width="(-?\d+)" height="12" fill="(c\d+)"')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=-5, max_value=10**9), min_size=1, max_size=8))
@example([1000, 1, 1])  # the last part used to get a negative width
@example([1, 1000, 0])  # the minimum used to push the bar past its track
@example([1] * 200)  # more parts than the track has room for at 2 px each
def test_stacked_bars_stay_on_their_track(values: list[int]) -> None:
    left, track = _report_html._LABEL_W, _report_html._BAR_W
    parts = [(v, f"c{k}", f"part {k}") for k, v in enumerate(values)]
    shapes = _report_html._stacked(0, parts, 12)
    assert shapes[0] == f'<rect x="{left}" y="0" width="{track}" height="12" fill="#dde3ec"/>'
    drawn = [(int(x), int(w), int(c[1:])) for x, w, c in _RECT.findall("".join(shapes[1:]))]
    assert len(drawn) == len(shapes) - 1
    edge = left
    for x, width, k in drawn:
        assert width > 0
        assert x == edge  # contiguous, in order
        assert values[k] > 0
        edge += width
    assert edge - left <= track
    positive = [k for k, v in enumerate(values) if v > 0]
    if positive:
        assert edge - left == track  # the parts fill the track
        if 2 * len(positive) <= track:  # room for every part's visible minimum
            assert [k for _, _, k in drawn] == positive
            assert all(width >= 2 for _, width, _ in drawn)
        total = sum(values[k] for k in positive)
        for x, _width, k in drawn:  # each part is where its share puts it, give or take
            start = sum(values[j] for j in positive if j < k)
            assert abs((x - left) - track * start / total) <= 2 * len(positive)
    else:
        assert drawn == []


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-10, max_value=1e6), st.floats(min_value=-1, max_value=1e4))
@example(150.0, 100.0)  # a duplication rate over 100 % must not pass the track
def test_single_bars_stay_on_their_track(value: float, top: float) -> None:
    width = _report_html._scaled(value, top)
    assert 0 <= width <= _report_html._BAR_W
    assert (width > 0) == (value > 0 and top > 0)


# == against the fakes =====================================================================


@asynccontextmanager
async def clients(
    tapd_target: Target, tca_target: Target, **tca_options: Any
) -> AsyncIterator[tuple[TAPDClient, TCAClient]]:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    options = tapd_target.options(rate_limit=None)
    async with TAPDClient(auth, base_url=tapd_target.base_url, **options) as tapd:
        token = TCATokenAuth(TCA_API_TOKEN)
        async with TCAClient(
            tca_target.base_url, token, **tca_target.options(**tca_options)
        ) as tca:
            yield tapd, tca


def _by_repo(report: QualityReport) -> dict[int, RepoQuality]:
    return {row.repo.id: row for row in report.repos}


def _by_severity(issues: Sequence[Any]) -> dict[str, int]:
    """Issues counted per severity name, every name of SEVERITIES present."""
    counts = Counter(i.severity.name.lower() for i in issues if i.severity)
    return {s: counts[s] for s in SEVERITIES}


async def test_report_on_the_fakes(tapd_target: Target, tca_target: Target) -> None:
    seen: list[ReportProgress] = []
    async with clients(tapd_target, tca_target) as (tapd, tca):
        report = await build_quality_report(
            tapd, tca, WS, org_sid=ORG, team_name=TEAM, concurrency=3, on_progress=seen.append
        )
        rows = _by_repo(report)
        stock_differs = 0
        # the figures are what the fake serves for the project the report chose
        for row in report.repos:
            if row.status != "ok":
                continue
            assert row.project is not None
            ids = (ORG, TEAM, row.repo.id, row.project.id)
            overview = await tca.overview.get(*ids)
            active = await tca.issues.list(*ids, state=IssueState.ACTIVE).collect()
            cloc = await tca.cloc.files(*ids).collect()
            assert overview.lintscan is not None
            assert overview.lintscan.scan is not None
            scan_id = overview.lintscan.scan.id
            assert row.project.scan_id == scan_id
            assert row.lint is not None
            # the stock: every active issue, whichever scan opened it
            assert row.lint.by_severity == _by_severity(active)
            assert row.lint.active == len(active) == row.lint.by_state["active"]
            # what the latest scan opened, from the issue listing filtered by scan_open
            new = await tca.issues.list(*ids, state=IssueState.ACTIVE, scan_open=scan_id).collect()
            assert row.lint.opened_by_severity == _by_severity(new)
            assert row.lint.opened == len(new)
            stock_differs += row.lint.by_severity != row.lint.opened_by_severity
            assert row.lines is not None
            assert row.lines.code == sum(f.code_line_num or 0 for f in cloc)
            assert overview.duplicatescan is not None
            assert row.duplication is not None
            assert row.duplication.rate == overview.duplicatescan.duplicate_rate
            assert row.duplication.blocks == overview.duplicatescan.duplicate_block_count
            cc = overview.cyclomaticcomplexityscan
            assert cc is not None
            assert cc.default_summary is not None
            assert row.complexity is not None
            assert row.complexity.over_funcs == cc.default_summary.over_cc_func_count
            assert row.complexity.over_sum == cc.default_summary.over_cc_sum
        assert stock_differs  # the fake's earlier scans opened some of the active issues
    assert report.workspace_id == WS
    assert report.teams == (TEAM,)
    assert report.generated_at.tzinfo is not None
    assert [(r.linked.path, r.repo.id, r.rule, r.status) for r in report.repos] == [
        ("group1/service-001", 1, "path", "ok"),
        ("group1/service-025", 25, "path", "no_scan"),
        *(("group3", n, "group", "ok") for n in (3, 11, 15, 19, 23)),  # 7 is svn
    ]
    assert rows[25].reason == "no scan yet (2 projects, none scanned)"
    assert rows[25].project is not None
    assert rows[25].project.branch == "master"
    assert (rows[1].project.id, rows[1].project.branch) == (1, "master")  # type: ignore[union-attr]
    assert rows[3].repo == TCARepoRef(
        TEAM, 3, "service-003", "http://git.example.com/group3/service-003"
    )
    # the figures differ from repo to repo (the fake varies them by project)
    assert len({tuple(r.lint.by_severity.values()) for r in report.repos if r.lint}) > 1
    assert [(u.linked.kind, u.linked.path, u.reason) for u in report.unmatched] == [
        ("group", "CHEN111111111111111111", "no TCA git repo under CHEN111111111111111111/"),
        ("project", "mobile/app-ios", "no TCA git repo with the path or URL of mobile/app-ios"),
    ]
    assert seen[0] == ReportProgress(repos_total=7)
    assert seen[-1] == ReportProgress(repos_total=7, repos_done=7, errors=0)
    assert [p.repos_done for p in seen] == list(range(8))
    page = report.to_html()
    assert page.count('<svg class="chart"') == 6
    for tag in ("<script", "<link", "<img", "src=", "href=", "url(", "@import", "://"):
        assert tag not in page
    text = json.dumps(report.to_json())
    for secret in (TCA_API_TOKEN, TAPD_API_PASSWORD):
        assert secret not in text
        assert secret not in page


async def test_a_failing_repo_is_recorded_on_its_row(
    tapd_target: Target, tca_target: Target
) -> None:
    await tca_target.control.add_faults(
        Fault.http(403, path=r"/repos/11/projects/\d+/overview/$", times=5)
    )
    seen: list[ReportProgress] = []
    async with clients(tapd_target, tca_target) as (tapd, tca):
        report = await build_quality_report(
            tapd, tca, WS, org_sid=ORG, team_name=TEAM, on_progress=seen.append
        )
    rows = _by_repo(report)
    failed = rows[11]
    assert (failed.status, failed.lint, failed.project) == ("error", None, None)
    assert failed.error is not None
    assert failed.error.type == PermissionDeniedError.__name__
    assert "403" in failed.error.message
    assert TCA_API_TOKEN not in failed.error.message
    assert [r.status for r in report.repos].count("ok") == 5
    assert seen[-1] == ReportProgress(repos_total=7, repos_done=7, errors=1)
    row = next(r for r in report.table_rows() if r["tca_repo_id"] == 11)
    assert row["error"].startswith("PermissionDeniedError: ")
    assert 'data-status="error"' in report.to_html()


async def test_listing_failures_raise(tapd_target: Target, tca_target: Target) -> None:
    await tapd_target.control.add_faults(
        Fault.http(403, path="relate_third_projects"),
    )
    async with clients(tapd_target, tca_target) as (tapd, tca):
        with pytest.raises(PermissionDeniedError):
            await build_quality_report(tapd, tca, WS, org_sid=ORG, team_name=TEAM)
        await tca_target.control.add_faults(Fault.http(403, path=r"/teams/demo/repos/$"))
        with pytest.raises(PermissionDeniedError):
            await build_quality_report(tapd, tca, WS, org_sid=ORG, team_name=TEAM)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "8"])
async def test_concurrency_is_checked(bad: Any) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await build_quality_report(None, None, WS, org_sid=ORG, concurrency=bad)  # type: ignore[arg-type]


@asynccontextmanager
async def in_process(tca_fake: FakeTCA) -> AsyncIterator[tuple[TAPDClient, TCAClient]]:
    tapd_fake = FakeTAPD()
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    tapd_options = {"rate_limit": None, "transport": tapd_fake.asgi_transport()}
    async with TAPDClient(auth, base_url="http://tapd.test", **tapd_options) as tapd:
        token = TCATokenAuth(TCA_API_TOKEN)
        async with TCAClient("http://tca.test", token, transport=tca_fake.asgi_transport()) as tca:
            yield tapd, tca


async def test_every_team_ambiguity_and_a_repo_without_project() -> None:
    fake = FakeTCA(teams_per_org=2)
    async with in_process(fake) as (tapd, tca):
        teams = [t.name for t in await tca.teams.list(ORG).collect()]
        other = next(t for t in teams if t != TEAM)
        twin = await tca.repos.create(ORG, other, "git@git.example.com:group1/service-001.git")
        fresh = await tca.repos.create(
            ORG, other, "https://deploy:s3cret-pass@git.example.com/group3/new-svc.git"
        )
        report = await build_quality_report(tapd, tca, WS, org_sid=ORG)
        only_other = await build_quality_report(tapd, tca, WS, org_sid=ORG, team_name=other)
    assert report.teams == tuple(teams)
    rows = {(r.repo.team_name, r.repo.id): r for r in report.repos}
    first = rows[(TEAM, 1)]
    assert [(r.team_name, r.id) for r in first.also_matched] == [(other, twin.id)]
    assert (other, twin.id) not in rows  # the ambiguous twin is listed, not reported
    new = rows[(other, fresh.id)]
    assert (new.rule, new.status, new.linked.path) == ("group", "no_project", "group3")
    assert new.reason == "the TCA repo has no analysis project"
    # TCA stores the URL in its own form: http, no credentials, no .git.
    assert new.repo.scm_url == "http://git.example.com/group3/new-svc"
    text = json.dumps(report.to_json()) + report.to_html() + repr(report.table_rows())
    assert "s3cret-pass" not in text
    # against the other team alone, the twin is the one reported
    assert [(r.repo.id, r.rule, r.status) for r in only_other.repos] == [
        (twin.id, "path", "no_project"),
        (fresh.id, "group", "no_project"),
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*\+00:00", only_other.to_json()["generated_at"])
