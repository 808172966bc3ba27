"""examples/fastapi_app.py driven against the fake servers.

In-process: the application's lifespan runs through the ASGI lifespan protocol (as
uvicorn runs it), requests go through httpx's ASGITransport, and the SDK clients reach
in-process fakes. Over loopback: the fakes listen on real sockets and the application
configures its clients from environment variables, as in production; once more with the
application itself served by uvicorn. Every response is checked for credentials.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import anyio
import httpx
import pytest

from examples import fastapi_app
from examples.fastapi_app import create_app, error_response, tapd_from_env, tca_from_env
from tca_tapd import (
    APIError,
    AuthenticationError,
    ClientClosedError,
    ConnectError,
    DecodeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    StructureError,
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClient,
    TAPDClientCredentialsAuth,
    TCAClient,
    TCATicketAuth,
    TCATokenAuth,
    ValidationError,
)
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TAPD_CLIENT_ID,
    TAPD_CLIENT_SECRET,
    TCA_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeTAPD,
    FakeTCA,
    Fault,
    serve_in_thread,
)

WS = 10104801
ORG, TEAM = "hellotca", "demo"
SECRETS = (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TAPD_CLIENT_SECRET,
    TCA_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
    "wrong-secret-token",
)
ENV_NAMES = (
    "TCA_BASE_URL", "TCA_API_TOKEN", "TCA_USER_ID", "TCA_TOKEN", "TAPD_API_BASE_URL",
    "TAPD_ACCESS_TOKEN", "TAPD_API_USER", "TAPD_API_PASSWORD", "TAPD_CLIENT_ID",
    "TAPD_CLIENT_SECRET", "TAPD_RATE_LIMIT",
)  # fmt: skip

Row = dict[str, Any]


# -- helpers ---------------------------------------------------------------------------


def assert_no_secret(response: httpx.Response) -> None:
    """No credential in the status line's body or headers of an answer of the app."""
    shown = response.text + json.dumps(dict(response.headers))
    for secret in SECRETS:
        assert secret not in shown, f"{secret!r} leaked in {response.request.url}"


async def _check_response(response: httpx.Response) -> None:
    await response.aread()
    assert_no_secret(response)


@asynccontextmanager
async def running(
    app: Any, *, raise_app_exceptions: bool = True
) -> AsyncIterator[httpx.AsyncClient]:
    """Run ``app``'s lifespan through the ASGI lifespan protocol, as a server does, and
    yield an httpx client sending requests to it in-process, with the lifespan state
    copied into each request's scope (as uvicorn does). Shuts the app down on exit.
    ``raise_app_exceptions=False`` shows an unhandled exception as the 500 answer a
    server sends instead of raising it."""
    state: dict[str, Any] = {}
    to_app, app_inbox = anyio.create_memory_object_stream[dict[str, Any]](4)
    app_outbox, from_app = anyio.create_memory_object_stream[dict[str, Any]](4)
    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}}

    async def lifespan() -> None:
        await app({**scope, "state": state}, app_inbox.receive, app_outbox.send)

    async def with_state(scope: Any, receive: Any, send: Any) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    async with to_app, app_inbox, app_outbox, from_app, anyio.create_task_group() as tg:
        tg.start_soon(lifespan)
        await to_app.send({"type": "lifespan.startup"})
        started = await from_app.receive()
        assert started["type"] == "lifespan.startup.complete", started
        try:
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(
                    app=with_state, raise_app_exceptions=raise_app_exceptions
                ),
                base_url="http://app.test",
                event_hooks={"response": [_check_response]},
            ) as client:
                yield client
        finally:
            await to_app.send({"type": "lifespan.shutdown"})
            stopped = await from_app.receive()
            assert stopped["type"] == "lifespan.shutdown.complete", stopped


class Factories:
    """Client factories for create_app that point the clients at in-process fakes and
    remember every client they made."""

    def __init__(self, tca: FakeTCA, tapd: FakeTAPD, **tapd_options: Any) -> None:
        self.tca_fake = tca
        self.tapd_fake = tapd
        self.tapd_options = {"rate_limit": None, **tapd_options}
        self.tca_made: list[TCAClient] = []
        self.tapd_made: list[TAPDClient] = []

    def tca(self) -> TCAClient:
        client = TCAClient(
            "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=self.tca_fake.asgi_transport()
        )
        self.tca_made.append(client)
        return client

    def tapd(self) -> TAPDClient:
        options = {"auth": TAPDBearerAuth(TAPD_ACCESS_TOKEN), **self.tapd_options}
        client = TAPDClient(
            base_url="http://tapd.test", transport=self.tapd_fake.asgi_transport(), **options
        )
        self.tapd_made.append(client)
        return client

    def app(self) -> Any:
        return create_app(tca=self.tca, tapd=self.tapd)


