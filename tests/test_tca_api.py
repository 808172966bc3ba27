"""Every TCA endpoint round-tripped through TCAClient against FakeTCA, filters checked by content.

Runs in-process and over loopback (``tca_target``), on asyncio and trio, with both
auth strategies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tca_tapd import NotFoundError, TCAClient, TCATicketAuth, TCATokenAuth
from tca_tapd.tca import (
    Issue,
    IssueSeverity,
    IssueState,
    JobState,
    PathType,
    RefScheme,
    ScanType,
    ScmAuthInput,
)
from tca_tapd.testing import TCA_API_TOKEN, TCA_TOKEN, TCA_USER_ID, FakeTCA

from .conftest import Target

ORG, TEAM = "hellotca", "demo"
REPO, PROJECT = 3, 5  # project 5 is the first project of repo 3 (2 per repo)


@pytest.fixture(params=["token", "ticket"])
async def tca(request: pytest.FixtureRequest, tca_target: Target) -> AsyncIterator[TCAClient]:
    """A client on the fake with each auth strategy."""
    auth = (
        TCATokenAuth(TCA_API_TOKEN)
        if request.param == "token"
        else TCATicketAuth(TCA_USER_ID, TCA_TOKEN)
    )
    async with TCAClient(tca_target.base_url, auth, **tca_target.options()) as client:
        yield client


async def test_orgs_and_teams(tca: TCAClient) -> None:
    orgs = await tca.orgs.list().collect()
    assert [o.org_sid for o in orgs] == [ORG]
    assert await tca.orgs.list(name="nothing-like-it").collect() == []
    org = await tca.orgs.get(ORG)
    assert org.admins[0].username == TCA_USER_ID
    teams = await tca.teams.list(ORG).collect()
    assert [t.name for t in teams] == [TEAM]
    created = await tca.teams.create(ORG, "qa", "QA", description="quality")
    assert (created.name, created.display_name, created.description) == ("qa", "QA", "quality")
    assert created.organization is not None
    assert created.organization.org_sid == ORG
    assert [t.name for t in await tca.teams.list(ORG, query="qa").collect()] == ["qa"]
    assert (await tca.teams.get(ORG, "qa")).id == created.id


async def test_create_org_and_team_with_only_what_the_server_requires(tca: TCAClient) -> None:
    org = await tca.orgs.create("sdk-org", TCA_USER_ID, "12345678901", description="for tests")
    assert (org.name, org.owner, org.tel_number, org.description) == (
        "sdk-org",
        TCA_USER_ID,
        "12345678901",
        "for tests",
    )
    assert (org.team_count, org.repo_count, org.user_count) == (0, 0, 1)
    assert [a.username for a in org.admins] == [TCA_USER_ID]
    assert org.created_time is not None
    assert org.created_time.microsecond != 0
    assert (await tca.orgs.get(org.org_sid)).name == "sdk-org"
    team = await tca.teams.create(org.org_sid, "t2")  # display_name is optional
    assert (team.name, team.display_name) == ("t2", "t2")
    assert [t.name for t in await tca.teams.list(org.org_sid).collect()] == ["t2"]
    with pytest.raises(ValueError, match="owner"):
        await tca.orgs.create("x", "", "1")


async def test_repos_crud_and_branches(tca: TCAClient) -> None:
    repo = await tca.repos.get(ORG, TEAM, REPO)
    assert repo.name == "service-003"
    exact = await tca.repos.list(ORG, TEAM, scm_url=repo.scm_url).collect()
    assert [r.id for r in exact] == [REPO]
    created = await tca.repos.create(
        ORG, TEAM, "https://git.example.com/new/thing", "git", name="thing"
    )
    assert (created.name, created.scm_type, created.labels) == ("thing", "git", ())
    renamed = await tca.repos.update(
        ORG, TEAM, created.id, name="thing2", scm_auth=ScmAuthInput("ssh_token", 7)
    )
    assert renamed.name == "thing2"
    assert renamed.scm_auth is not None
    assert renamed.scm_auth.auth_type == "ssh_token"
    assert (await tca.repos.get(ORG, TEAM, created.id)).name == "thing2"
    await tca.repos.delete(ORG, TEAM, created.id)
    with pytest.raises(NotFoundError):
        await tca.repos.get(ORG, TEAM, created.id)
    branches = await tca.repos.branches(ORG, TEAM, REPO).collect()
    assert [b.branch for b in branches] == ["master", "dev-2"]
    assert branches[0].schemes[0].project_id == PROJECT


async def test_projects(tca: TCAClient) -> None:
    projects = await tca.projects.list(ORG, TEAM, REPO).collect()
    assert [p.id for p in projects] == [5, 6]
    assert all(p.repo == REPO for p in projects)  # an id in lists
    dev = await tca.projects.list(ORG, TEAM, REPO, branch="dev-2").collect()
    assert [p.branch for p in dev] == ["dev-2"]
    assert await tca.projects.list(ORG, TEAM, REPO, scan_scheme_name="nope").collect() == []
    assert len(await tca.projects.list(ORG, TEAM, REPO, status=1).collect()) == 2
    detail = await tca.projects.get(ORG, TEAM, REPO, PROJECT)
    assert detail.repo is not None
    assert not isinstance(detail.repo, int)
    assert detail.repo.name == "service-003"  # an object in details
    assert detail.scan_scheme is not None
    assert detail.scan_scheme.id == REPO
    created = await tca.projects.create(ORG, TEAM, REPO, "feature/x", scan_scheme_id=REPO)
    assert created.branch == "feature/x"
    from_template = await tca.projects.create(
        ORG, TEAM, REPO, "release", global_scheme_id=2, custom_scheme_name="sec"
    )
    assert from_template.scan_scheme is not None
    assert from_template.scan_scheme.name == "sec"
    assert len(await tca.projects.list(ORG, TEAM, REPO).collect()) == 4


async def test_schemes_and_confs(tca: TCAClient) -> None:
    schemes = await tca.schemes.list(ORG, TEAM, REPO).collect()
    assert [s.id for s in schemes] == [REPO]
    copied = await tca.schemes.copy(ORG, TEAM, REPO, 1, "copy")
    initialised = await tca.schemes.init(ORG, TEAM, REPO, "fresh", ["go"], lint_enabled=False)
    names = [s.name for s in await tca.schemes.list(ORG, TEAM, REPO).collect()]
    assert names == ["default", "copy", "fresh"]
    assert [s.id for s in await tca.schemes.list(ORG, TEAM, REPO, name="fre").collect()] == [
        initialised
    ]
    assert (await tca.schemes.get_lint_conf(ORG, TEAM, REPO, initialised)).enabled is False
    basic = await tca.schemes.update_basic_conf(
        ORG, TEAM, REPO, copied, description="d", lfs_flag=False
    )
    assert (basic.description, basic.lfs_flag) == ("d", False)
    assert (await tca.schemes.get_basic_conf(ORG, TEAM, REPO, copied)).description == "d"
    lint = await tca.schemes.update_lint_conf(ORG, TEAM, REPO, copied, enabled=False)
    assert lint.enabled is False
    metric = await tca.schemes.update_metric_conf(ORG, TEAM, REPO, copied, min_ccn=30)
    assert metric.min_ccn == 30
    assert (await tca.schemes.get_metric_conf(ORG, TEAM, REPO, copied)).min_ccn == 30
    templates = await tca.schemes.list_templates(ORG).collect()
    assert [t.id for t in templates] == [1, 2, 3]
    assert (await tca.schemes.get_template(ORG, 2)).name == templates[1].name


async def test_scheme_fields_as_the_servers_schema_has_them(
    tca: TCAClient, tca_target: Target
) -> None:
    # main_swagger_openapi: refer_scheme is a RefSchemeSimple in basicconf (an id in
    # the list), ignore_branch_issue a branch name, and the conf updates PATCHes.
    copied = await tca.schemes.copy(ORG, TEAM, REPO, 2, "copy")
    listed = [s for s in await tca.schemes.list(ORG, TEAM, REPO).collect() if s.id == copied]
    assert listed[0].refer_scheme == 2
    basic = await tca.schemes.update_basic_conf(
        ORG, TEAM, REPO, copied, ignore_branch_issue="release/*"
    )
    assert basic.ignore_branch_issue == "release/*"
    assert isinstance(basic.refer_scheme, RefScheme)
    assert (basic.refer_scheme.id, basic.refer_scheme.is_template) == (2, True)
    assert basic.refer_scheme.name == (await tca.schemes.get_template(ORG, 2)).name
    made = await tca.scan_dirs.create(ORG, TEAM, REPO, REPO, "build/.*")
    await tca.scan_dirs.update(ORG, TEAM, REPO, REPO, made.id, path_type=PathType.REGEX)
    sent = await tca_target.control.requests()
    updates = [r["method"] for r in sent if r["path"].endswith(("basicconf/", f"/{made.id}/"))]
    # Each reads first what the server's update needs sent again (default_flag, dir_path).
    assert updates == ["GET", "PATCH", "GET", "PATCH"]


async def test_a_whole_update_of_a_basic_conf_needs_its_name(tca_target: Target) -> None:
    # PUT is the server's whole update: basicconf's name is required (its schema).
    path = f"/server/main/api/orgs/{ORG}/teams/{TEAM}/repos/{REPO}/schemes/{REPO}/basicconf/"
    headers = {"Authorization": f"Token {TCA_API_TOKEN}"}
    options = tca_target.options()
    async with httpx.AsyncClient(
        base_url=tca_target.base_url, transport=options.get("transport")
    ) as http:
        whole = await http.put(path, json={"description": "d"}, headers=headers)
        partial = await http.patch(path, json={"description": "d"}, headers=headers)
    assert whole.status_code == 400
    assert whole.json()["invalid_fields"][0]["field"] == "name"
    assert partial.status_code == 200


async def test_scan_dirs_crud(tca: TCAClient) -> None:
    scheme = REPO
    assert await tca.scan_dirs.list(ORG, TEAM, REPO, scheme).collect() == []
    made = await tca.scan_dirs.create(
        ORG, TEAM, REPO, scheme, "build/.*", path_type=PathType.REGEX, scan_type=ScanType.EXCLUDE
    )
    assert (made.path_type, made.scan_type) == (PathType.REGEX, ScanType.EXCLUDE)
    changed = await tca.scan_dirs.update(ORG, TEAM, REPO, scheme, made.id, dir_path="dist/.*")
    assert (await tca.scan_dirs.get(ORG, TEAM, REPO, scheme, made.id)) == changed
    assert changed.dir_path == "dist/.*"
    await tca.scan_dirs.delete(ORG, TEAM, REPO, scheme, made.id)
    assert await tca.scan_dirs.list(ORG, TEAM, REPO, scheme).collect() == []


async def test_check_packages(tca: TCAClient) -> None:
    assert [p.id for p in await tca.check_packages.list(ORG, TEAM, REPO, REPO).collect()] == [1]
    go = await tca.check_packages.list_available(ORG, TEAM, REPO, REPO, language="go").collect()
    assert go
    assert all("go" in p.languages for p in go)
    await tca.check_packages.add(ORG, TEAM, REPO, REPO, [2, 3])
    added = await tca.check_packages.list(ORG, TEAM, REPO, REPO).collect()
    assert [p.id for p in added] == [1, 2, 3]
    conf = await tca.schemes.get_lint_conf(ORG, TEAM, REPO, REPO)
    assert conf.checkprofile is not None
    assert conf.checkprofile.checkpackages == (1, 2, 3)  # ids, as the server sends them


async def test_jobs_list_filters_and_cancel(tca: TCAClient) -> None:
    jobs = await tca.jobs.list(ORG, TEAM, REPO, PROJECT).collect()
    assert [j.id for j in jobs] == [15, 14, 13]
    assert all(j.state == JobState.CLOSED for j in jobs)
    started = await tca.scans.create(ORG, TEAM, REPO, PROJECT, incr_scan=False)
    assert started.job_id == started.scan_id
    waiting = await tca.jobs.list(ORG, TEAM, REPO, PROJECT, state=[JobState.WAITING, 1]).collect()
    assert [j.id for j in waiting] == [started.job_id]
    detail = await tca.jobs.get(ORG, TEAM, REPO, PROJECT, started.job_id)
    assert detail.state == JobState.WAITING
    assert detail.project is not None
    await tca.jobs.cancel(ORG, TEAM, REPO, PROJECT, started.job_id, "not needed")
    cancelled = await tca.jobs.get(ORG, TEAM, REPO, PROJECT, started.job_id)
    assert (cancelled.state, cancelled.remarks) == (JobState.CLOSED, "not needed")
    failed = await tca.jobs.list(ORG, TEAM, REPO, PROJECT, result_code_gte=100).collect()
    assert [j.id for j in failed] == [started.job_id]


async def test_issues_filters(tca: TCAClient) -> None:
    everything = await tca.issues.list(ORG, TEAM, REPO, PROJECT).collect()
    assert len(everything) == 30
    errors = await tca.issues.list(
        ORG, TEAM, REPO, PROJECT, severity=IssueSeverity.ERROR, page_size=7
    ).collect()
    assert errors
    assert len(errors) < 30
    assert {i.severity for i in errors} == {IssueSeverity.ERROR}
    mixed = await tca.issues.list(ORG, TEAM, REPO, PROJECT, state=[1, IssueState.CLOSED]).collect()
    assert {i.state for i in mixed} == {IssueState.ACTIVE, IssueState.CLOSED}
    assert len(mixed) == sum(1 for i in everything if i.state in (1, 3))
    by_author = await tca.issues.list(ORG, TEAM, REPO, PROJECT, author="alice").collect()
    assert by_author
    assert {i.author for i in by_author} == {"alice"}
    in_path = await tca.issues.list(ORG, TEAM, REPO, PROJECT, file_path="PKG1/").collect()
    assert in_path
    assert all("pkg1/" in i.file_path for i in in_path)
    by_tool = await tca.issues.list(ORG, TEAM, REPO, PROJECT, checktool_name="gosec").collect()
    assert by_tool
    assert {i.checkrule_real_name for i in by_tool} == {"G104"}
    cut = datetime(2026, 1, 15, tzinfo=timezone.utc)
    early = await tca.issues.list(ORG, TEAM, REPO, PROJECT, ci_time_lte=cut).collect()
    late = await tca.issues.list(ORG, TEAM, REPO, PROJECT, ci_time_gte=cut).collect()
    assert early
    assert late
    assert len(early) + len(late) == 30
    assert all(i.ci_time is not None and i.ci_time <= cut for i in early)
    packaged = await tca.issues.list(ORG, TEAM, REPO, PROJECT, checkpackage=[2, 3]).collect()
    assert 0 < len(packaged) < 30
    detail = await tca.issues.get(ORG, TEAM, REPO, PROJECT, errors[0].id)
    assert detail.severity == IssueSeverity.ERROR
    assert len(detail.issue_details) == 2
    assert detail.category is not None
    assert detail.category.is_known


async def test_complexity(tca: TCAClient) -> None:
    files = await tca.complexity.files(ORG, TEAM, REPO, PROJECT).collect()
    assert files
    assert all(f.over_cc_func_count for f in files)
    worse = await tca.complexity.files(ORG, TEAM, REPO, PROJECT, worse=True).collect()
    assert worse
    assert all(f.worse for f in worse)
    assert len(worse) < len(files)
    issues = await tca.complexity.issues(ORG, TEAM, REPO, PROJECT, ccn_gte=35).collect()
    assert issues
    assert all(i.ccn >= 35 for i in issues)
    of_file = await tca.complexity.issues(ORG, TEAM, REPO, PROJECT, file_id=files[0].id).collect()
    assert of_file
    assert {i.file_path for i in of_file} == {files[0].file_path}


async def test_duplicates_and_cloc(tca: TCAClient) -> None:
    files = await tca.duplicates.files(ORG, TEAM, REPO, PROJECT).collect()
    owned = await tca.duplicates.files(ORG, TEAM, REPO, PROJECT, issue_owner="alice").collect()
    assert owned
    assert {f.issue_owner for f in owned} == {"alice"}
    assert len(owned) < len(files)
    high = await tca.duplicates.files(ORG, TEAM, REPO, PROJECT, duplicate_rate_gte=10).collect()
    assert all(f.duplicate_rate is not None and f.duplicate_rate >= 10 for f in high)
    detail = await tca.duplicates.get(ORG, TEAM, REPO, PROJECT, files[0].id)
    blocks = await tca.duplicates.blocks(ORG, TEAM, REPO, PROJECT, files[0].id).collect()
    assert detail.blocks == tuple(blocks)
    assert len(blocks) == 2
    cloc = await tca.cloc.files(ORG, TEAM, REPO, PROJECT).collect()
    added = await tca.cloc.files(ORG, TEAM, REPO, PROJECT, change_type=["add", "del"]).collect()
    assert added
    assert {f.change_type for f in added} <= {"add", "del"}
    assert len(added) < len(cloc)
    languages = await tca.cloc.languages(ORG, TEAM, REPO, PROJECT).collect()
    assert sum(lang.file_num or 0 for lang in languages) == len(cloc)
    summary = await tca.cloc.summary(ORG, TEAM, REPO, PROJECT)
    assert summary.code_line_num == sum(f.code_line_num or 0 for f in cloc)


async def test_overviews_and_histories(tca: TCAClient) -> None:
    overview = await tca.overview.get(ORG, TEAM, REPO, PROJECT)
    assert overview.lintscan is not None
    assert overview.lintscan.scan is not None
    assert isinstance(overview.lintscan.scan.execute_time, timedelta)
    assert overview.duplicatescan is not None
    assert overview.duplicatescan.default_summary
    latest = await tca.overview.latest_scan(ORG, TEAM, REPO, PROJECT)
    assert latest.job_gid == 15
    assert latest.project_id == PROJECT
    lint = await tca.overview.lint_scans(ORG, TEAM, REPO, PROJECT).collect()
    assert [s.scan.id for s in lint if s.scan] == [15, 14, 13]
    recent = await tca.overview.cc_scans(
        ORG, TEAM, REPO, PROJECT, scan_time_after=datetime(2026, 1, 7, 12, tzinfo=timezone.utc)
    ).collect()
    assert [s.id for s in recent] == [15, 14]
    assert len(await tca.overview.dup_scans(ORG, TEAM, REPO, PROJECT).collect()) == 3
    assert len(await tca.overview.cloc_scans(ORG, TEAM, REPO, PROJECT).collect()) == 3


def _severities(issues: list[Issue]) -> dict[str, int]:
    return dict(Counter(i.severity.name.lower() for i in issues if i.severity))


async def test_overview_lint_figures_as_the_server_counts_them(tca: TCAClient) -> None:
    """``current_scan`` counts the active issues the scan opened (TCA's server filters
    ``scan_open`` = that scan); ``total`` counts every issue of the project."""
    ids = (ORG, TEAM, REPO, PROJECT)
    lint = (await tca.overview.get(*ids)).lintscan
    assert lint is not None
    assert lint.scan is not None
    assert lint.current_scan is not None
    assert lint.total is not None
    everything = await tca.issues.list(*ids).collect()
    active = [i for i in everything if i.state == IssueState.ACTIVE]
    new = await tca.issues.list(*ids, state=IssueState.ACTIVE, scan_open=lint.scan.id).collect()
    assert 0 < len(new) < len(active)  # earlier scans opened the others
    assert lint.current_scan.active_severity_detail == _severities(new)
    assert lint.issue_open_num == lint.current_scan.issue_open_num == len(new)
    fixed = [i for i in everything if i.scan_fix == lint.scan.id]
    assert lint.issue_fix_num == len(fixed)
    assert lint.total.state_detail is not None
    assert lint.total.state_detail["active"] == len(active)
    assert lint.total.severity_detail is not None
    stock = {k: v["active"] for k, v in lint.total.severity_detail.items() if "active" in v}
    assert stock == _severities(active)


async def test_several_orgs_and_teams() -> None:
    fake = FakeTCA(orgs=3, teams_per_org=2)
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        orgs = await tca.orgs.list(page_size=2).collect()
        assert [o.org_sid for o in orgs] == [ORG, f"{ORG}-2", f"{ORG}-3"]
        assert [o.org_sid for o in await tca.orgs.list(name="TCA 3").collect()] == [f"{ORG}-3"]
        other = await tca.orgs.get(f"{ORG}-2")
        assert (other.name, other.team_count) == ("Hello TCA 2", 2)
        for org in orgs:
            teams = await tca.teams.list(org.org_sid).collect()
            assert [t.name for t in teams] == [TEAM, f"{TEAM}-2"]
            assert {t.organization.org_sid for t in teams if t.organization} == {org.org_sid}
        assert len({t.id for o in orgs for t in await tca.teams.list(o.org_sid).collect()}) == 6
        second = await tca.teams.get(f"{ORG}-3", f"{TEAM}-2")
        assert second.organization is not None
        assert second.organization.org_sid == f"{ORG}-3"
        # Only the first team holds repositories; the others are empty, not forbidden.
        assert len(await tca.repos.list(ORG, TEAM).collect()) == 25
        assert await tca.repos.list(f"{ORG}-2", TEAM).collect() == []
        with pytest.raises(NotFoundError):
            await tca.repos.get(ORG, f"{TEAM}-2", REPO)
        made = await tca.repos.create(f"{ORG}-2", f"{TEAM}-2", "https://git.example.com/x/y", "git")
        assert [r.id for r in await tca.repos.list(f"{ORG}-2", f"{TEAM}-2").collect()] == [made.id]
        created = await tca.teams.create(f"{ORG}-2", "qa", "QA")
        assert created.organization is not None
        assert created.organization.org_sid == f"{ORG}-2"
        assert [t.name for t in await tca.teams.list(ORG).collect()] == [TEAM, f"{TEAM}-2"]


async def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTCA()
    monkeypatch.setenv("TCA_BASE_URL", "http://from-env.test")
    async with TCAClient(auth=TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()) as tca:
        assert tca.base_url.startswith("http://from-env.test")
        assert [o.org_sid for o in await tca.orgs.list().collect()] == [ORG]
    assert [r.path for r in fake.requests] == ["/server/main/api/v3/orgs/"]
    # An explicit base_url wins over the environment.
    explicit = TCAClient("http://explicit.test", TCATokenAuth(TCA_API_TOKEN))
    assert explicit.base_url.startswith("http://explicit.test")
    await explicit.aclose()
    monkeypatch.delenv("TCA_BASE_URL")
    with pytest.raises(ValueError, match="TCA_BASE_URL"):
        TCAClient(auth=TCATokenAuth(TCA_API_TOKEN))
    monkeypatch.setenv("TCA_BASE_URL", "")
    with pytest.raises(ValueError, match="base_url is required"):
        TCAClient(auth=TCATokenAuth(TCA_API_TOKEN))


# -- found in review: what the server's schema and filter code allow ---------------------


def _answering(data: object) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"data": data, "code": 0, "msg": "请求成功", "status_code": 200}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


async def test_a_repository_without_a_name_and_a_scan_of_more_than_a_day() -> None:
    # RepositoryList.name is nullable; DRF writes a DurationField of a day or more "D HH:MM:SS".
    repo = {"id": 1, "name": None, "scm_url": "http://git.example.com/g/r", "scm_type": "git"}
    scan = {"id": 9, "scan_time": "2026-11-23T17:03:37+08:00", "execute_time": "1 00:02:17.5"}
    lintscan = {"issue_open_num": 1, "issue_fix_num": 0, "issue_detail_num": 1, "scan": scan,
                "current_scan": None, "total": None, "status": 0, "text": "成功"}  # fmt: skip
    overview = {"lintscan": lintscan, "cyclomaticcomplexityscan": None, "duplicatescan": None,
                "clocscan": None}  # fmt: skip
    auth = TCATokenAuth(TCA_API_TOKEN)
    page = {"count": 1, "next": None, "previous": None, "results": [repo]}
    async with TCAClient("http://tca.test", auth, transport=_answering(page)) as tca:
        (listed,) = await tca.repos.list(ORG, TEAM).collect()
    async with TCAClient("http://tca.test", auth, transport=_answering(overview)) as tca:
        got = await tca.overview.get(ORG, TEAM, REPO, PROJECT)
    assert listed.name is None
    assert got.lintscan is not None
    assert got.lintscan.scan is not None
    assert got.lintscan.scan.execute_time == timedelta(days=1, seconds=137.5)


async def test_name_filters_match_part_of_the_name_and_averages_take_fractions(
    tca: TCAClient,
) -> None:
    issues = await tca.issues.list(ORG, TEAM, REPO, PROJECT).collect()
    tool, rule = issues[0].checktool_name, issues[0].checkrule_real_name
    assert tool
    assert rule
    by_tool = tca.issues.list(ORG, TEAM, REPO, PROJECT, checktool_name=tool[1:].upper())
    assert await by_tool.collect()
    by_rule = tca.issues.list(ORG, TEAM, REPO, PROJECT, checkrule_real_name=rule[:-1])
    assert await by_rule.collect()
    await tca.scans.create(ORG, TEAM, REPO, PROJECT, created_from="nightly_ci")
    assert await tca.jobs.list(ORG, TEAM, REPO, PROJECT, created_from="nightly").collect()
    files = await tca.complexity.files(ORG, TEAM, REPO, PROJECT, over_cc_avg_gte=2.5).collect()
    assert all(f.over_cc_avg is not None and f.over_cc_avg >= 2.5 for f in files)


async def test_a_cancelled_job_has_the_servers_cancel_code(tca: TCAClient) -> None:
    started = await tca.scans.create(ORG, TEAM, REPO, PROJECT)
    await tca.jobs.cancel(ORG, TEAM, REPO, PROJECT, started.job_id, "not needed")
    job = await tca.jobs.get(ORG, TEAM, REPO, PROJECT, started.job_id)
    assert job.result_code == 301  # E_CLIENT_CANCELED
    assert job.result_msg is not None
    assert job.result_msg.endswith("Canceled: not needed . ")
