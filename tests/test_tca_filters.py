"""TCA filters checked by content against FakeTCA (in-process and over loopback).

Each filtered listing must be exactly the items of the unfiltered listing that satisfy
the filter, and must be neither everything nor nothing (so the filter is not vacuous
on the fake's data).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import timedelta, timezone
from typing import TypeVar

import pytest

from tca_tapd import TCAClient, TCATokenAuth
from tca_tapd.tca import CCIssueStatus, IssueResolution, IssueState, SchemeStatus
from tca_tapd.testing import TCA_API_TOKEN, TCA_USER_ID, FakeTCA

from .conftest import Target
from .test_tca_errors import client

T = TypeVar("T")

ORG, TEAM = "hellotca", "demo"
REPO, PROJECT = 3, 5
LEGACY_REPO = 4  # every fourth repository also has a deprecated "legacy" scheme
LEGACY_PROJECTS = (7, 8)  # project 8 (dev-2) uses the legacy scheme; its first job failed


@pytest.fixture
async def tca(tca_target: Target) -> AsyncIterator[TCAClient]:
    """A token client on the fake."""
    async with client(tca_target) as made:
        yield made


def assert_selects(
    everything: Sequence[T], selected: Sequence[T], keep: Callable[[T], bool]
) -> None:
    """``selected`` is exactly the items of ``everything`` that ``keep`` (some, not all)."""
    expected = [item for item in everything if keep(item)]
    assert list(selected) == expected
    assert 0 < len(expected) < len(everything)


async def test_issue_filters(tca: TCAClient) -> None:
    ids = (ORG, TEAM, REPO, PROJECT)
    everything = await tca.issues.list(*ids).collect()
    resolved = await tca.issues.list(
        *ids, resolution=[IssueResolution.FIXED, IssueResolution.INVALID]
    ).collect()
    assert_selects(everything, resolved, lambda i: i.resolution in (1, 3))
    real = await tca.issues.list(*ids, checkrule_real_name="W0611").collect()
    assert_selects(everything, real, lambda i: i.checkrule_real_name == "W0611")
    display = await tca.issues.list(*ids, checkrule_display_name="no-eval").collect()
    assert_selects(everything, display, lambda i: i.checkrule_display_name == "no-eval")
    scans = sorted({i.scan_open for i in everything if i.scan_open is not None})
    assert len(scans) > 1
    opened = await tca.issues.list(*ids, scan_open=scans[0]).collect()
    assert_selects(everything, opened, lambda i: i.scan_open == scans[0])
    fixing = next(i.scan_fix for i in everything if i.scan_fix is not None)
    fixed = await tca.issues.list(*ids, scan_fix=fixing).collect()
    assert_selects(everything, fixed, lambda i: i.scan_fix == fixing)
    assert {i.state for i in fixed} == {IssueState.CLOSED}


async def test_repo_filters(tca: TCAClient) -> None:
    everything = await tca.repos.list(ORG, TEAM).collect()
    named = await tca.repos.list(ORG, TEAM, scm_url_or_name="SERVICE-01").collect()
    assert_selects(everything, named, lambda r: "service-01" in r.name)
    by_url = await tca.repos.list(ORG, TEAM, scm_url_or_name="group2/").collect()
    assert_selects(everything, by_url, lambda r: "group2/" in r.scm_url)
    mine = await tca.repos.list(ORG, TEAM, scope="my").collect()
    assert_selects(
        everything, mine, lambda r: r.creator is not None and r.creator.username == TCA_USER_ID
    )


async def test_project_filters(tca: TCAClient) -> None:
    ids = (ORG, TEAM, LEGACY_REPO)
    everything = await tca.projects.list(*ids).collect()
    assert [p.id for p in everything] == list(LEGACY_PROJECTS)

    by_scheme = await tca.projects.list(*ids, scan_scheme=LEGACY_REPO).collect()
    assert_selects(
        everything, by_scheme, lambda p: p.scan_scheme is not None and p.scan_scheme.id == 4
    )
    deprecated = await tca.projects.list(*ids, scan_scheme_status=SchemeStatus.DEPRECATED).collect()
    assert_selects(
        everything,
        deprecated,
        lambda p: p.scan_scheme is not None and p.scan_scheme.status == SchemeStatus.DEPRECATED,
    )
    by_scheme_name = await tca.projects.list(*ids, branch_or_scheme="legac").collect()
    assert_selects(
        everything,
        by_scheme_name,
        lambda p: p.scan_scheme is not None and "legac" in (p.scan_scheme.name or ""),
    )
    by_branch = await tca.projects.list(*ids, branch_or_scheme="mast").collect()
    assert_selects(everything, by_branch, lambda p: "mast" in (p.branch or ""))
    schemes = {s.id: s for s in await tca.schemes.list(*ids).collect()}
    for default in (True, False):
        on_default = await tca.projects.list(*ids, scan_scheme_default=default).collect()
        assert_selects(
            everything,
            on_default,
            lambda p, default=default: (
                p.scan_scheme is not None and schemes[p.scan_scheme.id].default_flag is default
            ),
        )


async def test_job_filters(tca: TCAClient) -> None:
    ids = (ORG, TEAM, LEGACY_REPO, LEGACY_PROJECTS[1])
    everything = await tca.jobs.list(*ids).collect()
    details = {j.id: await tca.jobs.get(*ids, j.id) for j in everything}
    times = sorted(d.create_time for d in details.values() if d.create_time is not None)
    middle = times[1]
    assert times[0] < middle < times[-1]
    since = await tca.jobs.list(*ids, create_time_gte=middle).collect()
    assert_selects(everything, since, lambda j: (details[j.id].create_time or middle) >= middle)
    until = await tca.jobs.list(
        *ids, create_time_lte=middle.astimezone(timezone(timedelta(hours=-5)))
    ).collect()
    assert_selects(everything, until, lambda j: (details[j.id].create_time or middle) <= middle)
    failed = await tca.jobs.list(*ids, result_msg="异常").collect()
    assert_selects(everything, failed, lambda j: "异常" in (j.result_msg or ""))
    action = await tca.jobs.list(*ids, created_from="tca_action").collect()
    assert_selects(everything, action, lambda j: details[j.id].created_from == "tca_action")
    alices = await tca.jobs.list(*ids, creator="alice").collect()
    assert_selects(everything, alices, lambda j: details[j.id].creator == "alice")


async def test_scheme_and_template_filters(tca: TCAClient) -> None:
    schemes = await tca.schemes.list(ORG, TEAM, LEGACY_REPO).collect()
    active = await tca.schemes.list(ORG, TEAM, LEGACY_REPO, status=SchemeStatus.ACTIVE).collect()
    assert_selects(schemes, active, lambda s: s.status == SchemeStatus.ACTIVE)
    deprecated = await tca.schemes.list(ORG, TEAM, LEGACY_REPO, status=2).collect()
    assert_selects(schemes, deprecated, lambda s: s.status == SchemeStatus.DEPRECATED)
    default = await tca.schemes.list(ORG, TEAM, LEGACY_REPO, default_flag=True).collect()
    assert_selects(schemes, default, lambda s: s.default_flag is True)
    projects = await tca.projects.list(ORG, TEAM, LEGACY_REPO).collect()
    on_dev = {p.scan_scheme.id for p in projects if p.branch == "dev-2" and p.scan_scheme}
    included = await tca.schemes.list(
        ORG, TEAM, LEGACY_REPO, include_branch=["dev-2", "no-such-branch"]
    ).collect()
    assert_selects(schemes, included, lambda s: s.id in on_dev)
    excluded = await tca.schemes.list(ORG, TEAM, LEGACY_REPO, exclude_branch="dev-2").collect()
    assert_selects(schemes, excluded, lambda s: s.id not in on_dev)
    templates = await tca.schemes.list_templates(ORG).collect()
    assert await tca.schemes.list_templates(ORG, scope="all").collect() == templates
    system = await tca.schemes.list_templates(ORG, scope="system").collect()
    own = await tca.schemes.list_templates(ORG, scope="not_system").collect()
    assert_selects(templates, system, lambda t: t.id == 1)  # the fake's built-in template
    assert_selects(templates, own, lambda t: t.id != 1)
    assert await tca.schemes.list_templates(ORG, scope="editable").collect() == own


async def test_complexity_filters(tca: TCAClient) -> None:
    ids = (ORG, TEAM, REPO, PROJECT)
    files = await tca.complexity.files(*ids).collect()
    open_files = await tca.complexity.files(*ids, state=[IssueState.ACTIVE]).collect()
    assert_selects(files, open_files, lambda f: f.state == IssueState.ACTIVE)
    changed = await tca.complexity.files(*ids, change_type=[1, 2]).collect()
    assert_selects(files, changed, lambda f: f.change_type in (1, 2))
    issues = await tca.complexity.issues(*ids).collect()
    ignored = await tca.complexity.issues(*ids, status=CCIssueStatus.IGNORED).collect()
    assert_selects(issues, ignored, lambda i: i.status == CCIssueStatus.IGNORED)
    unchanged = await tca.complexity.issues(*ids, change_type=3).collect()
    assert_selects(issues, unchanged, lambda i: i.change_type == 3)


async def test_duplicate_filters(tca: TCAClient) -> None:
    ids = (ORG, TEAM, REPO, PROJECT)
    files = await tca.duplicates.files(*ids).collect()
    states = await tca.duplicates.files(
        *ids, issue_state=[IssueState.RESOLVED, IssueState.CLOSED]
    ).collect()
    assert_selects(files, states, lambda f: f.issue_state in (2, 3))
    modified = await tca.duplicates.files(*ids, change_type=["mod", "del"]).collect()
    assert_selects(files, modified, lambda f: f.change_type in ("mod", "del"))
    in_path = await tca.duplicates.files(*ids, file_path="pkg1/").collect()
    assert_selects(files, in_path, lambda f: "pkg1/" in (f.file_path or ""))


async def test_pages_of_a_remembered_selection_are_what_one_page_serves(
    tca: TCAClient,
) -> None:
    ids = (ORG, TEAM, REPO, PROJECT)
    whole = await tca.issues.list(*ids, state=[1, 2], page_size=1000).collect()
    paged = await tca.issues.list(*ids, state=[1, 2], page_size=4).collect()
    assert paged == whole
    assert await tca.issues.list(*ids, state=[1, 2], page_size=4).collect() == whole
    # Another filter is another selection, not the remembered one.
    closed = await tca.issues.list(*ids, state=3, page_size=4).collect()
    assert closed
    assert {i.state for i in closed} == {IssueState.CLOSED}
    assert not {i.id for i in closed} & {i.id for i in whole}


async def test_selections_are_forgotten_when_the_data_changes() -> None:
    fake = FakeTCA()
    ids = (ORG, TEAM, REPO, PROJECT)
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        await tca.issues.list(*ids, severity=2).collect()
        await tca.complexity.files(*ids).collect()
        assert len(fake.selections) == 2
        await tca.scans.create(*ids)  # any write
        assert len(fake.selections) == 0
        await tca.issues.list(*ids).collect()
        assert len(fake.selections) == 1
        fake.reset_data()
        assert len(fake.selections) == 0


async def test_schemes_made_from_templates_are_found_by_their_template_ids() -> None:
    fake = FakeTCA()
    made = next(s for s in fake.data.schemes.values() if s["repo"] == LEGACY_REPO)
    made["refer_template_ids"] = [1, 3]  # the server keeps them sorted
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        found = await tca.schemes.list(ORG, TEAM, LEGACY_REPO, refer_template_ids=[3, 1]).collect()
        assert [s.id for s in found] == [made["id"]]
        assert ("refer_template_ids", "1,3") in fake.requests[-1].query  # sorted, as asked
        assert await tca.schemes.list(ORG, TEAM, LEGACY_REPO, refer_template_ids=3).collect() == []


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"include_branch": "a,b"}, ValueError),  # a comma would split the name
        ({"exclude_branch": [""]}, ValueError),
        ({"refer_template_ids": "1,3"}, TypeError),
        ({"refer_template_ids": [0]}, ValueError),
        ({"default_flag": "yes"}, TypeError),
    ],
)
async def test_scheme_filters_refuse_bad_values_before_sending(
    options: dict[str, object], error: type[Exception]
) -> None:
    fake = FakeTCA()
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        with pytest.raises(error, match=next(iter(options))):
            tca.schemes.list(ORG, TEAM, LEGACY_REPO, **options)  # type: ignore[arg-type]
    assert fake.requests == []