@pytest.fixture
def fakes() -> Factories:
    return Factories(FakeTCA(), FakeTAPD())


def _people(row: Row, name: str) -> set[str]:
    return {p for p in (row.get(name) or "").split(";") if p}


def _newest_first(rows: list[Row]) -> list[str]:
    return [r["id"] for r in sorted(rows, key=lambda r: int(r["id"]), reverse=True)]


def expected_stories(
    fake: FakeTAPD,
    *,
    statuses: set[str] | None = None,
    owner: str | None = None,
    iteration_id: str | None = None,
    modified_since: date | None = None,
) -> list[str]:
    """The ids of the fake's stories of WS matching, newest first, computed here."""
    rows = [
        r
        for r in fake.stories[WS]
        if (statuses is None or r["status"] in statuses)
        and (owner is None or owner in _people(r, "owner"))
        and (iteration_id is None or r["iteration_id"] == iteration_id)
        and (modified_since is None or r["modified"][:10] >= modified_since.isoformat())
    ]
    return _newest_first(rows)


def two_statuses(fake: FakeTAPD) -> set[str]:
    return set(sorted({r["status"] for r in fake.stories[WS]})[:2])


# -- in-process ------------------------------------------------------------------------


async def test_stories_match_the_fake(fakes: Factories) -> None:
    fake = fakes.tapd_fake
    statuses = two_statuses(fake)
    status_query = "&".join(f"status={s}" for s in sorted(statuses))
    async with running(fakes.app()) as app:
        by_status = await app.get(f"/workspaces/{WS}/stories?{status_query}&limit=1000")
        by_owner = await app.get(f"/workspaces/{WS}/stories", params={"owner": "alice"})
        unplanned = await app.get(f"/workspaces/{WS}/stories?iteration_id=0&limit=1000")
        recent = await app.get(f"/workspaces/{WS}/stories?modified_since=2025-07-10&limit=1000")
        first_7 = await app.get(f"/workspaces/{WS}/stories?limit=7")
        counted = await app.get(f"/workspaces/{WS}/stories/count?{status_query}")
        everything = await app.get(f"/workspaces/{WS}/stories/count")
    wanted = expected_stories(fake, statuses=statuses)
    assert 0 < len(wanted) < len(fake.stories[WS])
    assert by_status.status_code == 200
    assert [s["id"] for s in by_status.json()] == wanted
    assert all(s["status"] in statuses for s in by_status.json())
    rows = {r["id"]: r for r in fake.stories[WS]}
    first = by_status.json()[0]
    assert first["name"] == rows[first["id"]]["name"]
    assert first["owners"] == [p for p in rows[first["id"]]["owner"].split(";") if p]
    alice = expected_stories(fake, owner="alice")
    assert 0 < len(alice) < len(fake.stories[WS])
    assert [s["id"] for s in by_owner.json()] == alice[:50]  # the default limit
    assert all("alice" in s["owners"] for s in by_owner.json())
    assert [s["id"] for s in unplanned.json()] == expected_stories(fake, iteration_id="0")
    assert {s["iteration_id"] for s in unplanned.json()} == {None}  # "0" means no iteration
    assert [s["id"] for s in recent.json()] == expected_stories(
        fake, modified_since=date(2025, 7, 10)
    )
    assert [s["id"] for s in first_7.json()] == expected_stories(fake)[:7]
    assert counted.json() == {"count": len(wanted)}
    assert everything.json() == {"count": len(fake.stories[WS])}


