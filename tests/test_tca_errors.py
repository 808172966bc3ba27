"""TCA errors by type, as FakeTCA sends them (shapes from the captures), input validation
before anything is sent, and a scan create that is never sent twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tca_tapd import (
    APIError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ServerError,
    TCAClient,
    TCATokenAuth,
    ValidationError,
)
from tca_tapd.testing import TCA_API_TOKEN, TCA_OUTSIDER_API_TOKEN, FakeClock, Fault

from .conftest import Target

ORG, TEAM, REPO, PROJECT = "hellotca", "demo", 3, 5
PROJECT_PATH = f"orgs/{ORG}/teams/{TEAM}/repos/{REPO}/projects/{PROJECT}"


def client(target: Target, token: str = TCA_API_TOKEN, **options: Any) -> TCAClient:
    return TCAClient(target.base_url, TCATokenAuth(token), **target.options(**options))


async def test_validation_error_lists_every_field(tca_target: Target) -> None:
    async with client(tca_target) as tca:
        with pytest.raises(ValidationError) as caught:
            await tca.teams.create(ORG, TEAM, "again")  # the team exists
        fields = caught.value.invalid_fields
        assert [f.field for f in fields] == ["name"]
        assert caught.value.api_code == 1000
        with pytest.raises(ValidationError) as no_scheme:
            await tca.projects.create(ORG, TEAM, REPO, "x", scan_scheme_id=REPO + 1)
    assert no_scheme.value.invalid_fields[0].field == "cd_error"
    assert no_scheme.value.message.startswith("cd_error ")


async def test_registered_repo_is_code_1040(tca_target: Target) -> None:
    async with client(tca_target) as tca:
        repo = await tca.repos.get(ORG, TEAM, REPO)
        with pytest.raises(APIError) as caught:
            await tca.repos.create(ORG, TEAM, repo.scm_url.replace("http://", "https://"))
    assert caught.value.status_code == 400
    assert caught.value.api_code == 1040
    assert caught.value.message == "代码库已接入"


async def test_not_found_on_main_and_analysis(tca_target: Target) -> None:
    async with client(tca_target) as tca:
        with pytest.raises(NotFoundError) as main:
            await tca.repos.get(ORG, TEAM, 999)
        with pytest.raises(NotFoundError) as analysis:
            await tca.issues.get(ORG, TEAM, REPO, PROJECT, 999_999)
        with pytest.raises(NotFoundError) as project:
            await tca.overview.get(ORG, TEAM, REPO, 999)
        fresh = await tca.projects.create(ORG, TEAM, REPO, "new", scan_scheme_id=REPO)
        with pytest.raises(NotFoundError) as never_scanned:
            await tca.overview.latest_scan(ORG, TEAM, REPO, fresh.id)
        empty = await tca.overview.get(ORG, TEAM, REPO, fresh.id)
    assert (main.value.api_code, main.value.message) == (1000, "未找到。")
    assert (analysis.value.api_code, project.value.api_code) == (100, 100)
    assert never_scanned.value.message == f"项目{fresh.id}未启动扫描"
    assert empty.lintscan is None
    assert empty.clocscan is None


async def test_auth_errors_json_on_main_html_on_analysis(tca_target: Target) -> None:
    async with client(tca_target, token="0" * 40) as bad:
        with pytest.raises(AuthenticationError) as main:
            await bad.repos.get(ORG, TEAM, REPO)
        with pytest.raises(AuthenticationError) as analysis:
            await bad.issues.list(ORG, TEAM, REPO, PROJECT).collect()
    assert main.value.message == "认证令牌无效。"
    assert "401 Authorization Required" in analysis.value.message
    assert analysis.value.body.startswith(b"<html>")


async def test_permission_errors_json_on_main_html_on_analysis(tca_target: Target) -> None:
    async with client(tca_target, token=TCA_OUTSIDER_API_TOKEN) as outsider:
        with pytest.raises(PermissionDeniedError) as main:
            await outsider.projects.list(ORG, TEAM, REPO).collect()
        with pytest.raises(PermissionDeniedError) as analysis:
            await outsider.overview.get(ORG, TEAM, REPO, PROJECT)
    async with client(tca_target) as tca:
        with pytest.raises(PermissionDeniedError) as other_team:
            await tca.complexity.files(ORG, "other", REPO, PROJECT).collect()
    assert main.value.message == "您没有执行该操作的权限。"
    assert "403 Forbidden" in analysis.value.message
    assert other_team.value.status_code == 403


async def test_post_without_slash_is_a_500_page(tca_target: Target) -> None:
    async with client(tca_target) as tca:
        path = (
            f"/server/main/api/orgs/{ORG}/teams/{TEAM}/repos/{REPO}/projects/{PROJECT}/scans/create"
        )
        with pytest.raises(ServerError) as caught:
            await tca._request("POST", path, json={"incr_scan": True})
    assert caught.value.message == "Server Error (500)"


async def test_bad_filter_value_is_a_400(tca_target: Target) -> None:
    path = f"/server/analysis/api/{PROJECT_PATH}/codelint/issues/"
    async with client(tca_target) as tca:
        with pytest.raises(ValidationError) as caught:
            await tca._request("GET", path, params={"severity": "x"})
    assert caught.value.invalid_fields[0].field == "severity"


async def test_scan_create_is_not_retried(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(503, times=1, method="POST"))
    async with client(tca_target, clock=clock) as tca:
        with pytest.raises(ServerError):
            await tca.scans.create(ORG, TEAM, REPO, PROJECT)
        jobs = await tca.jobs.list(ORG, TEAM, REPO, PROJECT).collect()
    posts = [r for r in await tca_target.control.requests() if r["method"] == "POST"]
    assert len(posts) == 1
    assert clock.sleeps == []
    assert [j.id for j in jobs] == [15, 14, 13]


Call = Callable[[TCAClient], Awaitable[Any]]


async def _collect(pager: Any) -> Any:
    return await pager.collect()


BAD_CALLS: list[tuple[str, Call, type[Exception]]] = [
    ("repo_id", lambda t: t.repos.get(ORG, TEAM, 0), ValueError),
    ("repo_id", lambda t: t.repos.get(ORG, TEAM, "x"), TypeError),  # type: ignore[arg-type]
    ("org_sid", lambda t: t.repos.get("a/b", TEAM, 1), ValueError),
    ("scope", lambda t: _collect(t.repos.list(ORG, TEAM, scope="all")), ValueError),  # type: ignore[arg-type]
    ("scm_type", lambda t: t.repos.create(ORG, TEAM, "http://x/y", "hg"), ValueError),  # type: ignore[arg-type]
    ("update", lambda t: t.repos.update(ORG, TEAM, 1), ValueError),
    ("severity", lambda t: _collect(t.issues.list(ORG, TEAM, 1, 1, severity=9)), ValueError),
    ("state", lambda t: _collect(t.issues.list(ORG, TEAM, 1, 1, state=[])), ValueError),
    (
        "ci_time_gte",
        lambda t: _collect(t.issues.list(ORG, TEAM, 1, 1, ci_time_gte="2021")),
        TypeError,
    ),  # type: ignore[arg-type]
    (
        "checkpackage",
        lambda t: _collect(t.issues.list(ORG, TEAM, 1, 1, checkpackage=[0])),
        ValueError,
    ),
    (  # a string is not read as a list of its characters ("12" -> "1,2")
        "checkpackage",
        lambda t: _collect(t.issues.list(ORG, TEAM, 1, 1, checkpackage="12")),  # type: ignore[arg-type]
        TypeError,
    ),
    ("project_id", lambda t: t.overview.get(ORG, TEAM, 1, -1), ValueError),
    ("page_size", lambda t: _collect(t.jobs.list(ORG, TEAM, 1, 1, page_size=0)), ValueError),
    ("state", lambda t: _collect(t.jobs.list(ORG, TEAM, 1, 1, state="closed")), ValueError),
    ("path_type", lambda t: t.scan_dirs.create(ORG, TEAM, 1, 1, "x", path_type=9), ValueError),
    ("scan_scheme_id", lambda t: t.projects.create(ORG, TEAM, 1, "main"), ValueError),
    ("incr_scan", lambda t: t.scans.create(ORG, TEAM, 1, 1, incr_scan="yes"), TypeError),  # type: ignore[arg-type]
    ("remarks", lambda t: t.jobs.cancel(ORG, TEAM, 1, 1, 1, ""), ValueError),
    ("poll_interval", lambda t: t.jobs.wait(ORG, TEAM, 1, 1, 1, poll_interval=0), ValueError),
    ("package_ids", lambda t: t.check_packages.add(ORG, TEAM, 1, 1, []), ValueError),
    ("min_ccn", lambda t: t.schemes.update_metric_conf(ORG, TEAM, 1, 1, min_ccn=-1), ValueError),
    (
        "duplicate_rate_gte",
        lambda t: _collect(t.duplicates.files(ORG, TEAM, 1, 1, duplicate_rate_gte=101)),
        ValueError,
    ),
    (
        "change_type",
        lambda t: _collect(t.complexity.files(ORG, TEAM, 1, 1, change_type=7)),
        ValueError,
    ),
]


@pytest.mark.parametrize(("name", "call", "error"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
async def test_bad_arguments_raise_before_sending(
    tca_target: Target, name: str, call: Call, error: type[Exception]
) -> None:
    async with client(tca_target) as tca:
        with pytest.raises(error, match=name):
            await call(tca)
    assert await tca_target.control.requests() == []
