"""The fake servers are product: their faithfulness, checked with raw HTTP requests.

Most tests talk to a fresh fake in-process (``fake.asgi_transport()``); those taking
``tca_target``/``tapd_target`` also run against the fake served from its own process
on a loopback socket.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio
import httpx
import pytest

from tca_tapd import TCATicketAuth, tca_ticket
from tca_tapd.tapd import split_people
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TAPD_AUTH_CODE,
    TAPD_CLIENT_ID,
    TAPD_CLIENT_SECRET,
    TCA_API_TOKEN,
    TCA_OUTSIDER_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeClock,
    FakeControl,
    FakeServer,
    FakeTAPD,
    FakeTCA,
    Fault,
    FaultPlan,
    ServerProcess,
    serve_in_thread,
)
from tca_tapd.testing._asgi import Request, Response, json_response

from .conftest import Target

MAIN = "/server/main/api"
TEAM = f"{MAIN}/orgs/hellotca/teams/demo"
REPOS = f"{TEAM}/repos/"
ANALYSIS_OVERVIEW = "/server/analysis/api/orgs/hellotca/teams/demo/repos/1/projects/1/overview/"
TOKEN = {"Authorization": f"Token {TCA_API_TOKEN}"}
WS = 10104801


def basic(user: str, password: str) -> dict[str, str]:
    value = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {value}"}


BASIC = basic(TAPD_API_USER, TAPD_API_PASSWORD)


@asynccontextmanager
async def raw(
    fake: FakeServer, base_url: str = "http://fake.test"
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=fake.asgi_transport(), base_url=base_url) as client:
        yield client


@asynccontextmanager
async def reach(target: Target) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=target.transport, base_url=target.base_url) as client:
        yield client


def ids(page: dict[str, Any]) -> list[int]:
    return [r["id"] for r in page["results"]]


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# == FakeTCA =============================================================================


async def test_tca_success_envelope() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        response = await http.get(f"{REPOS}4/", headers=TOKEN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"data", "code", "msg", "status_code"}
    assert (body["code"], body["msg"], body["status_code"]) == (0, "请求成功", 200)
    repo = body["data"]
    assert repo["id"] == 4
    assert repo["name"] == "service-004"
    assert repo["project_team"]["org_sid"] == "hellotca"
    # The main server's timestamp spelling.
    assert repo["created_time"].endswith("+00:00")
    assert " " in repo["created_time"]


async def test_tca_limit_offset_pages() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        first = (await http.get(REPOS, headers=TOKEN)).json()["data"]
        assert set(first) == {"count", "next", "previous", "results"}
        assert first["count"] == 25
        assert ids(first) == list(range(25, 15, -1))  # default page size 10, newest first
        assert first["previous"] is None
        assert first["next"] == f"http://tca.test{REPOS}?limit=10&offset=10"
        seen = ids(first)
        url = first["next"]
        pages = [first]
        while url is not None:
            page = (await http.get(url, headers=TOKEN)).json()["data"]
            seen += ids(page)
            pages.append(page)
            url = page["next"]
        assert seen == list(range(25, 0, -1))
        assert len(pages) == 3
        assert pages[2]["previous"] == f"http://tca.test{REPOS}?limit=10&offset=10"
        assert query_of(pages[1]["previous"]) == {"limit": "10"}  # offset 0 is left out

        tail = (await http.get(REPOS, params={"limit": 7, "offset": 21}, headers=TOKEN)).json()
        assert ids(tail["data"]) == [4, 3, 2, 1]
        assert tail["data"]["next"] is None
        assert query_of(tail["data"]["previous"]) == {"limit": "7", "offset": "14"}
        beyond = (await http.get(REPOS, params={"offset": 99}, headers=TOKEN)).json()["data"]
        assert (beyond["count"], beyond["results"], beyond["next"]) == (25, [], None)
        # DRF is lenient: a bad limit falls back to the default.
        junk = (await http.get(REPOS, params={"limit": "x"}, headers=TOKEN)).json()["data"]
        assert len(junk["results"]) == 10


async def test_tca_next_keeps_filters() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        params: dict[str, Any] = {"scm_url_or_name": "service-01", "limit": 4}
        page = (await http.get(REPOS, params=params, headers=TOKEN)).json()["data"]
        assert page["count"] == 10
        assert query_of(page["next"]) == {
            "scm_url_or_name": "service-01",
            "limit": "4",
            "offset": "4",
        }
        second = (await http.get(page["next"], headers=TOKEN)).json()["data"]
        assert ids(second) == [15, 14, 13, 12]


async def test_tca_next_is_on_the_request_host(tca_target: Target) -> None:
    async with reach(tca_target) as http:
        page = (await http.get(REPOS, params={"limit": 5}, headers=TOKEN)).json()["data"]
        assert page["next"] == f"{tca_target.base_url}{REPOS}?limit=5&offset=5"
        follow = (await http.get(page["next"], headers=TOKEN)).json()["data"]
    assert ids(follow) == [20, 19, 18, 17, 16]


async def test_tca_trailing_slash() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        moved = await http.get(REPOS.rstrip("/"), params={"limit": 3}, headers=TOKEN)
        assert moved.status_code == 301
        assert moved.headers["location"] == f"{REPOS}?limit=3"
        assert moved.content == b""
        # Django's APPEND_SLASH answers before authentication.
        anonymous = await http.get(f"{REPOS}4")
        assert anonymous.status_code == 301
        assert anonymous.headers["location"] == f"{REPOS}4/"
        followed = await http.get(
            REPOS.rstrip("/"), params={"limit": 3}, headers=TOKEN, follow_redirects=True
        )
        assert followed.status_code == 200
        assert ids(followed.json()["data"]) == [25, 24, 23]

        post = await http.post(REPOS.rstrip("/"), json={"scm_url": "x"}, headers=TOKEN)
        assert post.status_code == 500
        assert post.headers["content-type"].startswith("text/html")
        assert "Server Error (500)" in post.text

        unknown = await http.get(f"{MAIN}/no/such/thing/", headers=TOKEN)
        assert unknown.status_code == 404
        assert unknown.headers["content-type"].startswith("text/html")


NOT_PROVIDED = {"status_code": 401, "code": 1000, "msg": "身份认证信息未提供。"}


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({}, NOT_PROVIDED),
        ({"Authorization": f"Bearer {TCA_API_TOKEN}"}, NOT_PROVIDED),
        ({"Authorization": TCA_API_TOKEN}, NOT_PROVIDED),  # the en docs' mistake
        (
            {"Authorization": "Token not-a-known-key"},
            {"status_code": 401, "code": 1000, "msg": "认证令牌无效。"},
        ),
    ],
)
async def test_tca_credentials_refused(headers: dict[str, str], body: dict[str, Any]) -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        response = await http.get(REPOS, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.headers["www-authenticate"] == "Token"
    assert response.json() == body


async def test_tca_ticket_auth() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock)
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time)
    async with raw(fake, "http://tca.test") as http:
        headers = auth.headers()
        assert headers["TCA-TIMESTAMP"] == str(int(clock.time()))
        assert headers["TCA-TICKET"] == tca_ticket(int(clock.time()), TCA_USER_ID, TCA_TOKEN)
        ok = await http.get(REPOS, headers=headers)
        assert ok.status_code == 200
        assert ok.json()["data"]["count"] == 25
        # Still fine at the edge of the window (1200 s by default), in both directions.
        clock.advance(1200)
        assert (await http.get(REPOS, headers=headers)).status_code == 200
        ahead = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time, clock_offset=1200)
        assert (await http.get(REPOS, headers=ahead.headers())).status_code == 200


async def test_tca_ticket_outside_the_window_is_expired() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock)
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time)
    expired = {"status_code": 401, "code": "-3", "msg": "ticket过期"}
    async with raw(fake, "http://tca.test") as http:
        headers = auth.headers()
        clock.advance(1201)
        old = await http.get(REPOS, headers=headers)
        assert old.status_code == 401
        assert old.json() == expired
        future = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time, clock_offset=1300)
        assert (await http.get(REPOS, headers=future.headers())).json() == expired
        fresh = await http.get(REPOS, headers=auth.headers())
        assert fresh.status_code == 200


async def test_tca_ticket_window_is_configurable() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock, ticket_window=30)
    headers = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time).headers()
    async with raw(fake, "http://tca.test") as http:
        clock.advance(30)
        assert (await http.get(REPOS, headers=headers)).status_code == 200
        clock.advance(1)
        assert (await http.get(REPOS, headers=headers)).json()["code"] == "-3"


def _ticket_headers(clock: FakeClock, **changes: str) -> dict[str, str]:
    headers = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time).headers()
    headers.update(changes)
    return headers


@pytest.mark.parametrize(
    "changes",
    [
        {"TCA-TICKET": "0" * 64},
        {"TCA-TICKET": ""},
        {"TCA-USERID": "somebody-else"},
        {"TCA-TIMESTAMP": "yesterday"},
    ],
)
async def test_tca_wrong_ticket(changes: dict[str, str]) -> None:
    clock = FakeClock()
    async with raw(FakeTCA(clock=clock), "http://tca.test") as http:
        response = await http.get(REPOS, headers=_ticket_headers(clock, **changes))
    assert response.status_code == 401
    assert response.json() == {"status_code": 401, "code": "-2", "msg": "鉴权失败"}


async def test_tca_ticket_signed_with_the_wrong_token() -> None:
    clock = FakeClock()
    wrong = TCATicketAuth(TCA_USER_ID, "not-the-token", clock=clock.time)
    async with raw(FakeTCA(clock=clock), "http://tca.test") as http:
        response = await http.get(REPOS, headers=wrong.headers())
    assert response.json()["code"] == "-2"


async def test_tca_custom_credentials() -> None:
    clock = FakeClock()
    fake = FakeTCA(users={"carol": "carol-token"}, api_tokens={"k" * 40: "carol"}, clock=clock)
    async with raw(fake, "http://tca.test") as http:
        carol = TCATicketAuth("carol", "carol-token", clock=clock.time).headers()
        assert (await http.get(REPOS, headers=carol)).status_code == 200
        assert (await http.get(REPOS, headers={"Authorization": "Token " + "k" * 40})).is_success
        # The defaults are replaced, not added to.
        assert (await http.get(REPOS, headers=TOKEN)).status_code == 401
        default = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time).headers()
        assert (await http.get(REPOS, headers=default)).json()["code"] == "-2"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Token nope"}, {"Authorization": f"Bearer {TCA_API_TOKEN}"}],
)
async def test_tca_analysis_auth_failure_is_an_nginx_page(headers: dict[str, str]) -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        response = await http.get(ANALYSIS_OVERVIEW, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["www-authenticate"] == "Token"
    assert "<title>401 Authorization Required</title>" in response.text
    assert "nginx" in response.text


async def test_tca_analysis_ticket_failure_is_an_nginx_page() -> None:
    clock = FakeClock()
    async with raw(FakeTCA(clock=clock), "http://tca.test") as http:
        headers = _ticket_headers(clock, **{"TCA-TICKET": "F" * 64})
        response = await http.get(ANALYSIS_OVERVIEW, headers=headers)
        # …and on main the same ticket gets the JSON body.
        main = await http.get(REPOS, headers=headers)
    assert response.status_code == 401
    assert "401 Authorization Required" in response.text
    assert main.json()["code"] == "-2"


async def test_tca_unknown_repo_and_team() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:
        missing = await http.get(f"{REPOS}26/", headers=TOKEN)
        assert missing.status_code == 404
        assert missing.json() == {"status_code": 404, "code": 1000, "msg": "未找到。"}
        forbidden = {"status_code": 403, "code": 1000, "msg": "您没有执行该操作的权限。"}
        for path in (
            f"{MAIN}/orgs/hellotca/teams/other/repos/",
            f"{MAIN}/orgs/elsewhere/teams/demo/repos/",
            f"{MAIN}/orgs/hellotca/teams/other/repos/1/",
        ):
            response = await http.get(path, headers=TOKEN)
            assert response.status_code == 403, path
            assert response.json() == forbidden


async def test_tca_repo_filters() -> None:
    async with raw(FakeTCA(), "http://tca.test") as http:

        async def listed(**params: Any) -> list[int]:
            response = await http.get(REPOS, params={"limit": 100, **params}, headers=TOKEN)
            page = response.json()["data"]
            assert page["count"] == len(page["results"])
            return ids(page)

        assert await listed(scm_url="http://git.example.com/group1/service-005") == [5]
        assert await listed(scm_url="http://git.example.com/group1/service-00") == []  # exact
        assert await listed(scm_url_or_name="service-01") == list(range(19, 9, -1))
        assert await listed(scm_url_or_name="SERVICE-02") == [25, 24, 23, 22, 21, 20]
        assert await listed(scm_url_or_name="group3/") == [
            i for i in range(25, 0, -1) if i % 4 == 3
        ]
        assert await listed(scm_url_or_name="no-such-repo") == []
        mine = await listed(scope="my")
        assert mine == [i for i in range(25, 0, -1) if i % 3 == 0]
        for repo_id in mine:
            detail = (await http.get(f"{REPOS}{repo_id}/", headers=TOKEN)).json()["data"]
            assert detail["creator"]["username"] == TCA_USER_ID


async def test_tca_scope_my_follows_the_caller() -> None:
    fake = FakeTCA(api_tokens={"a" * 40: "alice"})
    async with raw(fake, "http://tca.test") as http:
        response = await http.get(
            REPOS,
            params={"scope": "my", "limit": 50},
            headers={"Authorization": "Token " + "a" * 40},
        )
    assert ids(response.json()["data"]) == [i for i in range(25, 0, -1) if i % 3 == 1]


async def test_tca_data_set_options() -> None:
    fake = FakeTCA(org_sid="org2", team_name="t2", repos=3)
    async with raw(fake, "http://tca.test") as http:
        page = (await http.get(f"{MAIN}/orgs/org2/teams/t2/repos/", headers=TOKEN)).json()
        assert ids(page["data"]) == [3, 2, 1]
        assert (await http.get(REPOS, headers=TOKEN)).status_code == 403
    # Deterministic: the same seed gives the same data.
    assert FakeTCA(seed=4).repos == FakeTCA(seed=4).repos
    assert FakeTCA(seed=4).repos != FakeTCA(seed=5).repos


# == FakeTCA against the captures (tca-captures/) ============================================

V3_ORG = f"{MAIN}/v3/orgs/hellotca/"
PROJECT_PATH = "orgs/hellotca/teams/demo/repos/1/projects/1"
OUTSIDER = {"Authorization": f"Token {TCA_OUTSIDER_API_TOKEN}"}
MAIN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00:00")
HTML_UTF8 = "text/html; charset=utf-8"


async def test_tca_team_create_needs_only_a_name() -> None:
    # main_team_create_400_empty: only `name` is required.
    async with raw(FakeTCA(), "http://tca.test") as http:
        empty = await http.post(f"{V3_ORG}teams/", json={}, headers=TOKEN)
        named = await http.post(f"{V3_ORG}teams/", json={"name": "t2"}, headers=TOKEN)
    assert empty.status_code == 400
    assert empty.json() == {
        "status_code": 400,
        "code": 1000,
        "msg": "name 该字段是必填项。",
        "invalid_fields": [{"field": "name", "message": ["该字段是必填项。"]}],
    }
    assert named.status_code == 201
    team = named.json()["data"]
    assert (team["name"], team["display_name"]) == ("t2", "t2")  # the server's default


ORG_KEYS = {
    "id", "creator", "created_time", "modifier", "modified_time", "deleter", "deleted_time",
    "admins", "repo_count", "team_count", "user_count", "owner", "tel_number", "org_sid",
    "name", "address", "description", "certificated", "business_license", "status", "level",
}  # fmt: skip


async def test_tca_org_create() -> None:
    # main_org_create and main_org_create_400_missing_fields.
    body = {"name": "sdk-org", "owner": TCA_USER_ID, "tel_number": "12345678901"}
    async with raw(FakeTCA(), "http://tca.test") as http:
        created = await http.post(f"{MAIN}/v3/orgs/", json=body, headers=TOKEN)
        missing = await http.post(f"{MAIN}/v3/orgs/", json={"name": "x"}, headers=TOKEN)
        assert created.status_code == 201
        org = created.json()["data"]
        assert created.json()["status_code"] == 201
        listed = (await http.get(f"{MAIN}/v3/orgs/", headers=TOKEN)).json()["data"]
        detail = await http.get(f"{MAIN}/v3/orgs/{org['org_sid']}/", headers=TOKEN)
        teams = await http.get(f"{MAIN}/v3/orgs/{org['org_sid']}/teams/", headers=TOKEN)
    assert set(org) == ORG_KEYS
    assert re.fullmatch(r"[A-Za-z0-9]{11}", org["org_sid"])
    assert (org["name"], org["owner"], org["tel_number"]) == ("sdk-org", TCA_USER_ID, "12345678901")
    assert (org["repo_count"], org["team_count"], org["user_count"]) == (0, 0, 1)
    assert [a["username"] for a in org["admins"]] == [TCA_USER_ID]
    assert (org["status"], org["level"], org["certificated"]) == (1, 1, False)
    assert MAIN_TIME.fullmatch(org["created_time"])
    assert org["org_sid"] in [o["org_sid"] for o in listed["results"]]
    assert detail.json()["data"] == org
    assert teams.json()["data"] == []
    assert missing.status_code == 400
    assert missing.json() == {
        "status_code": 400,
        "code": 1000,
        "msg": "owner 该字段是必填项。",
        "invalid_fields": [
            {"field": "owner", "message": ["该字段是必填项。"]},
            {"field": "tel_number", "message": ["该字段是必填项。"]},
        ],
    }
    # The org_sid is drawn from the seed: a run is repeatable.
    async with raw(FakeTCA(), "http://tca.test") as http:
        again = await http.post(f"{MAIN}/v3/orgs/", json=body, headers=TOKEN)
    assert again.json()["data"]["org_sid"] == org["org_sid"]


async def test_tca_repo_create_normalises_the_urls() -> None:
    # main_repo_create / main_repo_create_400_duplicate.
    body = {"scm_url": "https://github.com/Tencent/CodeAnalysis", "scm_type": "git"}
    async with raw(FakeTCA(teams_per_org=2), "http://tca.test") as http:
        created = await http.post(REPOS, json={**body, "name": "CodeAnalysis"}, headers=TOKEN)
        assert created.status_code == 201
        assert created.json()["data"] == {
            "id": 26,
            "name": "CodeAnalysis",
            "scm_url": "http://github.com/Tencent/CodeAnalysis",
            "ssh_url": "git@github.com:Tencent/CodeAnalysis",
            "scm_type": "git",
            "created_from": "codedog_web",
            "scm_auth": None,
            "labels": [],
        }
        # Any spelling of the same repository is the same one, in this team...
        for url in (body["scm_url"], "git@github.com:Tencent/CodeAnalysis.git"):
            again = await http.post(REPOS, json={**body, "scm_url": url}, headers=TOKEN)
            assert again.status_code == 400
            assert again.json() == {"status_code": 400, "code": 1040, "msg": "代码库已接入"}
        # ...and lookups by URL find it whatever the spelling.
        for url in (
            "https://github.com/Tencent/CodeAnalysis.git",
            "http://github.com/Tencent/CodeAnalysis/",
        ):
            found = await http.get(REPOS, params={"scm_url": url}, headers=TOKEN)
            assert ids(found.json()["data"]) == [26], url
            found = await http.get(REPOS, params={"scm_url_or_name": url}, headers=TOKEN)
            assert ids(found.json()["data"]) == [26], url
        detail = (await http.get(f"{REPOS}26/", headers=TOKEN)).json()["data"]
        assert (detail["scm_url"], detail["ssh_url"]) == (
            "http://github.com/Tencent/CodeAnalysis",
            "git@github.com:Tencent/CodeAnalysis",
        )
        assert MAIN_TIME.fullmatch(detail["created_time"])
        # The name defaults to the last part of the stored URL.
        ssh = {"scm_url": "git@git.example.com:grp/tool.git", "scm_type": "git"}
        tool = (await http.post(REPOS, json=ssh, headers=TOKEN)).json()["data"]
        assert (tool["name"], tool["scm_url"], tool["ssh_url"]) == (
            "tool",
            "http://git.example.com/grp/tool",
            "git@git.example.com:grp/tool",
        )
        # Registered once per team: another team may register it too.
        other = f"{MAIN}/orgs/hellotca/teams/demo-2/repos/"
        assert (await http.post(other, json=body, headers=TOKEN)).status_code == 201
        nowhere = await http.post(REPOS, json={**body, "scm_url": "https://host"}, headers=TOKEN)
        assert nowhere.json() == {"status_code": 400, "code": 1040, "msg": "代码库地址无效"}


async def test_tca_waiting_job_detail() -> None:
    # gw_main_project_job_detail: state 0 with the seconds waited so far, no expiry, no
    # task. The clock starts at .748322 as the capture's create_time did.
    clock = FakeClock(start=1_700_000_000.748322)
    fake = FakeTCA(clock=clock, job_durations=(10.0, 20.0))
    project = f"{REPOS}1/projects/1/"
    async with raw(fake, "http://tca.test") as http:
        job_id = (await http.post(f"{project}scans/create/", json={}, headers=TOKEN)).json()[
            "data"
        ]["job"]["id"]

        async def detail() -> dict[str, Any]:
            response = await http.get(f"{project}jobs/{job_id}/detail/", headers=TOKEN)
            return response.json()["data"]  # type: ignore[no-any-return]

        clock.advance(7.5)
        waiting = await detail()
        assert waiting["state"] == 0
        assert waiting["waiting_time"] == "7.251678"  # now without its fraction - created
        assert (waiting["expire_time"], waiting["task_num"], waiting["task_done"]) == (None, 0, 0)
        assert waiting["tasks"] == []
        assert waiting["start_time"] is None
        clock.advance(3)
        running = await detail()
        assert (running["state"], running["waiting_time"], running["task_num"]) == (1, "10.0", 2)
        assert running["expire_time"] is not None


async def test_tca_main_proxies_want_a_node_identity() -> None:
    # main_proxy_lint_issues / main_proxy_overview (and their _nodeidentity twins).
    node = {**TOKEN, "Node-Identity": "sdk-test-node"}
    not_provided = {"status_code": 401, "code": 1000, "msg": "身份认证信息未提供。"}
    async with raw(FakeTCA(), "http://tca.test") as http:
        for leaf in ("codelint/issues/", "overview/"):
            path = f"{MAIN}/{PROJECT_PATH}/{leaf}"
            for headers in (TOKEN, {}, {"Node-Identity": "n"}):
                refused = await http.get(path, headers=headers)
                assert refused.status_code == 401, (leaf, headers)
                assert refused.headers["www-authenticate"] == "tca-node-auth"
                assert refused.json() == not_provided
            served = await http.get(path, headers=node)
            assert served.status_code == 200
            direct = await http.get(path.replace(MAIN, "/server/analysis/api"), headers=TOKEN)
            assert served.json()["data"].get("results") == direct.json()["data"].get("results")
            bad = await http.get(path, headers={**node, "Authorization": "Token nope"})
            assert (bad.status_code, bad.json()["msg"]) == (401, "认证令牌无效。")
            outsider = await http.get(path, headers={**OUTSIDER, "Node-Identity": "n"})
            assert outsider.status_code == 403
            assert outsider.json()["code"] == 1000


async def test_tca_analysis_internal_routes() -> None:
    # gw_analysis_scans_list_401_internal_only: past the gateway, analysis wants main's
    # internal ticket.
    path = f"/server/analysis/api/{PROJECT_PATH}/scans/"
    async with raw(FakeTCA(), "http://tca.test") as http:
        for method, target in (("GET", path), ("POST", path), ("GET", f"{path}1/")):
            refused = await http.request(method, target, headers=TOKEN)
            assert refused.status_code == 401, (method, target)
            assert refused.headers["content-type"] == "application/json"
            assert refused.headers["www-authenticate"] == "main-internal-ticket"
            assert refused.json() == {
                "status_code": 401,
                "code": 100,
                "msg": "身份认证信息未提供。",
            }
        # The gateway answers first without credentials, or for an outsider.
        anonymous = await http.get(path)
        assert (anonymous.status_code, anonymous.headers["content-type"]) == (401, HTML_UTF8)
        outsider = await http.get(path, headers=OUTSIDER)
        assert (outsider.status_code, outsider.headers["content-type"]) == (403, HTML_UTF8)


async def test_tca_job_cancel_answer() -> None:
    # Server code: JobCancelApiView answers {"msg": "取消成功"}, which the renderer
    # also makes the envelope's msg.
    fake = FakeTCA()
    cancel = f"{MAIN}/v3/{PROJECT_PATH.replace('projects/1', 'projects/1/jobs/1/cancel')}/"
    async with raw(fake, "http://tca.test") as http:
        response = await http.post(cancel, json={"remarks": "stop"}, headers=TOKEN)
    assert response.status_code == 200
    assert response.json() == {
        "data": {"msg": "取消成功"},
        "code": 0,
        "msg": "取消成功",
        "status_code": 200,
    }
    # The renderer's other rule: no data is no body at all.
    empty = FakeTCA.envelope(None)
    assert (empty.status, empty.body) == (200, b"")


async def test_tca_main_times_have_microseconds() -> None:
    # Every captured main-server time has a fraction (TCA.md §7).
    async with raw(FakeTCA(), "http://tca.test") as http:
        org = (await http.get(V3_ORG, headers=TOKEN)).json()["data"]
        team = (await http.get(f"{V3_ORG}teams/demo/", headers=TOKEN)).json()["data"]
        template = (await http.get(f"{MAIN}/orgs/hellotca/schemes/1/", headers=TOKEN)).json()
        scheme = (await http.get(f"{REPOS}1/schemes/1/basicconf/", headers=TOKEN)).json()
        project = (await http.get(f"{REPOS}1/projects/1/", headers=TOKEN)).json()["data"]
    for item in (org, team, template["data"], scheme["data"], project):
        assert MAIN_TIME.fullmatch(item["created_time"]), item["created_time"]
        assert MAIN_TIME.fullmatch(item["modified_time"]), item["modified_time"]
        assert item["modified_time"] > item["created_time"]
    assert FakeTCA(seed=3).data.orgs == FakeTCA(seed=3).data.orgs  # deterministic


async def test_tca_html_content_types() -> None:
    # gw_analysis_lint_issues_noauth_401 / _outsider_403 and main_repos_list_noslash_301.
    analysis = f"/server/analysis/api/{PROJECT_PATH}/codelint/issues/"
    async with raw(FakeTCA(), "http://tca.test") as http:
        anonymous = await http.get(analysis)
        outsider = await http.get(analysis, headers=OUTSIDER)
        moved = await http.get(REPOS.rstrip("/"), headers=TOKEN)
    assert (anonymous.status_code, anonymous.headers["content-type"]) == (401, HTML_UTF8)
    assert (outsider.status_code, outsider.headers["content-type"]) == (403, HTML_UTF8)
    assert (moved.status_code, moved.headers["content-type"], moved.content) == (
        301,
        HTML_UTF8,
        b"",
    )


# == FakeTAPD ============================================================================


async def test_tapd_envelope_and_string_ids() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        response = await http.get(
            "/stories", params={"workspace_id": 755, "limit": 3}, headers=BASIC
        )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "data", "info"}
    assert (body["status"], body["info"]) == (1, "success")
    assert len(body["data"]) == 3
    for item in body["data"]:
        assert list(item) == ["Story"]
        story = item["Story"]
        assert story["workspace_id"] == "755"
        for key in ("id", "workspace_id", "level", "business_value", "progress", "is_archived"):
            assert isinstance(story[key], str), key
        assert story["children_id"] == "|"
        assert any(k.startswith("custom_field_") for k in story)
        assert any(k.startswith("custom_plan_field_") for k in story)


async def _stories(http: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await http.get("/stories", params={"workspace_id": WS, **params}, headers=BASIC)
    assert response.status_code == 200, response.text
    return [item["Story"] for item in response.json()["data"]]


async def _count(http: httpx.AsyncClient, **params: Any) -> int:
    response = await http.get(
        "/stories/count", params={"workspace_id": WS, **params}, headers=BASIC
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert set(data) == {"count"}
    assert type(data["count"]) is int
    return int(data["count"])


async def test_tapd_paging() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        assert len(everything) == 120
        numbers = [int(s["id"]) for s in everything]
        assert numbers == sorted(numbers, reverse=True)  # default order: id desc
        assert len(await _stories(http)) == 30  # default limit
        page3 = await _stories(http, page=3, limit=25)
        assert page3 == everything[50:75]
        assert await _stories(http, page=0, limit=5) == everything[:5]  # pages start at 1
        assert await _stories(http, page=7, limit=20) == []
        assert await _count(http) == 120


async def test_tapd_limit_is_capped_at_200() -> None:
    async with raw(FakeTAPD(stories=250), "http://tapd.test") as http:
        assert len(await _stories(http, limit=1000)) == 200
        assert len(await _stories(http, limit=1000, page=2)) == 50
        assert await _count(http) == 250


def _created_day(story: dict[str, Any]) -> str:
    return str(story["created"])[:10]


FILTERS: list[tuple[dict[str, str], Callable[[dict[str, Any]], bool]]] = [
    ({"status": "planning|developing"}, lambda s: s["status"] in ("planning", "developing")),
    ({"status": "<>planning"}, lambda s: s["status"] != "planning"),
    ({"status": "resolved"}, lambda s: s["status"] == "resolved"),
    (
        {"created": "2025-06-17~2025-06-20"},
        lambda s: "2025-06-17" <= _created_day(s) <= "2025-06-20",
    ),
    ({"created": "<2025-06-17"}, lambda s: _created_day(s) <= "2025-06-17"),
    ({"created": ">2025-07-01"}, lambda s: _created_day(s) >= "2025-07-01"),
    ({"owner": "alice"}, lambda s: "alice" in split_people(s["owner"])),
    ({"owner": "bob|张三"}, lambda s: bool({"bob", "张三"} & set(split_people(s["owner"])))),
    ({"owner": "alice;bob"}, lambda s: {"alice", "bob"} <= set(split_people(s["owner"]))),
    ({"name": "需求 1"}, lambda s: "需求 1" in s["name"]),
    ({"status": "planning", "owner": "alice"}, lambda s: s["status"] == "planning"
     and "alice" in split_people(s["owner"])),
]  # fmt: skip


@pytest.mark.parametrize(("params", "predicate"), FILTERS)
async def test_tapd_filters_by_content(
    params: dict[str, str], predicate: Callable[[dict[str, Any]], bool]
) -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        expected = [s["id"] for s in everything if predicate(s)]
        got = await _stories(http, limit=200, **params)
        count = await _count(http, **params)
    assert expected, "the data set should have matches for every filter tested"
    assert len(expected) < 120, "…and non-matches"
    assert [s["id"] for s in got] == expected
    assert count == len(expected)


async def test_tapd_not_equal_on_a_people_field_means_not_among_them() -> None:
    # People fields carry stray separators ("alice;", "alice;bob;"): <>alice must leave
    # out every story whose people include alice, and only those.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        with_alice = await _count(http, owner="alice")
        without = await _stories(http, limit=200, owner="<>alice")
        assert with_alice + await _count(http, owner="<>alice") == len(everything) == 120
    assert any(s["owner"].endswith(";") and "alice" in s["owner"] for s in everything)
    expected = [s["id"] for s in everything if "alice" not in split_people(s["owner"])]
    assert [s["id"] for s in without] == expected
    assert 0 < len(expected) < 120


@pytest.mark.parametrize("spec", ["~2030-01-01", "2000-01-01~", "2000-01-01~2030-01-01"])
async def test_tapd_a_range_leaves_out_empty_values(spec: str) -> None:
    # As with < and >: a null due date is in no range, even an open-ended one.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        got = await _stories(http, limit=200, due=spec)
        count = await _count(http, due=spec)
        before = await _count(http, due="<2030-01-01")
    expected = [s["id"] for s in everything if s["due"]]
    assert 0 < len(expected) < 120
    assert [s["id"] for s in got] == expected
    assert count == before == len(expected)


async def test_tapd_direct_edits_of_the_data_are_seen() -> None:
    fake = FakeTAPD()
    async with raw(fake, "http://tapd.test") as http:
        assert await _count(http) == 120  # listings are remembered from here on
        assert len(await _stories(http, limit=200)) == 120
        # Rows appended (or removed) are seen by themselves.
        extra = {**fake.stories[WS][0], "id": "1110104801999999999", "status": "odd"}
        fake.stories[WS].append(extra)
        assert await _count(http) == 121
        assert [s["id"] for s in await _stories(http, limit=1)] == [extra["id"]]
        assert await _count(http, status="odd") == 1
        del fake.stories[WS][-1]
        assert await _count(http, status="odd") == 0
        # So is a workspace's list replaced.
        fake.tables["stories"][WS] = fake.stories[WS][:10]
        assert await _count(http) == 10
        assert len(await _stories(http, limit=200)) == 10
        # An edit in place, once announced.
        assert await _count(http, status="odd") == 0
        fake.stories[WS][3]["status"] = "odd"
        fake.data_changed()
        assert await _count(http, status="odd") == 1
        assert [s["id"] for s in await _stories(http, status="odd")] == [fake.stories[WS][3]["id"]]
        # A save still starts afresh.
        form = {"workspace_id": str(WS), "name": "saved", "status": "odd"}
        assert (await http.post("/stories", data=form, headers=BASIC)).status_code == 200
        assert await _count(http, status="odd") == 2


async def test_tapd_custom_fields_by_display_name() -> None:
    # TAPD.md §4: a create takes custom_field_* or cus_<显示名>; 风险 is the display
    # name of custom_field_three in the fake's settings.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        settings = await http.get(
            "/stories/custom_fields_settings", params={"workspace_id": WS}, headers=BASIC
        )
        names = {
            c["CustomFieldConfig"]["name"]: c["CustomFieldConfig"]["custom_field"]
            for c in settings.json()["data"]
        }
        assert names["风险"] == "custom_field_three"
        form = {"workspace_id": str(WS), "name": "x", "cus_风险": "高"}
        created = await http.post("/stories", data=form, headers=BASIC)
        assert created.status_code == 200, created.text
        story = created.json()["data"]["Story"]
        assert story["custom_field_three"] == "高"
        assert not any(k.startswith("cus_") for k in story)
        assert await _count(http, custom_field_three="高") == 1
        update = {"workspace_id": str(WS), "id": story["id"], "cus_风险": "低"}
        updated = await http.post("/stories", data=update, headers=BASIC)
        assert updated.status_code == 200, updated.text
        assert updated.json()["data"]["Story"]["custom_field_three"] == "低"
        [listed] = await _stories(http, id=story["id"])
        assert listed["custom_field_three"] == "低"
        assert not any(k.startswith("cus_") for k in listed)
        bug = {"workspace_id": str(WS), "title": "b", "cus_风险": "中"}
        answer = await http.post("/bugs", data=bug, headers=BASIC)
        assert answer.json()["data"]["Bug"]["custom_field_three"] == "中"
        # A display name that names no custom field: refused (inferred), nothing saved.
        for refused, name in (
            ({"name": "y", "cus_没有": "1"}, "没有"),
            ({"id": story["id"], "cus_没有": "1"}, "没有"),
            ({"name": "y", "cus_": "1"}, ""),
        ):
            form = {"workspace_id": str(WS), **refused}
            answer = await http.post("/stories", data=form, headers=BASIC)
            assert answer.status_code == 422
            assert answer.json()["info"] == f"no custom field is named {name!r}"
        assert await _count(http) == 121
        [listed] = await _stories(http, id=story["id"])
        assert listed["custom_field_three"] == "低"


async def test_tapd_parameters_that_name_no_field_are_not_filters() -> None:
    # mcp-server-tapd sends these with every listing; TAPD answers as if they were absent.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        extra = {"s": "mcp", "entity_type": "stories"}
        assert await _stories(http, limit=200, **extra) == everything
        assert await _count(http, **extra) == len(everything) == 120
        planning = await _stories(http, limit=200, status="planning", **extra)
        assert planning
        assert planning == [s for s in everything if s["status"] == "planning"]


async def test_tapd_a_field_only_some_rows_have_still_filters() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        form = {"workspace_id": str(WS), "name": "new one", "custom_field_300": "x"}
        created = await http.post("/stories", data=form, headers=BASIC)
        assert created.status_code == 200, created.text
        assert await _count(http, custom_field_300="x") == 1
        assert [s["name"] for s in await _stories(http, custom_field_300="x")] == ["new one"]
        assert await _count(http, custom_field_300="y") == 0


async def test_tapd_new_items_get_what_tapd_fills_in() -> None:
    # TAPD's example of a story created through the API (TAPD.md §6): links are "0",
    # the status is the workflow's first, created_from "api"; unset dates are null.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        listed = (await _stories(http, limit=1))[0]
        form = {"workspace_id": str(WS)}
        story = (await http.post("/stories", data={**form, "name": "s"}, headers=BASIC)).json()
        bug = (await http.post("/bugs", data={**form, "title": "b"}, headers=BASIC)).json()
        task = (await http.post("/tasks", data={**form, "name": "t"}, headers=BASIC)).json()
    story, bug, task = story["data"]["Story"], bug["data"]["Bug"], task["data"]["Task"]
    expected = {
        "status": "planning", "iteration_id": "0", "parent_id": "0", "release_id": "0",
        "category_id": "-1", "children_id": "|", "level": "0", "business_value": "5",
        "tech_risk": "2", "progress": "0", "is_archived": "0", "created_from": "api",
        "completed": None, "begin": None, "due": None, "owner": "",
        "workitem_type_id": listed["workitem_type_id"],
    }  # fmt: skip
    assert {k: story[k] for k in expected} == expected
    assert (bug["status"], bug["flows"], bug["iteration_id"]) == ("new", "new", "0")
    assert (bug["in_progress_time"], bug["resolved"]) == (None, None)
    assert bug["template_id"]
    assert (task["status"], task["story_id"], task["progress"]) == ("open", "0", "0")


async def test_tapd_rate_limit_headers_on_every_answer() -> None:
    # S8 saw them on every answer, unauthenticated ones included, counting down.
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        ok = [
            await http.get("/stories/count", params={"workspace_id": WS}, headers=BASIC)
            for _ in range(2)
        ]
        refused = [await http.get("/stories/count", params={"workspace_id": WS}) for _ in range(2)]
        unknown = await http.get("/no/such/path")
    assert [r.status_code for r in ok + refused + [unknown]] == [200, 200, 401, 401, 200]
    assert {r.headers["x-ratelimit-limit"] for r in ok + refused + [unknown]} == {"10000"}
    assert [r.headers["x-ratelimit-remaining"] for r in ok] == ["9999", "9998"]
    # Without a valid credential, a window of their own.
    remaining = [r.headers["x-ratelimit-remaining"] for r in [*refused, unknown]]
    assert remaining == ["9999", "9998", "9997"]


async def test_tapd_rate_limit_counts_but_never_refuses_unauthenticated_requests() -> None:
    async with raw(FakeTAPD(rate_limit=(1, 60.0)), "http://tapd.test") as http:
        answers = [await http.get("/stories/count", params={"workspace_id": WS}) for _ in range(3)]
    assert [r.status_code for r in answers] == [401, 401, 401]
    assert [r.headers["x-ratelimit-remaining"] for r in answers] == ["0", "0", "0"]
    assert {r.headers["x-ratelimit-limit"] for r in answers} == {"1"}


async def test_tapd_filter_by_ids() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
        wanted = [everything[5]["id"], everything[40]["id"]]
        got = await _stories(http, id=",".join(wanted))
        assert [s["id"] for s in got] == wanted
        assert await _count(http, id=",".join(wanted)) == 2
        assert [s["id"] for s in await _stories(http, id=wanted[1])] == [wanted[1]]


async def test_tapd_order() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        by_created = await _stories(http, limit=200, order="created asc")
        assert [s["created"] for s in by_created] == sorted(s["created"] for s in by_created)
        desc = await _stories(http, limit=200, order="created desc")
        assert desc == by_created[::-1]
        id_desc = await _stories(http, limit=200, order="id desc")
        assert id_desc == await _stories(http, limit=200)
        id_asc = await _stories(http, limit=10, order="id asc")
        assert [int(s["id"]) for s in id_asc] == sorted(int(s["id"]) for s in id_desc)[:10]
        # Ordering and filters combine; the page is cut after ordering.
        page = await _stories(http, limit=5, page=2, order="created asc", status="planning")
        planning = [s for s in by_created if s["status"] == "planning"]
        assert page == planning[5:10]


async def test_tapd_fields_trim() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        trimmed = await _stories(http, limit=5, fields="id,name")
        full = await _stories(http, limit=5)
    assert [set(s) for s in trimmed] == [{"id", "name"}] * 5
    assert trimmed == [{"id": s["id"], "name": s["name"]} for s in full]


async def test_tapd_empty_spellings_in_data() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        everything = await _stories(http, limit=200)
    assert any(s["completed"] == "0000-00-00 00:00:00" for s in everything)
    assert any(s["description"] is None for s in everything)
    assert any(s["owner"] == "" for s in everything)
    assert any(s["owner"].endswith(";") for s in everything)
    assert any(s["owner"].startswith(";") for s in everything)
    assert any(s["description"] and s["description"].startswith("<p>") for s in everything)


async def test_tapd_unknown_path_says_hello_even_without_credentials() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        for headers in ({}, BASIC, {"Authorization": "Bearer nonsense"}):
            response = await http.get("/no/such/endpoint", headers=headers)
            assert response.status_code == 200
            body = response.json()
            assert body["status"] == 1
            assert isinstance(body["data"], str)
            assert body["data"].startswith("Hello world from TAPD API")


async def test_tapd_unknown_workspace() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        for path in ("/stories", "/stories/count", "/workspaces/relate_third_projects"):
            response = await http.get(
                path, params={"workspace_id": 1234, "third_type": "tgit"}, headers=BASIC
            )
            assert response.status_code == 404
            body = response.json()
            assert body["status"] == 404
            assert body["info"] == "workspace 1234 not existed"
            assert body["meta"]["request_id"]
        missing = await http.get("/stories", headers=BASIC)
        assert missing.status_code == 422
        assert missing.json()["status"] == 422


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic(TAPD_API_USER, "wrong-password"),
        basic("nobody", TAPD_API_PASSWORD),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": f"Token {TAPD_ACCESS_TOKEN}"},
    ],
)
async def test_tapd_unauthorized(headers: dict[str, str]) -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        response = await http.get("/stories", params={"workspace_id": WS}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Basic realm='TAPD API'"
    body = response.json()
    assert (body["status"], body["data"], body["info"]) == (401, "", "401 Unauthorized")
    assert isinstance(body["meta"]["request_id"], str)
    assert body["meta"]["request_id"]


async def test_tapd_request_ids_differ() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        first = (await http.get("/stories")).json()["meta"]["request_id"]
        second = (await http.get("/stories")).json()["meta"]["request_id"]
    assert first != second


async def test_tapd_bearer_tokens() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        params = {"workspace_id": WS}
        ok = await http.get(
            "/stories/count",
            params=params,
            headers={"Authorization": f"Bearer {TAPD_ACCESS_TOKEN}"},
        )
        assert ok.json()["data"] == {"count": 120}
        bad = await http.get(
            "/stories/count", params=params, headers={"Authorization": "Bearer expired-or-made-up"}
        )
    assert bad.status_code == 422
    assert bad.json()["status"] == 422
    assert bad.json()["info"] == "The access token provided is invalid"
    assert "www-authenticate" not in bad.headers


async def test_tapd_app_credentials_used_directly() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        response = await http.get(
            "/stories/count",
            params={"workspace_id": WS},
            headers=basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET),
        )
    assert response.json()["data"]["count"] == 120


async def test_tapd_request_token() -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock, token_lifetime=600)
    async with raw(fake, "http://tapd.test") as http:
        response = await http.post(
            "/tokens/request_token",
            data={"grant_type": "client_credentials"},
            headers=basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET),
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["info"]) == (1, "success")
        data = body["data"]
        assert data["token_type"] == "Bearer"
        assert data["expires_in"] == 600
        assert data["resource"]["type"] == "open_app_auth"
        token = data["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        params = {"workspace_id": WS}
        assert (await http.get("/stories/count", params=params, headers=bearer)).status_code == 200
        # A second token is a different one; both work.
        again = await http.post(
            "/tokens/request_token",
            content=b"grant_type=client_credentials",
            headers={
                **basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert again.json()["data"]["access_token"] != token
        clock.advance(600)
        expired = await http.get("/stories/count", params=params, headers=bearer)
        assert expired.status_code == 422
        assert expired.json()["info"] == "The access token provided is invalid"


@pytest.mark.parametrize(
    ("headers", "form", "status"),
    [
        (basic(TAPD_CLIENT_ID, "wrong"), {"grant_type": "client_credentials"}, 401),
        ({}, {"grant_type": "client_credentials"}, 401),
        (basic(TAPD_API_USER, TAPD_API_PASSWORD), {"grant_type": "client_credentials"}, 401),
        (basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET), {"grant_type": "password"}, 422),
        (basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET), {}, 422),
    ],
)
async def test_tapd_request_token_refusals(
    headers: dict[str, str], form: dict[str, str], status: int
) -> None:
    fake = FakeTAPD()
    async with raw(fake, "http://tapd.test") as http:
        response = await http.post("/tokens/request_token", data=form, headers=headers)
    assert response.status_code == status
    assert response.json()["status"] == status
    assert fake.issued_tokens == {}


async def test_tapd_request_token_for_an_authorization_code() -> None:
    # TAPD.md §1: the code from TAPD's authorization page, exchanged for a user token.
    fake = FakeTAPD()
    app = basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET)
    form = {"grant_type": "authorization_code", "code": TAPD_AUTH_CODE,
            "redirect_uri": "https://app.example/callback"}  # fmt: skip
    async with raw(fake, "http://tapd.test") as http:
        no_redirect = {k: v for k, v in form.items() if k != "redirect_uri"}
        refused = [
            await http.post("/tokens/request_token", data=no_redirect, headers=app),
            await http.post("/tokens/request_token", data={**form, "code": "x"}, headers=app),
        ]
        granted = await http.post("/tokens/request_token", data=form, headers=app)
        used = await http.post("/tokens/request_token", data=form, headers=app)
        user = {"Authorization": f"Bearer {granted.json()['data']['access_token']}"}
        info = await http.get("/users/info", headers=user)
        app_token = await http.post(
            "/tokens/request_token", data={"grant_type": "client_credentials"}, headers=app
        )
        as_app = {"Authorization": f"Bearer {app_token.json()['data']['access_token']}"}
        not_a_user = await http.get("/users/info", headers=as_app)
    assert [r.status_code for r in refused] == [422, 422]
    assert granted.status_code == 200
    assert granted.json()["data"]["token_type"] == "Bearer"
    assert granted.json()["data"]["resource"] == {"type": "user", "nick": "alice"}
    assert used.status_code == 422  # a code works once
    assert info.json()["data"]["nick"] == "alice"
    assert not_a_user.status_code == 422  # an app token is not a user's
    fake.reset()
    assert fake.auth_codes == {TAPD_AUTH_CODE}


async def test_tapd_members_of_a_company_id() -> None:
    # TAPD.md §4: /workspaces/users "accepts a company id too".
    async with raw(FakeTAPD(), "http://tapd.test") as http:
        company = await http.get(
            "/workspaces/users", params={"workspace_id": 20003271}, headers=BASIC
        )
        unknown = await http.get("/workspaces/users", params={"workspace_id": 999}, headers=BASIC)
    assert company.status_code == 200
    assert [m["UserWorkspace"]["user"] for m in company.json()["data"]]
    assert unknown.status_code == 404


async def test_tapd_server_rate_limit() -> None:
    clock = FakeClock()
    fake = FakeTAPD(rate_limit=(3, 60.0), clock=clock)
    params = {"workspace_id": WS}
    async with raw(fake, "http://tapd.test") as http:
        remaining = []
        for _ in range(3):
            response = await http.get("/stories/count", params=params, headers=BASIC)
            assert response.status_code == 200
            assert response.headers["x-ratelimit-limit"] == "3"
            remaining.append(response.headers["x-ratelimit-remaining"])
        assert remaining == ["2", "1", "0"]
        clock.advance(59)
        limited = await http.get("/stories/count", params=params, headers=BASIC)
        assert limited.status_code == 429
        assert limited.headers["x-ratelimit-limit"] == "3"
        assert limited.headers["x-ratelimit-remaining"] == "0"
        assert "retry-after" not in limited.headers
        body = limited.json()
        assert body["status"] == 429
        assert body["info"] == (
            f"To many requests, api account {TAPD_API_USER} max request rates is 3req/1min"
        )
        # The limit is per credential.
        other = await http.get(
            "/stories/count",
            params=params,
            headers={"Authorization": f"Bearer {TAPD_ACCESS_TOKEN}"},
        )
        assert other.status_code == 200
        clock.advance(1)
        again = await http.get("/stories/count", params=params, headers=BASIC)
        assert again.status_code == 200
        assert again.headers["x-ratelimit-remaining"] == "2"


async def test_tapd_rate_limit_retry_after_option() -> None:
    clock = FakeClock()
    fake = FakeTAPD(rate_limit=(1, 600.0), clock=clock, retry_after_on_429=True)
    async with raw(fake, "http://tapd.test") as http:
        assert (
            await http.get("/stories/count", params={"workspace_id": WS}, headers=BASIC)
        ).is_success
        clock.advance(100)
        limited = await http.get("/stories/count", params={"workspace_id": WS}, headers=BASIC)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "500"
    assert limited.json()["info"].endswith("max request rates is 1req/10min")


async def test_tapd_relate_third_projects() -> None:
    async with raw(FakeTAPD(), "http://tapd.test") as http:

        async def related(third_type: str, workspace_id: int = WS) -> list[dict[str, Any]]:
            response = await http.get(
                "/workspaces/relate_third_projects",
                params={"workspace_id": workspace_id, "third_type": third_type},
                headers=BASIC,
            )
            assert response.status_code == 200
            body = response.json()
            assert (body["status"], body["info"]) == (1, "success")
            assert isinstance(body["data"], list)
            return list(body["data"])

        for kind in ("zhiyan", "bk"):
            (item,) = await related(kind)
            assert set(item) == {"third_project_id", "mode"}
            assert isinstance(item["third_project_id"], int)
        assert await related("bk", 755) == []
        project, group, *links = await related("tgit")  # + the quality report's links
        assert [bool(item.get("is_group")) for item in links] == [False, False, True]
        assert len(await related("tgit", 755)) == 2  # the document's two items
        assert "is_group" not in project or project["is_group"] is False
        assert project["workspace_id"] == str(WS)
        assert {"git_project_id", "url_token", "path_with_namespace"} <= set(project)
        assert group["is_group"] is True
        assert {"group_id", "full_path", "full_name", "is_deleted"} <= set(group)
        assert isinstance(group["group_id"], str)
        (svn,) = await related("tsvn")
        assert svn["is_group"] is False
        for bad in ({"third_type": "gitlab"}, {}):
            response = await http.get(
                "/workspaces/relate_third_projects",
                params={"workspace_id": WS, **bad},
                headers=BASIC,
            )
            assert response.status_code == 422
            assert response.json()["status"] == 422
            assert "third_type" in response.json()["info"]


# == both: the control API ===============================================================


async def test_control_requests_log(tapd_target: Target) -> None:
    async with reach(tapd_target) as http:
        await http.get("/stories", params={"workspace_id": WS, "limit": 2}, headers=BASIC)
        await http.get(
            "/stories/count", params={"workspace_id": WS}, headers={"Authorization": "Bearer zz"}
        )
        await http.post("/tokens/request_token", data={"grant_type": "client_credentials"})
        await http.get("/__fake__/stats")  # control calls are not logged
        response = await http.get("/__fake__/requests")
    assert response.status_code == 200
    log = response.json()
    assert log["count"] == 3
    first, second, third = log["requests"]
    assert first == {
        "method": "GET",
        "path": "/stories",
        "query": [["workspace_id", str(WS)], ["limit", "2"]],
        "auth_scheme": "Basic",
        "body_size": 0,
    }
    assert (second["path"], second["auth_scheme"]) == ("/stories/count", "Bearer")
    assert (third["method"], third["auth_scheme"]) == ("POST", None)
    assert third["body_size"] == len(b"grant_type=client_credentials")
    assert await tapd_target.control.requests() == log["requests"]


async def test_control_stats_and_reset(tca_target: Target) -> None:
    async with reach(tca_target) as http:
        for _ in range(3):
            await http.get(REPOS, headers=TOKEN)
        stats = (await http.get("/__fake__/stats")).json()
        assert stats == {"requests": 3, "in_flight": 0, "max_in_flight": 1, "pending_faults": 0}
        await tca_target.control.add_faults(Fault.http(503, times=4))
        assert (await tca_target.control.stats())["pending_faults"] == 4
        reset = await http.post("/__fake__/reset")
        assert reset.json() == {"ok": True}
        assert await tca_target.control.stats() == {
            "requests": 0,
            "in_flight": 0,
            "max_in_flight": 0,
            "pending_faults": 0,
        }
        assert (await http.get(REPOS, headers=TOKEN)).status_code == 200


async def test_control_max_in_flight() -> None:
    fake = FakeTAPD()
    release = anyio.Event()
    arrived = 0

    async def block(request: Request) -> Response:
        nonlocal arrived
        arrived += 1
        if arrived == 3:
            release.set()
        await release.wait()
        return json_response({"status": 1, "data": "ok", "info": "success"})

    fake.router.add("GET", "/blocking", block)
    async with raw(fake, "http://tapd.test") as http:
        statuses: list[int] = []

        async def call() -> None:
            statuses.append((await http.get("/blocking", headers=BASIC)).status_code)

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for _ in range(3):
                    tg.start_soon(call)
        stats = (await http.get("/__fake__/stats")).json()
    assert statuses == [200, 200, 200]
    assert stats["max_in_flight"] == 3
    assert stats["in_flight"] == 0
    assert stats["requests"] == 3


async def test_control_faults(tca_target: Target) -> None:
    async with reach(tca_target) as http:
        faults = [
            Fault.http(503, retry_after=7, path=r"/repos/\d+/$").to_json(),
            Fault.html(502, method="GET", times=2).to_json(),
        ]
        added = await http.post("/__fake__/faults", json=faults)
        assert added.json() == {"pending_faults": 3}
        listed = await http.get(REPOS, headers=TOKEN)
        assert listed.status_code == 502
        assert listed.headers["content-type"] == "text/html; charset=utf-8"
        assert "<title>502 Bad Gateway</title>" in listed.text
        one = await http.get(f"{REPOS}3/", headers=TOKEN)
        assert one.status_code == 503
        assert one.headers["retry-after"] == "7"
        assert one.json() == {"status_code": 503, "code": 1000, "msg": "服务暂不可用。"}
        again = await http.get(f"{REPOS}3/", headers=TOKEN)
        assert again.status_code == 502
        assert (await http.get(f"{REPOS}3/", headers=TOKEN)).status_code == 200
        stats = (await http.get("/__fake__/stats")).json()
        assert stats["pending_faults"] == 0
        assert stats["requests"] == 4  # faulted requests are logged too

        refused = await http.post("/__fake__/faults", json=[{"status": 500, "color": "red"}])
        assert refused.status_code == 400
        assert "color" in refused.json()["error"]
        zero = await http.post("/__fake__/faults", json=[{"status": 500, "times": 0}])
        assert zero.status_code == 400
        unknown = await http.get("/__fake__/nothing")
        assert unknown.status_code == 404
        assert "unknown control call" in unknown.json()["error"]


async def test_fault_body_truncate_and_drop() -> None:
    fake = FakeTAPD()
    fake.faults.add(
        Fault(status=500, body="oops", content_type="text/plain", headers={"X-Why": "test"}),
        Fault.truncated(path="^/stories$"),
        Fault.reset(path="^/stories$"),
    )
    async with raw(fake, "http://tapd.test") as http:
        custom = await http.get("/stories", params={"workspace_id": WS}, headers=BASIC)
        assert (custom.status_code, custom.text) == (500, "oops")
        assert custom.headers["content-type"] == "text/plain"
        assert custom.headers["x-why"] == "test"
        cut = await http.get("/stories", params={"workspace_id": WS}, headers=BASIC)
        assert cut.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            json.loads(cut.content)
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/stories", params={"workspace_id": WS}, headers=BASIC)
        full = await _stories(http)  # every fault used up
    assert len(full) == 30
    assert fake.faults.pending == 0


async def test_control_config(tapd_target: Target) -> None:
    async with reach(tapd_target) as http:
        set_limit = await http.post("/__fake__/config", json={"rate_limit": [2, 60], "latency": 0})
        assert set_limit.json() == {"ok": True}
        params = {"workspace_id": WS}
        codes = [
            (await http.get("/stories/count", params=params, headers=BASIC)).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        await tapd_target.control.configure(rate_limit=None)
        response = await http.get("/stories/count", params=params, headers=BASIC)
        assert response.status_code == 200
        # No limit enforced any more: the headers describe TAPD's own again.
        assert response.headers["x-ratelimit-limit"] == "10000"
        bad = await http.post("/__fake__/config", json={"speed": "fast"})
        assert bad.status_code == 400
        assert "speed" in bad.json()["error"]


async def test_control_config_ticket_window() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock)
    headers = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=clock.time).headers()
    async with raw(fake, "http://tca.test") as http:
        assert (await http.post("/__fake__/config", json={"ticket_window": 5})).status_code == 200
        clock.advance(6)
        assert (await http.get(REPOS, headers=headers)).json()["code"] == "-3"
        bad = await http.post("/__fake__/config", json={"ticket_windw": 5})
        assert bad.status_code == 400
    assert fake.ticket_window == 5.0


async def test_reset_forgets_windows_and_tokens() -> None:
    clock = FakeClock()
    fake = FakeTAPD(rate_limit=(1, 60.0), clock=clock)
    async with raw(fake, "http://tapd.test") as http:
        token = (
            await http.post(
                "/tokens/request_token",
                data={"grant_type": "client_credentials"},
                headers=basic(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET),
            )
        ).json()["data"]["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        params = {"workspace_id": WS}
        assert (await http.get("/stories/count", params=params, headers=bearer)).status_code == 200
        assert (await http.get("/stories/count", params=params, headers=bearer)).status_code == 429
        fake.stories[WS].clear()  # a change to the data
        await http.post("/__fake__/reset")
        forgotten = await http.get("/stories/count", params=params, headers=bearer)
        assert forgotten.status_code == 422  # issued tokens are forgotten
        assert (await http.get("/stories/count", params=params, headers=BASIC)).json()["data"] == {
            "count": 120
        }
    assert fake.rate_limit == (1, 60.0)  # settings survive a reset


# == Fault and FaultPlan =================================================================

FAULTS = [
    Fault(),
    Fault.http(429, retry_after=2.5),
    Fault.http(503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT", headers={"X-A": "b"}),
    Fault.html(401, method="GET", path=r"^/server/analysis/"),
    Fault.html(418),
    Fault.reset(times=3),
    Fault.truncated(method="POST"),
    Fault.slow(1.5, path="stories"),
    Fault(status=500, body="<h1>x</h1>", content_type="text/html", delay=0.25, times=9),
]


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_json_round_trip(fault: Fault) -> None:
    data = fault.to_json()
    text = json.dumps(data)
    assert Fault.from_json(json.loads(text)) == fault
    assert set(data) == {
        "status", "body", "content_type", "headers", "delay", "drop", "truncate", "times",
        "method", "path",
    }  # fmt: skip


def test_fault_constructors() -> None:
    assert Fault.http(429, retry_after=3).headers == {"Retry-After": "3"}
    assert Fault.reset().drop
    assert Fault.truncated().truncate
    assert Fault.slow(2).delay == 2
    page = Fault.html(403)
    assert page.content_type == "text/html; charset=utf-8"  # as the captured nginx pages
    assert Fault.html(502, content_type="text/html").content_type == "text/html"
    assert page.body is not None
    assert "<title>403 Forbidden</title>" in page.body


def test_fault_from_json_refuses_unknown_keys() -> None:
    with pytest.raises(ValueError, match="retry"):
        Fault.from_json({"status": 429, "retry": 3})
    assert Fault.from_json({}) == Fault()


def test_fault_plan_consumption() -> None:
    plan = FaultPlan()
    by_path = Fault.http(500, path=r"/repos/\d+/$", times=2)
    by_method = Fault.http(502, method="post")
    anything = Fault.http(503)
    plan.add(by_path, by_method, anything)
    assert plan.pending == 4
    assert plan.take("GET", "/x/repos/") is anything  # first match in order wins
    assert plan.take("GET", "/x/repos/") is None
    assert plan.take("GET", "/x/repos/12/") is by_path
    assert plan.take("POST", "/x/repos/12/") is by_path
    assert plan.pending == 1
    assert plan.take("GET", "/x/repos/12/") is None
    assert plan.take("POST", "/anything") is by_method
    assert plan.pending == 0
    plan.add(Fault(times=5))
    plan.clear()
    assert plan.pending == 0
    assert plan.take("GET", "/") is None
    with pytest.raises(ValueError, match="times"):
        plan.add(Fault(times=0))


def test_fault_matches() -> None:
    fault = Fault(method="GET", path="^/stories")
    assert fault.matches("get", "/stories/count")
    assert not fault.matches("POST", "/stories")
    assert not fault.matches("GET", "/workspaces/stories")
    assert Fault().matches("DELETE", "/")


async def test_control_client_round_trips_faults(tapd_target: Target) -> None:
    pending = await tapd_target.control.add_faults(
        Fault.http(429, retry_after=1, path="count", times=2), Fault.html(502, method="POST")
    )
    assert pending == 3
    async with reach(tapd_target) as http:
        limited = await http.get("/stories/count", params={"workspace_id": WS}, headers=BASIC)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "1"
        assert limited.json()["status"] == 429
        listed = await http.get("/stories", params={"workspace_id": WS}, headers=BASIC)
        assert listed.status_code == 200
    assert (await tapd_target.control.stats())["pending_faults"] == 2


# == serving on sockets ==================================================================


def test_server_process() -> None:
    server = ServerProcess("tapd", {"stories": 5, "rate_limit": [100, 60]})
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=server.url, timeout=30) as http:
            response = http.get("/stories/count", params={"workspace_id": WS}, headers=BASIC)
            assert response.json()["data"] == {"count": 5}
            assert response.headers["x-ratelimit-limit"] == "100"
            assert (
                len(
                    http.get("/stories", params={"workspace_id": 755}, headers=BASIC).json()["data"]
                )
                == 5
            )
        process = server._process
        assert process is not None
        assert process.poll() is None
    assert process.poll() is not None
    with pytest.raises(httpx.ConnectError), httpx.Client(timeout=5) as http:
        http.get(f"{server.url}/stories")


def test_server_process_refuses_unknown_apis() -> None:
    with pytest.raises(ValueError, match="tca"):
        ServerProcess("jira")


def test_serve_in_thread() -> None:
    fake = FakeTCA()
    with serve_in_thread(fake) as url, httpx.Client(base_url=url, timeout=30) as http:
        assert url.startswith("http://127.0.0.1:")
        response = http.get(f"{REPOS}7/", headers=TOKEN)
        assert response.json()["data"]["id"] == 7
        page = http.get(REPOS, headers=TOKEN).json()["data"]
        assert page["next"].startswith(f"{url}{REPOS}")
        # The app object is shared with the test.
        assert [r.path for r in fake.requests] == [f"{REPOS}7/", REPOS]
    with pytest.raises(httpx.ConnectError), httpx.Client(timeout=5) as http:
        http.get(f"{url}{REPOS}")


async def test_reset_restores_the_settings_the_fake_was_built_with() -> None:
    fake = FakeTCA(latency=0.0, rate_limit=(100, 60.0), ticket_window=30.0)
    async with FakeControl("http://tca.test", transport=fake.asgi_transport()) as control:
        await control.configure(latency=0.5, rate_limit=None, ticket_window=5)
        assert (fake.latency, fake.rate_limit, fake.ticket_window) == (0.5, None, 5.0)
        await control.reset()
    assert (fake.latency, fake.rate_limit, fake.ticket_window) == (0.0, (100, 60.0), 30.0)


async def test_a_request_in_flight_across_a_reset_does_not_touch_the_new_data() -> None:
    # A client that gave up on a slow create must not find the repository registered
    # in the next test's fresh data set (this raced in the loopback fault matrix).
    fake = FakeTCA()
    body = {"scm_url": "https://git.example.com/late/arrival.git", "scm_type": "git"}
    fake.faults.add(Fault.slow(0.2, method="POST", path=REPOS))
    statuses: list[int] = []
    async with raw(fake) as http:

        async def create() -> None:
            statuses.append((await http.post(REPOS, json=body, headers=TOKEN)).status_code)

        async with anyio.create_task_group() as tg:
            tg.start_soon(create)
            await anyio.wait_all_tasks_blocked()
            assert fake.in_flight == 1
            fake.reset()
        listed = (await http.get(REPOS, params={"limit": 100}, headers=TOKEN)).json()
    assert statuses == [503]
    urls = [r["scm_url"] for r in listed["data"]["results"]]
    assert body["scm_url"] not in urls
    # Without the reset, the same create goes through.
    async with raw(fake) as http:
        assert (await http.post(REPOS, json=body, headers=TOKEN)).status_code == 201


async def test_latency_counts_from_arrival_not_from_the_turn_at_the_cpu() -> None:
    # Requests that arrive together are all stamped before any is worked on: a real
    # server works on them side by side, so none answers later for the others' work.
    class Watched(FakeTCA):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.in_flight_at_work: list[int] = []

        def authenticate(self, request: Any) -> Any:  # the first step of the work
            self.in_flight_at_work.append(self.in_flight)
            return super().authenticate(request)

    fake = Watched(latency=0.01)
    async with raw(fake) as http, anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(functools.partial(http.get, REPOS, headers=TOKEN))
    assert fake.in_flight_at_work == [5, 5, 5, 5, 5]
    # Without latency there is nothing to count from: each request is worked on at once.
    fake = Watched(latency=0.0)
    async with raw(fake) as http, anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(functools.partial(http.get, REPOS, headers=TOKEN))
    assert fake.in_flight_at_work == [1, 1, 1, 1, 1]


async def test_latency_counts_from_arrival_and_includes_the_work() -> None:
    # The answer waits out the latency after the work, so concurrent requests do not
    # queue for the CPU on top of it: the write is done while the answer still waits.
    fake = FakeTCA(latency=30.0)
    body = {"scm_url": "https://git.example.com/slow/answer.git", "scm_type": "git"}
    async with raw(fake) as http, anyio.create_task_group() as tg:
        tg.start_soon(functools.partial(http.post, REPOS, json=body, headers=TOKEN))
        await anyio.wait_all_tasks_blocked()
        assert fake.in_flight == 1
        fake.latency = 0.0
        listed = (await http.get(REPOS, params={"limit": 100}, headers=TOKEN)).json()
        # (stored in the server's form: http, no .git)
        stored = "http://git.example.com/slow/answer"
        assert stored in [r["scm_url"] for r in listed["data"]["results"]]
        assert fake.in_flight == 1  # the create is still waiting to answer
        tg.cancel_scope.cancel()