async def test_one_story_and_repos(fakes: Factories) -> None:
    story = fakes.tapd_fake.stories[WS][3]
    repos = fakes.tca_fake.repos
    async with running(fakes.app()) as app:
        got = await app.get(f"/workspaces/{WS}/stories/{story['id']}")
        all_repos = await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=1000")
        found = await app.get(f"/tca/{ORG}/{TEAM}/repos", params={"search": "service-01"})
        three = await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=3")
        one = await app.get(f"/tca/{ORG}/{TEAM}/repos/{repos[4]['id']}")
    assert got.status_code == 200
    assert (got.json()["id"], got.json()["name"]) == (story["id"], story["name"])
    assert sorted(r["id"] for r in all_repos.json()) == sorted(r["id"] for r in repos)
    wanted = {r["id"] for r in repos if "service-01" in r["name"] or "service-01" in r["scm_url"]}
    assert 0 < len(wanted) < len(repos)
    assert {r["id"] for r in found.json()} == wanted
    assert len(three.json()) == 3
    assert one.json()["name"] == repos[4]["name"]
    assert one.json()["scm_url"] == repos[4]["scm_url"]


async def test_repo_urls_never_show_credentials(fakes: Factories) -> None:
    url = "https://deploy-bot:s3cret-Passw0rd@git.example.com/group1/private-svc.git?x=1"
    async with fakes.tca() as tca:
        created = await tca.repos.create(ORG, TEAM, url)
    # TCA stores scm_url without the credentials but keeps them in the ssh_url it
    # derives (as the fake does); plant them in scm_url too, so that the app is shown
    # to redact whatever URL it gets.
    assert "s3cret-Passw0rd" in (created.ssh_url or "")
    assert "s3cret-Passw0rd" not in created.scm_url
    fakes.tca_fake.data.repo(created.id)["scm_url"] = url  # type: ignore[index]
    async with running(fakes.app()) as app:
        listed = await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=1000")
        one = await app.get(f"/tca/{ORG}/{TEAM}/repos/{created.id}")
    assert (listed.status_code, one.status_code) == (200, 200)
    shown = [r for r in listed.json() if r["id"] == created.id] + [one.json()]
    assert [r["scm_url"] for r in shown] == [
        "https://git.example.com/group1/private-svc.git?x=1"
    ] * 2
    for response in (listed, one):
        assert "s3cret-Passw0rd" not in response.text
        assert "deploy-bot" not in response.text


async def test_a_repo_without_a_name_is_listed(fakes: Factories) -> None:
    # TCA's schema has a repository's name nullable (the SDK's Repo.name is
    # ``str | None``): bad or odd upstream data is not the caller's fault (no 400).
    repo_id = fakes.tca_fake.repos[0]["id"]
    fakes.tca_fake.data.repo(repo_id)["name"] = None  # type: ignore[index]
    async with running(fakes.app()) as app:
        one = await app.get(f"/tca/{ORG}/{TEAM}/repos/{repo_id}")
        listed = await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=1000")
    assert (one.status_code, listed.status_code) == (200, 200), one.text
    assert one.json()["name"] is None
    assert [r["name"] for r in listed.json() if r["id"] == repo_id] == [None]


async def test_scp_like_repo_urls_never_show_credentials(fakes: Factories) -> None:
    # user:password@host:path, the scp-like spelling redact_repo_url exists for
    repo_id = fakes.tca_fake.repos[1]["id"]
    url = "deploy-bot:s3cret-Passw0rd@git.example.com:group1/private-svc.git"
    fakes.tca_fake.data.repo(repo_id)["scm_url"] = url  # type: ignore[index]
    async with running(fakes.app()) as app:
        one = await app.get(f"/tca/{ORG}/{TEAM}/repos/{repo_id}")
    assert one.status_code == 200
    assert "s3cret-Passw0rd" not in one.text
    assert one.json()["scm_url"].endswith("@git.example.com:group1/private-svc.git")


async def test_only_the_sdks_own_value_errors_are_a_400(fakes: Factories) -> None:
    # A ValueError that is not an SDK argument check (pydantic's ValidationError is
    # one, json's JSONDecodeError another) is the service's own fault: a plain 500,
    # logged by the server, not a 400 blaming the caller with the internals in it.
    app = fakes.app()

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("internal detail: /srv/app/config.toml line 3")

    @app.get("/bad-model")
    async def bad_model() -> None:
        fastapi_app.CountOut(count="internal detail")  # type: ignore[arg-type]

    async with running(app, raise_app_exceptions=False) as client:
        answers = [await client.get("/boom"), await client.get("/bad-model")]
        sdk_check = await client.get(f"/workspaces/{WS}/stories", params={"status": "a|b"})
    for answer in answers:
        assert answer.status_code == 500, answer.text
        assert "internal detail" not in answer.text
    assert sdk_check.status_code == 400  # the SDK's own check still is


async def test_export_streams_every_matching_story(fakes: Factories) -> None:
    statuses = two_statuses(fakes.tapd_fake)
    params = {"status": sorted(statuses)}
    async with running(fakes.app()) as app:
        answer = await app.get(f"/workspaces/{WS}/stories/export", params=params)
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    wanted = expected_stories(fakes.tapd_fake, statuses=statuses)
    assert answer.headers["x-total-count"] == str(len(wanted))
    assert [line["id"] for line in lines] == wanted


async def test_export_failure_mid_stream_ends_with_an_error_line() -> None:
    # 1000 stories are 5 pages of 200; the fake refuses every request after the sixth
    # (429), so the export's count, the pager's own count and the first batch of 4 pages
    # go through, and the fifth page fails after 800 stories are on their way.
    fakes = Factories(FakeTCA(), FakeTAPD(stories=1000, rate_limit=(6, 3600.0)))
    fakes.tapd_options["retry"] = RetryPolicy.never()
    async with running(fakes.app()) as app:
        answer = await app.get(f"/workspaces/{WS}/stories/export")
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert answer.status_code == 200  # sent before the failure came
    assert answer.headers["x-total-count"] == "1000"
    streamed = [line["id"] for line in lines[:-1]]
    assert 0 < len(streamed) < 1000
    assert streamed == expected_stories(fakes.tapd_fake)[: len(streamed)]
    assert lines[-1] == {
        "error": {
            "status": 503,
            "detail": "the upstream API's rate limit is reached; retry later",
            "upstream_request_id": lines[-1]["error"]["upstream_request_id"],
        }
    }


async def test_error_mapping_end_to_end(fakes: Factories) -> None:
    async with running(fakes.app()) as app:
        no_workspace = await app.get("/workspaces/999/stories")
        no_workspace_count = await app.get("/workspaces/999/stories/count")
        no_workspace_export = await app.get("/workspaces/999/stories/export")
        no_story = await app.get(f"/workspaces/{WS}/stories/1")
        no_repo = await app.get(f"/tca/{ORG}/{TEAM}/repos/99999")
        no_team = await app.get(f"/tca/{ORG}/nobody/repos")
        bad_filter = await app.get(f"/workspaces/{WS}/stories", params={"status": "a|b"})
        bad_limit = await app.get(f"/workspaces/{WS}/stories?limit=0")
    for answer in (no_workspace, no_workspace_count, no_workspace_export, no_story, no_repo):
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"].startswith("not found: ")
    assert "999" in no_workspace.json()["detail"]
    assert no_team.status_code in (403, 404)  # the fake answers as TCA's permission check does
    assert bad_filter.status_code == 400  # the SDK refuses the operand before sending
    assert "|" in bad_filter.json()["detail"]
    assert bad_limit.status_code == 422  # FastAPI's own validation
    asked = [dict(r.query).get("workspace_id") for r in fakes.tapd_fake.requests]
    assert asked.count("999") == 3
    assert len(asked) == 4  # and the story lookup: bad_filter and bad_limit never reached TAPD


@pytest.mark.parametrize(
    ("fault", "status", "detail"),
    [
        (Fault.http(401), 502, "the upstream API refused this service's credentials"),
        (Fault.http(403), 403, "this service is not allowed to see that"),
        (Fault.http(422), 422, "refused by the upstream API: 422 Unprocessable Entity"),
        (Fault.http(429, times=10), 503, "the upstream API's rate limit is reached; retry later"),
        (Fault.http(500, times=10), 502, "the upstream API failed"),
        (Fault.truncated(times=10), 502, "the upstream API failed"),
    ],
)
async def test_upstream_faults_map_to_http(
    fakes: Factories, fault: Fault, status: int, detail: str
) -> None:
    fakes.tapd_options["retry"] = RetryPolicy.never()
    fakes.tapd_fake.faults.add(fault)
    async with running(fakes.app()) as app:
        answer = await app.get(f"/workspaces/{WS}/stories/count")
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"] == detail


@pytest.mark.parametrize(
    "auth",
    [TAPDBearerAuth("wrong-secret-token"), TAPDBasicAuth(TAPD_API_USER, "wrong-secret-token")],
)
async def test_refused_credentials_are_a_bad_gateway(
    fakes: Factories, auth: TAPDBearerAuth | TAPDBasicAuth
) -> None:
    fakes.tapd_options["auth"] = auth
    async with running(fakes.app()) as app:
        answer = await app.get(f"/workspaces/{WS}/stories")
    assert answer.status_code == 502
    assert answer.json()["detail"] == "the upstream API refused this service's credentials"
    assert "upstream_request_id" in answer.json()  # TAPD sends one with its errors


async def test_clients_opened_once_and_closed_at_shutdown(fakes: Factories) -> None:
    async with running(fakes.app()) as app:
        assert (len(fakes.tca_made), len(fakes.tapd_made)) == (1, 1)
        for _ in range(3):
            assert (await app.get(f"/workspaces/{WS}/stories/count")).status_code == 200
            assert (await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=1")).status_code == 200
        assert (await app.get("/health")).json() == {"tca": True, "tapd": True}
        assert (len(fakes.tca_made), len(fakes.tapd_made)) == (1, 1)
        tca, tapd = fakes.tca_made[0], fakes.tapd_made[0]
        assert (tca.transport.closed, tapd.transport.closed) == (False, False)
    assert (tca.transport.closed, tapd.transport.closed) == (True, True)
    with pytest.raises(ClientClosedError):
        await tapd.stories.count(WS)
    with pytest.raises(ClientClosedError):
        await tca.repos.list(ORG, TEAM).collect()
    # a second start of the same app makes fresh clients
    app_again = fakes.app()
    async with running(app_again) as app:
        assert (await app.get(f"/workspaces/{WS}/stories/count")).status_code == 200
    assert len(fakes.tapd_made) == 2


async def test_an_api_left_out_answers_503(fakes: Factories) -> None:
    async with running(create_app(tca=lambda: None, tapd=fakes.tapd)) as app:
        health = await app.get("/health")
        repos = await app.get(f"/tca/{ORG}/{TEAM}/repos")
        stories = await app.get(f"/workspaces/{WS}/stories/count")
    assert health.json() == {"tca": False, "tapd": True}
    assert repos.status_code == 503
    assert repos.json() == {"detail": "TCA is not configured on this service"}
    assert stories.status_code == 200


async def test_startup_fails_without_any_api_and_closes_what_it_opened(
    fakes: Factories,
) -> None:
    app = create_app(tca=lambda: None, tapd=lambda: None)
    with pytest.raises(RuntimeError, match="neither TCA nor TAPD is configured"):
        async with app.router.lifespan_context(app):
            pass

    def broken() -> TAPDClient:
        raise ValueError("TAPD_RATE_LIMIT must be '<requests>/<seconds>' or 'off'")

    app = create_app(tca=fakes.tca, tapd=broken)
    with pytest.raises(ValueError, match="TAPD_RATE_LIMIT"):
        async with app.router.lifespan_context(app):
            pass
    assert fakes.tca_made[0].transport.closed


def _api_error(cls: type[APIError], **kw: Any) -> APIError:
    return cls("message from upstream", status_code=kw.pop("status_code", 400), **kw)


@pytest.mark.parametrize(
    ("exc", "status", "detail"),
    [
        (_api_error(NotFoundError, status_code=404), 404, "not found: message from upstream"),
        (_api_error(ValidationError), 422, "refused by the upstream API: message from upstream"),
        (_api_error(PermissionDeniedError), 403, "this service is not allowed to see that"),
        (_api_error(AuthenticationError), 502,
         "the upstream API refused this service's credentials"),
        (_api_error(RateLimitError), 503, "the upstream API's rate limit is reached; retry later"),
        (_api_error(ServerError, status_code=500), 502, "the upstream API failed"),
        (_api_error(APIError, status_code=418), 502, "the upstream API failed"),
        (RequestTimeoutError("timed out"), 504, "the upstream API did not answer in time"),
        (ClientClosedError("closed"), 503, "the service is shutting down"),
        (ConnectError("refused"), 502, "the upstream API failed"),
        (DecodeError("not JSON", body=b"<html>"), 502, "the upstream API failed"),
        (StructureError(model="Story", path="$.id", value=None, reason="x"), 502,
         "the upstream API failed"),
    ],
)  # fmt: skip
def test_error_table(exc: Exception, status: int, detail: str) -> None:
    answer = error_response(exc)  # type: ignore[arg-type]
    assert answer.status_code == status
    assert json.loads(bytes(answer.body)) == {"detail": detail}


def test_retry_after_and_request_id_are_passed_on() -> None:
    exc = RateLimitError("slow down", status_code=429, retry_after=2.5, request_id="req-1")
    answer = error_response(exc)
    assert answer.headers["retry-after"] == "3"
    assert json.loads(bytes(answer.body))["upstream_request_id"] == "req-1"


# -- configuration from the environment -------------------------------------------------


def test_configuration_from_the_environment() -> None:
    assert tapd_from_env({}) is None
    assert tca_from_env({"TCA_API_TOKEN": TCA_API_TOKEN}) is None  # no base URL: left out
    with pytest.raises(ValueError, match="TCA_BASE_URL is set") as refused:
        tca_from_env({"TCA_BASE_URL": "http://tca.test", "TCA_USER_ID": TCA_USER_ID})
    assert TCA_USER_ID not in str(refused.value)
    with pytest.raises(ValueError, match="TAPD_RATE_LIMIT") as bad_rate:
        tapd_from_env({"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN, "TAPD_RATE_LIMIT": "1/fast"})
    assert TAPD_ACCESS_TOKEN not in str(bad_rate.value)


async def test_rate_limit_from_the_environment() -> None:
    paced = tapd_from_env({"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN, "TAPD_RATE_LIMIT": "5/2"})
    default = tapd_from_env({"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN})
    off = tapd_from_env({"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN, "TAPD_RATE_LIMIT": "none"})
    per_minute = tapd_from_env(
        {"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN, "TAPD_RATE_LIMIT": "90/min"}
    )
    assert paced is not None
    assert default is not None
    assert off is not None
    assert per_minute is not None
    try:
        buckets = [c.transport.rate_limiter for c in (paced, default, off, per_minute)]
        limits = [(b.limit.requests, b.limit.window_seconds) if b else None for b in buckets]
        assert limits == [
            (5, 2.0),
            (60, 60.0),
            None,
            (90, 60.0),
        ]
        assert default.base_url == "https://api.tapd.cn"
        assert isinstance(default.transport.auth, TAPDBearerAuth)
    finally:
        for client in (paced, default, off, per_minute):
            await client.aclose()


@pytest.mark.parametrize(
    ("env", "strategy"),
    [
        ({"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN}, TAPDBearerAuth),
        ({"TAPD_API_USER": TAPD_API_USER, "TAPD_API_PASSWORD": TAPD_API_PASSWORD}, TAPDBasicAuth),
        (
            {"TAPD_CLIENT_ID": TAPD_CLIENT_ID, "TAPD_CLIENT_SECRET": TAPD_CLIENT_SECRET},
            TAPDClientCredentialsAuth,
        ),
        ({"TAPD_API_USER": TAPD_API_USER}, None),  # no password: TAPD is left out
    ],
)
async def test_tapd_strategy_from_the_environment(env: dict[str, str], strategy: Any) -> None:
    client = tapd_from_env({"TAPD_API_BASE_URL": "http://tapd.test", **env})
    if strategy is None:
        assert client is None
        return
    assert client is not None
    try:
        assert isinstance(client.transport.auth, strategy)
        assert client.base_url == "http://tapd.test"
    finally:
        await client.aclose()


async def test_tca_strategy_from_the_environment() -> None:
    token = tca_from_env({"TCA_BASE_URL": "http://tca.test", "TCA_API_TOKEN": TCA_API_TOKEN})
    ticket = tca_from_env(
        {"TCA_BASE_URL": "http://tca.test", "TCA_USER_ID": TCA_USER_ID, "TCA_TOKEN": TCA_TOKEN}
    )
    assert token is not None
    assert ticket is not None
    try:
        assert isinstance(token.transport.auth, TCATokenAuth)
        assert isinstance(ticket.transport.auth, TCATicketAuth)
    finally:
        await token.aclose()
        await ticket.aclose()


# -- over loopback, configured from the environment ---------------------------------------


@pytest.fixture(scope="module")
def tapd_on_socket() -> Iterator[tuple[str, FakeTAPD]]:
    fake = FakeTAPD()
    with serve_in_thread(fake) as url:
        yield url, fake


@pytest.fixture(scope="module")
def tca_on_socket() -> Iterator[tuple[str, FakeTCA]]:
    fake = FakeTCA()
    with serve_in_thread(fake) as url:
        yield url, fake


TAPD_CREDENTIALS = {
    "bearer": {"TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN},
    "basic": {"TAPD_API_USER": TAPD_API_USER, "TAPD_API_PASSWORD": TAPD_API_PASSWORD},
    "app": {"TAPD_CLIENT_ID": TAPD_CLIENT_ID, "TAPD_CLIENT_SECRET": TAPD_CLIENT_SECRET},
}
TCA_CREDENTIALS = {
    "token": {"TCA_API_TOKEN": TCA_API_TOKEN},
    "ticket": {"TCA_USER_ID": TCA_USER_ID, "TCA_TOKEN": TCA_TOKEN},
}


@pytest.fixture(params=[("bearer", "token"), ("basic", "ticket"), ("app", "token")], ids="-".join)
def production_env(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tapd_on_socket: tuple[str, FakeTAPD],
    tca_on_socket: tuple[str, FakeTCA],
) -> None:
    """The environment of a deployment, pointing at the fakes' sockets."""
    tapd_kind, tca_kind = request.param
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    env = {
        "TAPD_API_BASE_URL": tapd_on_socket[0],
        "TAPD_RATE_LIMIT": "off",
        "TCA_BASE_URL": tca_on_socket[0],
        **TAPD_CREDENTIALS[tapd_kind],
        **TCA_CREDENTIALS[tca_kind],
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("production_env")
async def test_module_app_configured_from_env_over_loopback(
    tapd_on_socket: tuple[str, FakeTAPD], tca_on_socket: tuple[str, FakeTCA]
) -> None:
    tapd_fake, tca_fake = tapd_on_socket[1], tca_on_socket[1]
    statuses = two_statuses(tapd_fake)
    params = {"status": sorted(statuses)}
    async with running(fastapi_app.app) as app:
        stories = await app.get(f"/workspaces/{WS}/stories", params={**params, "limit": 1000})
        count = await app.get(f"/workspaces/{WS}/stories/count", params=params)
        repos = await app.get(f"/tca/{ORG}/{TEAM}/repos?limit=1000")
        missing = await app.get("/workspaces/999/stories/count")
        missing_repo = await app.get(f"/tca/{ORG}/{TEAM}/repos/99999")
    wanted = expected_stories(tapd_fake, statuses=statuses)
    assert [s["id"] for s in stories.json()] == wanted
    assert count.json() == {"count": len(wanted)}
    assert sorted(r["id"] for r in repos.json()) == sorted(r["id"] for r in tca_fake.repos)
    assert (missing.status_code, missing_repo.status_code) == (404, 404)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@pytest.fixture
def app_on_socket(production_env: None) -> Iterator[tuple[str, Callable[[], None]]]:
    """``examples.fastapi_app:app`` served by uvicorn with its lifespan, as in production;
    yields its URL and a function that stops it."""
    uvicorn = pytest.importorskip("uvicorn")
    sock = _free_socket()
    config = uvicorn.Config(fastapi_app.app, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        assert not thread.is_alive()

    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", stop
    finally:
        stop()
        sock.close()


def test_served_by_uvicorn(
    app_on_socket: tuple[str, Callable[[], None]], tapd_on_socket: tuple[str, FakeTAPD]
) -> None:
    url, stop = app_on_socket
    with httpx.Client(base_url=url, timeout=30) as client:
        health = client.get("/health")  # the lifespan ran: the clients are in its state
        stories = client.get(f"/workspaces/{WS}/stories?limit=5")
        count = client.get(f"/workspaces/{WS}/stories/count")
        missing = client.get("/workspaces/999/stories")
    for answer in (health, stories, count, missing):
        assert_no_secret(answer)
    assert health.json() == {"tca": True, "tapd": True}
    assert [s["id"] for s in stories.json()] == expected_stories(tapd_on_socket[1])[:5]
    assert count.json() == {"count": len(tapd_on_socket[1].stories[WS])}
    assert missing.status_code == 404
    stop()  # the lifespan's shutdown closes the clients; the server is gone
    with pytest.raises(httpx.ConnectError), httpx.Client(base_url=url) as client:
        client.get("/health")
