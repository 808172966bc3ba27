"""The shared request loop: retries, backoff, Retry-After, faults, timeouts, limits, logging.

Everything goes through the public clients (``TCAClient`` / ``TAPDClient``) against the
fakes, in-process and over loopback, with scripted faults. Backoff runs on a
``FakeClock`` so no test really waits for it.
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import logging
import re
import socket
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tca_tapd import (
    APIError,
    ClientClosedError,
    ConnectError,
    DecodeError,
    NotFoundError,
    RateLimit,
    RateLimitError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClient,
    TCAClient,
    TCATicketAuth,
    TCATokenAuth,
    TransportError,
    ValidationError,
    __version__,
)
from tca_tapd._http import ShardedTransport, default_ssl_context
from tca_tapd._transport import Transport, _plain_query
from tca_tapd.tca._envelope import decode_tca
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeClock,
    FakeControl,
    FakeTAPD,
    Fault,
    ServerProcess,
)

from .conftest import Target

ORG, TEAM = "hellotca", "demo"
REPO_PATH = "/server/main/api/orgs/hellotca/teams/demo/repos/4/"
WORKSPACE = 10104801


def tca_client(target: Target, **options: Any) -> TCAClient:
    return TCAClient(target.base_url, TCATokenAuth(TCA_API_TOKEN), **target.options(**options))


def tapd_client(target: Target, **options: Any) -> TAPDClient:
    options.setdefault("rate_limit", None)
    auth = options.pop("auth", None) or TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    return TAPDClient(auth, base_url=target.base_url, **target.options(**options))


def hooked_http_client(
    target: Target,
    on_request: Callable[[httpx.Request], Awaitable[None]] | None = None,
    on_response: Callable[[httpx.Response], Awaitable[None]] | None = None,
) -> httpx.AsyncClient:
    """An httpx client reaching ``target`` that calls hooks on every send."""
    hooks: dict[str, list[Any]] = {"request": [], "response": []}
    if on_request is not None:
        hooks["request"].append(on_request)
    if on_response is not None:
        hooks["response"].append(on_response)
    return httpx.AsyncClient(transport=target.transport, event_hooks=hooks)


async def api_requests(target: Target, method: str | None = None) -> list[dict[str, Any]]:
    requests = await target.control.requests()
    return [r for r in requests if method is None or r["method"] == method]


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


@pytest.fixture
async def tca_loopback(tca_process: ServerProcess) -> AsyncIterator[Target]:
    """The fake TCA over a real socket only (read timeouts need one; ASGI has none)."""
    control = FakeControl(tca_process.url)
    await control.reset()
    yield Target("loopback", tca_process.url, None, None, control)
    await control.aclose()


# -- retries of safe requests ---------------------------------------------------------------


RETRYABLE = [
    pytest.param(Fault.http(500, times=2), id="500"),
    pytest.param(Fault.http(502, times=2), id="502"),
    pytest.param(Fault.html(502, times=2), id="502-html"),
    pytest.param(Fault.http(503, times=2), id="503"),
    pytest.param(Fault.http(504, times=2), id="504"),
    pytest.param(Fault.http(429, times=2), id="429"),
]


@pytest.mark.parametrize("fault", RETRYABLE)
async def test_get_is_retried_to_success(tca_target: Target, fault: Fault) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(fault)
    async with tca_client(tca_target, clock=clock, retry=RetryPolicy(max_attempts=4)) as tca:
        with anyio.fail_after(10):
            repo = await tca.repos.get(ORG, TEAM, 4)
    assert repo.id == 4
    requests = await api_requests(tca_target)
    assert [(r["method"], r["path"]) for r in requests] == [("GET", REPO_PATH)] * 3
    assert len(clock.sleeps) == 2  # one backoff between each pair of attempts


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        pytest.param(Fault.http(500, times=10), ServerError, 500, id="500"),
        pytest.param(Fault.html(502, times=10), ServerError, 502, id="502-html"),
        pytest.param(Fault.http(503, times=10), ServerError, 503, id="503"),
        pytest.param(Fault.http(504, times=10), ServerError, 504, id="504"),
        pytest.param(Fault.http(429, times=10), RateLimitError, 429, id="429"),
    ],
)
async def test_attempts_exhausted_raise_the_typed_error(
    tca_target: Target, fault: Fault, error: type[APIError], status: int
) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(fault)
    async with tca_client(tca_target, clock=clock, retry=RetryPolicy(max_attempts=3)) as tca:
        with anyio.fail_after(10), pytest.raises(error) as caught:
            await tca.repos.get(ORG, TEAM, 4)
    assert type(caught.value) is error
    assert caught.value.status_code == status
    assert caught.value.method == "GET"
    assert caught.value.url.endswith(REPO_PATH)
    assert len(await api_requests(tca_target)) == 3
    assert len(clock.sleeps) == 2
    assert (await tca_target.control.stats())["pending_faults"] == 7


async def test_proxy_html_error_keeps_its_title(tca_target: Target) -> None:
    await tca_target.control.add_faults(Fault.html(502, times=5))
    async with tca_client(tca_target, clock=FakeClock(), retry=RetryPolicy.never()) as tca:
        with pytest.raises(ServerError) as caught:
            await tca.repos.get(ORG, TEAM, 4)
    assert caught.value.message == "502 Bad Gateway"
    assert b"nginx" in caught.value.body
    assert len(await api_requests(tca_target)) == 1


@pytest.mark.parametrize(
    ("status", "error"), [(400, ValidationError), (404, NotFoundError), (501, ServerError)]
)
async def test_other_statuses_are_not_retried(
    tca_target: Target, status: int, error: type[APIError]
) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(status, times=3))
    async with tca_client(tca_target, clock=clock) as tca:
        with pytest.raises(error) as caught:
            await tca.repos.get(ORG, TEAM, 4)
    assert caught.value.status_code == status
    assert len(await api_requests(tca_target)) == 1
    assert clock.sleeps == []


async def test_custom_retry_statuses(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(409, times=1), Fault.http(503, times=1))
    policy = RetryPolicy(max_attempts=4, retry_statuses=frozenset({409}))
    async with tca_client(tca_target, clock=clock, retry=policy) as tca:
        with pytest.raises(ServerError):  # 503 is no longer retryable under this policy
            await tca.repos.get(ORG, TEAM, 4)
    assert len(await api_requests(tca_target)) == 2
    assert len(clock.sleeps) == 1


async def test_every_attempt_is_signed_afresh(tca_target: Target) -> None:
    # The ticket clock ticks one second per call: each attempt carries a new timestamp.
    ticks = itertools.count()
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=lambda: time.time() + next(ticks))
    stamps: list[str] = []

    async def record(request: httpx.Request) -> None:
        stamps.append(request.headers["TCA-TIMESTAMP"])

    await tca_target.control.add_faults(Fault.http(503, times=2))
    async with (
        hooked_http_client(tca_target, on_request=record) as http,
        TCAClient(tca_target.base_url, auth, http_client=http, clock=FakeClock()) as tca,
    ):
        repo = await tca.repos.get(ORG, TEAM, 4)
    assert repo.id == 4
    assert len(stamps) == 3
    assert len(set(stamps)) == 3


# -- backoff ------------------------------------------------------------------------------


async def test_backoff_sleeps_within_full_jitter_bounds(tca_target: Target) -> None:
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=6, backoff_base=0.5, backoff_cap=2.0)
    await tca_target.control.add_faults(Fault.http(503, times=5))
    async with tca_client(tca_target, clock=clock, retry=policy) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    ceilings = [0.5, 1.0, 2.0, 2.0, 2.0]  # base * 2**(n-1), capped
    assert len(clock.sleeps) == len(ceilings)
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert 0.0 <= slept <= ceiling
    assert clock.monotonic() == pytest.approx(sum(clock.sleeps))


async def test_backoff_is_jitter_times_the_ceiling(tca_target: Target) -> None:
    # The jitter source is injectable on the Transport: the sleeps are then exact.
    clock = FakeClock()
    jitter = iter([0.9, 0.5, 0.1, 0.9, 0.0])
    transport = Transport(
        base_url=tca_target.base_url,
        auth=TCATokenAuth(TCA_API_TOKEN),
        decode=decode_tca,
        transport=tca_target.transport,
        retry=RetryPolicy(max_attempts=6, backoff_base=0.5, backoff_cap=2.0),
        clock=clock,
        rand=lambda: next(jitter),
    )
    await tca_target.control.add_faults(Fault.http(502, times=5))
    try:
        data = await transport.request("GET", REPO_PATH, expect=dict)
    finally:
        await transport.aclose()
    assert data["id"] == 4
    assert clock.sleeps == pytest.approx([0.45, 0.5, 0.2, 1.8, 0.0])


# -- Retry-After ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds_is_honoured(tca_target: Target, status: int) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(status, retry_after=7))
    async with tca_client(tca_target, clock=clock) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    assert clock.sleeps == [7.0]
    assert len(await api_requests(tca_target)) == 2


async def test_retry_after_http_date_counts_from_the_client_clock(tca_target: Target) -> None:
    # FakeClock's epoch is 2023-11-14; real time is years later. A date 30 s after the
    # client clock's "now" must mean 30 s (measured with wall time it would be 0).
    clock = FakeClock()
    clock.advance(100.0)
    date = http_date(clock.time() + 30)
    await tca_target.control.add_faults(Fault.http(429, retry_after=date))
    async with tca_client(tca_target, clock=clock) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    assert clock.sleeps == [pytest.approx(30.0)]


async def test_retry_after_date_in_the_past_means_now(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(503, retry_after=http_date(clock.time() - 60)))
    async with tca_client(tca_target, clock=clock) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    assert clock.sleeps == [0.0]


@pytest.mark.parametrize("kind", ["seconds", "date"])
async def test_retry_after_is_capped(tca_target: Target, kind: str) -> None:
    clock = FakeClock()
    value: str | float = 3600 if kind == "seconds" else http_date(clock.time() + 3600)
    await tca_target.control.add_faults(Fault.http(429, retry_after=value, times=2))
    policy = RetryPolicy(max_attempts=4, retry_after_cap=5.0)
    async with tca_client(tca_target, clock=clock, retry=policy) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    assert clock.sleeps == [5.0, 5.0]


async def test_unparseable_retry_after_falls_back_to_backoff(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(429, retry_after="soon"))
    policy = RetryPolicy(backoff_base=0.25)
    async with tca_client(tca_target, clock=clock, retry=policy) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    assert len(clock.sleeps) == 1
    assert 0.0 <= clock.sleeps[0] <= 0.25


async def test_rate_limit_error_carries_retry_after(tca_target: Target) -> None:
    await tca_target.control.add_faults(Fault.http(429, retry_after=7, times=5))
    clock = FakeClock()
    async with tca_client(tca_target, clock=clock, retry=RetryPolicy(max_attempts=2)) as tca:
        with pytest.raises(RateLimitError) as caught:
            await tca.repos.get(ORG, TEAM, 4)
    assert caught.value.retry_after == 7.0
    assert clock.sleeps == [7.0]


# -- unsafe methods -----------------------------------------------------------------------


async def test_post_is_sent_once_under_a_503(tapd_target: Target) -> None:
    clock = FakeClock()
    await tapd_target.control.add_faults(Fault.http(503, times=3, method="POST"))
    async with tapd_client(tapd_target, clock=clock) as tapd:
        with pytest.raises(ServerError) as caught:
            await tapd._request("POST", "/stories", data={"workspace_id": "1", "name": "x"})
    assert caught.value.status_code == 503
    posts = await api_requests(tapd_target, "POST")
    assert len(posts) == 1
    assert posts[0]["body_size"] > 0
    assert clock.sleeps == []


async def test_post_declared_safe_is_retried(tapd_target: Target) -> None:
    clock = FakeClock()
    await tapd_target.control.add_faults(Fault.http(503, times=2, method="POST"))
    async with tapd_client(tapd_target, clock=clock) as tapd:
        with pytest.raises(APIError) as caught:
            await tapd._request("POST", "/stories/count", data={"name": "x"}, safe=True)
    # The third attempt got through the faults to the real answer: GET-only path.
    assert caught.value.status_code == 405
    assert not isinstance(caught.value, ServerError)
    assert len(await api_requests(tapd_target, "POST")) == 3
    assert len(clock.sleeps) == 2


async def test_tca_post_is_sent_once(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.http(503, times=3))
    path = "/server/main/api/orgs/hellotca/teams/demo/repos/"
    async with tca_client(tca_target, clock=clock) as tca:
        with pytest.raises(ServerError):
            await tca._request("POST", path, json={"scm_url": "http://git.example.com/x"})
    assert len(await api_requests(tca_target, "POST")) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param(Fault.http(429, method="POST"), RateLimitError, id="429"),
        pytest.param(Fault.reset(method="POST"), TransportError, id="reset"),
    ],
)
async def test_post_is_not_resent_after_it_may_have_arrived(
    tapd_target: Target, fault: Fault, error: type[Exception]
) -> None:
    clock = FakeClock()
    await tapd_target.control.add_faults(fault)
    async with tapd_client(tapd_target, clock=clock) as tapd:
        with pytest.raises(error):
            await tapd._request("POST", "/stories", data={"name": "x"})
    assert len(await api_requests(tapd_target, "POST")) == 1
    assert clock.sleeps == []


# -- broken connections and bodies ---------------------------------------------------------


async def test_connection_reset_mid_body_is_retried(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.reset())
    async with tca_client(tca_target, clock=clock) as tca:
        with anyio.fail_after(10):
            repo = await tca.repos.get(ORG, TEAM, 4)
    assert repo.id == 4
    assert len(await api_requests(tca_target)) == 2
    assert len(clock.sleeps) == 1


async def test_connection_reset_every_time_is_a_transport_error(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.reset(times=5))
    async with tca_client(tca_target, clock=clock, retry=RetryPolicy(max_attempts=3)) as tca:
        with anyio.fail_after(10), pytest.raises(TransportError) as caught:
            await tca.repos.get(ORG, TEAM, 4)
    assert type(caught.value) is TransportError  # neither a connect error nor a timeout
    assert caught.value.method == "GET"
    assert len(await api_requests(tca_target)) == 3
    assert len(clock.sleeps) == 2


async def test_a_reset_page_is_refetched_by_the_pager(tapd_target: Target) -> None:
    await tapd_target.control.add_faults(Fault.reset(path="^/stories$"))
    async with tapd_client(tapd_target, clock=FakeClock()) as tapd:
        with anyio.fail_after(10):
            stories = await tapd.stories.list(WORKSPACE, page_size=50).collect()
    assert len(stories) == 120
    assert len({s.id for s in stories}) == 120
    pages = [dict(r["query"])["page"] for r in await api_requests(tapd_target)]
    assert pages == ["1", "1", "2", "3"]


async def test_truncated_json_is_a_decode_error_and_not_retried(tca_target: Target) -> None:
    clock = FakeClock()
    await tca_target.control.add_faults(Fault.truncated())
    async with tca_client(tca_target, clock=clock) as tca:
        with pytest.raises(DecodeError) as caught:
            await tca.repos.get(ORG, TEAM, 4)
        again = await tca.repos.get(ORG, TEAM, 4)  # the fault was used up
    assert caught.value.status_code == 200
    assert "truncated" in caught.value.reason
    assert caught.value.body.startswith(b"{")
    assert again.id == 4
    assert len(await api_requests(tca_target)) == 2
    assert clock.sleeps == []


async def test_truncated_tapd_page_is_a_decode_error(tapd_target: Target) -> None:
    await tapd_target.control.add_faults(Fault.truncated(path="^/stories$"))
    async with tapd_client(tapd_target, clock=FakeClock()) as tapd:
        with pytest.raises(DecodeError):
            await tapd.stories.list(WORKSPACE, page_size=10).collect()
    assert len(await api_requests(tapd_target)) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_connection_refused_is_a_connect_error_after_every_attempt(
    method: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    clock = FakeClock()
    base_url = f"http://127.0.0.1:{closed_port()}"
    policy = RetryPolicy(max_attempts=3)
    async with TCAClient(base_url, TCATokenAuth(TCA_API_TOKEN), clock=clock, retry=policy) as tca:
        with anyio.fail_after(10), pytest.raises(ConnectError) as caught:
            await tca._request(method, "/server/main/api/orgs/")
    # A refused connection sent nothing, so even a POST may be tried again.
    assert len(clock.sleeps) == 2
    attempts = [r.getMessage() for r in caplog.records if "ConnectError" in r.getMessage()]
    assert re.findall(r"attempt=(\d)", " ".join(attempts)) == ["1", "2", "3"]
    assert caught.value.method == method
    assert base_url in caught.value.url


class _TimesOutOnce(httpx.AsyncBaseTransport):
    """``inner``, but the first request fails with ``error`` before reaching it."""

    def __init__(self, inner: httpx.AsyncBaseTransport, error: type[httpx.TimeoutException]):
        self.inner = inner
        self.error: type[httpx.TimeoutException] | None = error

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.error is not None:
            error, self.error = self.error, None
            raise error("timed out", request=request)
        return await self.inner.handle_async_request(request)


@pytest.mark.parametrize(
    ("error", "sent"),
    [(httpx.ConnectTimeout, False), (httpx.PoolTimeout, False), (httpx.ReadTimeout, True)],
)
async def test_a_post_is_tried_again_only_when_the_timeout_left_it_unsent(
    error: type[httpx.TimeoutException], sent: bool
) -> None:
    # Timing out while connecting, or while waiting for a pooled connection, sent
    # nothing: a POST may go again, as after a refused connection.
    fake = FakeTAPD()
    clock = FakeClock()
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    transport = _TimesOutOnce(fake.asgi_transport(), error)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, clock=clock, transport=transport
    ) as tapd:
        if sent:
            with pytest.raises(RequestTimeoutError) as caught:
                await tapd.stories.create(WORKSPACE, name="once")
            assert caught.value.sent is True
        else:
            story = await tapd.stories.create(WORKSPACE, name="once")
            assert story.name == "once"
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == (0 if sent else 1)
    assert len(clock.sleeps) == (0 if sent else 1)


# -- timeouts (loopback only: in-process ASGI has no socket to time out) --------------------


async def test_read_timeout_is_a_request_timeout_error(tca_loopback: Target) -> None:
    await tca_loopback.control.add_faults(Fault.slow(1.0))
    clock = FakeClock()
    async with tca_client(tca_loopback, clock=clock, timeout=0.2, retry=RetryPolicy.never()) as tca:
        started = time.monotonic()
        with anyio.fail_after(5), pytest.raises(RequestTimeoutError) as caught:
            await tca.repos.get(ORG, TEAM, 4)
        waited = time.monotonic() - started
    assert waited < 0.9  # the client gave up before the server answered
    assert caught.value.method == "GET"
    assert "timed out" in str(caught.value)
    assert len(await api_requests(tca_loopback)) == 1


async def test_a_timed_out_get_is_retried(tca_loopback: Target) -> None:
    await tca_loopback.control.add_faults(Fault.slow(1.0))
    clock = FakeClock()
    policy = RetryPolicy(max_attempts=2)
    async with tca_client(tca_loopback, clock=clock, timeout=0.2, retry=policy) as tca:
        with anyio.fail_after(5):
            repo = await tca.repos.get(ORG, TEAM, 4)
    assert repo.id == 4
    assert len(await api_requests(tca_loopback)) == 2
    assert len(clock.sleeps) == 1


async def test_per_call_timeout_overrides_the_client_timeout(tca_loopback: Target) -> None:
    control = tca_loopback.control
    policy = RetryPolicy.never()
    # A short per-call timeout on a client with a long one.
    await control.add_faults(Fault.slow(1.0))
    async with tca_client(tca_loopback, clock=FakeClock(), retry=policy, timeout=30) as tca:
        with anyio.fail_after(5), pytest.raises(RequestTimeoutError):
            await tca.repos.get(ORG, TEAM, 4, timeout=0.2)
    # A long per-call timeout on a client with a short one.
    await control.add_faults(Fault.slow(0.4))
    async with tca_client(tca_loopback, clock=FakeClock(), retry=policy, timeout=0.1) as tca:
        with anyio.fail_after(5):
            assert (await tca.repos.get(ORG, TEAM, 4, timeout=5)).id == 4
        # ... and the pager passes its timeout to every page request.
        await control.add_faults(Fault.slow(1.0, path="/repos/$"))
        with anyio.fail_after(5), pytest.raises(RequestTimeoutError):
            await tca.repos.list(ORG, TEAM, timeout=0.2).collect()


# -- the HTTP client: headers, ownership, closing --------------------------------------------


async def test_user_agent_and_extra_headers(tca_target: Target) -> None:
    seen: list[httpx.Headers] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.headers)

    async with (
        hooked_http_client(tca_target, on_request=record) as http,
        TCAClient(
            tca_target.base_url,
            TCATokenAuth(TCA_API_TOKEN),
            http_client=http,
            headers={"X-Trace": "abc"},
        ) as tca,
    ):
        await tca.repos.get(ORG, TEAM, 4)
        await tca.repos.list(ORG, TEAM, page_size=20).collect()
    assert len(seen) == 3
    for headers in seen:
        assert headers["User-Agent"] == f"tca-tapd/{__version__}"
        assert headers["Accept"] == "application/json"
        assert headers["X-Trace"] == "abc"
        assert headers["Authorization"] == f"Token {TCA_API_TOKEN}"


async def test_injected_http_client_is_not_closed(tca_target: Target) -> None:
    async with hooked_http_client(tca_target) as http:
        tca = tca_client_with(tca_target, http)
        assert tca.transport.http_client is http
        async with tca:
            assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
        assert tca.transport.closed
        assert not http.is_closed
        # Still usable by its owner.
        response = await http.get(f"{tca_target.base_url}/__fake__/stats")
        assert response.status_code == 200
        # ... but not through the closed SDK client.
        with pytest.raises(ClientClosedError):
            await tca.repos.get(ORG, TEAM, 4)
    assert len(await api_requests(tca_target)) == 1


def tca_client_with(target: Target, http: httpx.AsyncClient) -> TCAClient:
    return TCAClient(target.base_url, TCATokenAuth(TCA_API_TOKEN), http_client=http)


async def test_own_http_client_is_closed(tca_target: Target) -> None:
    tca = tca_client(tca_target)
    async with tca:
        assert not tca.transport.http_client.is_closed
    assert tca.transport.http_client.is_closed
    assert tca.transport.closed


async def test_calls_after_aclose_raise_client_closed(tca_target: Target) -> None:
    clock = FakeClock()
    tca = tca_client(tca_target, clock=clock)
    await tca.aclose()
    with pytest.raises(ClientClosedError) as caught:
        await tca.repos.get(ORG, TEAM, 4)
    with pytest.raises(ClientClosedError):
        await tca.repos.list(ORG, TEAM).collect()
    assert caught.value.method == "GET"
    assert await api_requests(tca_target) == []
    assert clock.sleeps == []  # not retried


async def test_http_client_closed_by_its_owner_raises_client_closed(tca_target: Target) -> None:
    clock = FakeClock()
    http = hooked_http_client(tca_target)
    async with TCAClient(
        tca_target.base_url, TCATokenAuth(TCA_API_TOKEN), http_client=http, clock=clock
    ) as tca:
        await http.aclose()
        with pytest.raises(ClientClosedError):
            await tca.repos.get(ORG, TEAM, 4)
    assert clock.sleeps == []
    assert await api_requests(tca_target) == []


async def test_http_client_and_transport_are_exclusive() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(ValueError, match="http_client"):
            TCAClient(
                "http://tca.test",
                http_client=http,
                transport=httpx.MockTransport(lambda request: httpx.Response(200)),
            )


@pytest.mark.parametrize("bad", [0, -3])
def test_max_concurrency_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError, match="max_concurrency"):
        TCAClient("http://tca.test", max_concurrency=bad)


# -- logging --------------------------------------------------------------------------------


LINE = re.compile(r"^(GET|POST) (\S+) -> (\w+) attempt=(\d+) elapsed=\d+\.\dms$")


def log_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    records = [r for r in caplog.records if r.name == "tca_tapd"]
    assert all(r.levelno == logging.DEBUG for r in records)
    matches = [LINE.match(r.getMessage()) for r in records]
    assert all(m is not None for m in matches), [r.getMessage() for r in records]
    return [m for m in matches if m is not None]


@pytest.mark.parametrize("name", ["access_token", "api_key", "password", "signature"])
async def test_debug_log_lines_without_secrets(
    tapd_target: Target, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    secret = "s3cr3t-value-42"
    await tapd_target.control.add_faults(Fault.http(503))
    async with tapd_client(tapd_target, clock=FakeClock()) as tapd:
        filters: dict[str, Any] = {name: secret}
        # One page (the parameter is no story field, so it filters nothing out).
        await tapd.stories.list(WORKSPACE, page_size=10, **filters).collect(max_items=10)
    lines = log_lines(caplog)
    assert [(m[1], m[3], m[4]) for m in lines] == [("GET", "503", "1"), ("GET", "200", "2")]
    for m in lines:
        assert "/stories?" in m[2]
        assert f"workspace_id={WORKSPACE}" in m[2]  # ordinary values stay visible
        assert re.search(rf"{name}=(%5B|\[)redacted(%5D|\])", m[2])
    text = caplog.text
    basic = base64.b64encode(f"{TAPD_API_USER}:{TAPD_API_PASSWORD}".encode()).decode()
    for leaked in (secret, TAPD_API_PASSWORD, basic):
        assert leaked not in text


async def test_errors_do_not_show_secret_query_values(tapd_target: Target) -> None:
    await tapd_target.control.add_faults(Fault.http(503, times=5))
    async with tapd_client(tapd_target, clock=FakeClock(), retry=RetryPolicy.never()) as tapd:
        with pytest.raises(ServerError) as caught:
            await tapd.stories.list(WORKSPACE, access_token="s3cr3t-value-42").collect()
    assert "s3cr3t-value-42" not in str(caught.value)
    assert "s3cr3t-value-42" not in caught.value.url
    assert "redacted" in caught.value.url


@pytest.mark.parametrize("scheme", ["ticket", "token"])
async def test_tca_credentials_are_not_logged(
    tca_target: Target, caplog: pytest.LogCaptureFixture, scheme: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN) if scheme == "ticket" else None
    options = tca_target.options(clock=FakeClock())
    async with TCAClient(
        tca_target.base_url, auth or TCATokenAuth(TCA_API_TOKEN), **options
    ) as tca:
        await tca.repos.get(ORG, TEAM, 4)
    lines = log_lines(caplog)
    assert [(m[1], m[3], m[4]) for m in lines] == [("GET", "200", "1")]
    assert lines[0][2].endswith(REPO_PATH)
    text = caplog.text
    assert TCA_TOKEN not in text
    assert TCA_API_TOKEN not in text
    assert not re.search(r"[0-9A-F]{64}", text)  # no ticket


async def test_bearer_token_is_not_logged(
    tapd_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    auth = TAPDBearerAuth(TAPD_ACCESS_TOKEN)
    async with tapd_client(tapd_target, auth=auth, clock=FakeClock()) as tapd:
        assert await tapd.stories.count(WORKSPACE) == 120
    assert len(log_lines(caplog)) == 1
    assert TAPD_ACCESS_TOKEN not in caplog.text


# -- client-side rate limiting ----------------------------------------------------------------


async def test_rate_limiter_paces_requests_on_the_client_clock(tapd_target: Target) -> None:
    clock = FakeClock()
    sent: list[float] = []

    async def record(request: httpx.Request) -> None:
        sent.append(clock.monotonic())

    async with (
        hooked_http_client(tapd_target, on_request=record) as http,
        TAPDClient(
            TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
            base_url=tapd_target.base_url,
            http_client=http,
            clock=clock,
            rate_limit=RateLimit(5, 1.0, headroom=0),  # exact arithmetic for the test
        ) as tapd,
    ):
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for _ in range(12):
                    tg.start_soon(tapd.stories.count, WORKSPACE)
    assert len(sent) == 12
    assert sent[0] == 0.0
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert all(gap == pytest.approx(0.2) for gap in gaps)
    assert clock.monotonic() == pytest.approx(2.2)
    assert len(clock.sleeps) == 11
    assert len(await api_requests(tapd_target)) == 12


async def test_rate_limiter_keeps_under_the_server_limit_in_process() -> None:
    # The fake shares the client's FakeClock, so its window sees the paced requests.
    async def run(rate_limit: RateLimit | None) -> tuple[int, int]:
        clock = FakeClock()
        fake = FakeTAPD(clock=clock, rate_limit=(5, 1.0))
        ok = limited = 0

        async def one() -> None:
            nonlocal ok, limited
            try:
                await tapd.stories.count(WORKSPACE)
                ok += 1
            except RateLimitError:
                limited += 1

        async with TAPDClient(
            TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
            base_url="http://tapd.test",
            transport=fake.asgi_transport(),
            clock=clock,
            rate_limit=rate_limit,
            retry=RetryPolicy.never(),
        ) as tapd:
            with anyio.fail_after(10):
                async with anyio.create_task_group() as tg:
                    for _ in range(16):
                        tg.start_soon(one)
        return ok, limited

    assert await run(RateLimit(5, 1.0)) == (16, 0)
    ok, limited = await run(None)  # the server's limit is real: without pacing it bites
    assert limited > 0
    assert ok == 5


async def test_rate_limiter_keeps_under_the_server_limit_over_loopback(
    tapd_process: ServerProcess,
) -> None:
    # Real time here: 20 requests/s on the client, 5 per 0.2 s fixed window on the server.
    control = FakeControl(tapd_process.url)
    await control.reset()
    await control.configure(rate_limit=[5, 0.2])
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    try:
        async with TAPDClient(
            auth,
            base_url=tapd_process.url,
            rate_limit=RateLimit(4, 0.2),
            retry=RetryPolicy.never(),
        ) as tapd:
            started = time.monotonic()
            with anyio.fail_after(10):
                for _ in range(9):
                    assert await tapd.stories.count(WORKSPACE) == 120
            elapsed = time.monotonic() - started
        assert elapsed >= 8 * 0.05 - 0.01  # 8 gaps of 50 ms
        # Without the client-side limiter the same burst is refused by the server.
        await control.reset()  # a reset also drops the server's limit: set it again
        await control.configure(rate_limit=[5, 0.2])
        async with TAPDClient(
            auth, base_url=tapd_process.url, rate_limit=None, retry=RetryPolicy.never()
        ) as tapd:

            async def burst() -> None:
                for _ in range(9):
                    await tapd.stories.count(WORKSPACE)

            with anyio.fail_after(10), pytest.raises(RateLimitError):
                await burst()
    finally:
        await control.configure(rate_limit=None)
        await control.aclose()


async def test_a_429_pauses_the_limiter_for_the_next_call(tapd_target: Target) -> None:
    clock = FakeClock()
    sent: list[float] = []

    async def record(request: httpx.Request) -> None:
        sent.append(clock.monotonic())

    await tapd_target.control.add_faults(Fault.http(429, retry_after=3))
    async with (
        hooked_http_client(tapd_target, on_request=record) as http,
        TAPDClient(
            TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
            base_url=tapd_target.base_url,
            http_client=http,
            clock=clock,
            rate_limit=RateLimit(100, 1.0, headroom=0),
            retry=RetryPolicy.never(),
        ) as tapd,
    ):
        with pytest.raises(RateLimitError):
            await tapd.stories.count(WORKSPACE)
        assert clock.sleeps == []  # not retried, but the limiter was paused...
        assert await tapd.stories.count(WORKSPACE) == 120
    # ... so the next call waited out the Retry-After, then one token at the halved rate
    # (20 ms instead of 10 ms: the limiter slows down after a 429).
    assert clock.sleeps == [pytest.approx(3.0), pytest.approx(0.02)]
    assert sent == [0.0, pytest.approx(3.02)]


# -- concurrency limit -----------------------------------------------------------------------


async def test_max_concurrency_bounds_requests_in_flight(tca_target: Target) -> None:
    control = tca_target.control
    in_flight = 0
    most = 0

    async def on_request(request: httpx.Request) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)

    async def on_response(response: httpx.Response) -> None:
        nonlocal in_flight
        in_flight -= 1

    async def crawl(tca: TCAClient) -> list[int]:
        ids: list[int] = []

        async def one(repo_id: int) -> None:
            ids.append((await tca.repos.get(ORG, TEAM, repo_id)).id)

        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for n in range(30):
                    tg.start_soon(one, n % 25 + 1)
        return ids

    await control.configure(latency=0.02)
    try:
        async with (
            hooked_http_client(tca_target, on_request, on_response) as http,
            TCAClient(
                tca_target.base_url,
                TCATokenAuth(TCA_API_TOKEN),
                http_client=http,
                max_concurrency=3,
            ) as tca,
        ):
            ids = await crawl(tca)
        stats = await control.stats()
        assert sorted(ids) == sorted(n % 25 + 1 for n in range(30))
        assert stats["requests"] == 30
        assert stats["max_in_flight"] <= 3
        assert most == 3  # the three slots were really used at once
        # Without the limit, the same crawl does run more than three at once.
        await control.reset()  # a reset also drops the latency setting: set it again
        await control.configure(latency=0.02)
        async with tca_client(tca_target) as tca:
            await crawl(tca)
        assert (await control.stats())["max_in_flight"] > 3
    finally:
        await control.configure(latency=0.0)


def httpx_transports(transport: Any) -> list[Any]:
    """httpx's transports behind a client's transport (one, when a proxy is set)."""
    return list(transport._pools) if isinstance(transport, ShardedTransport) else [transport]


async def test_clients_share_one_certificate_context() -> None:
    # Loading the CA bundle costs ~15 ms; httpx would do it for every client.
    tca = TCAClient("https://tca.example", TCATokenAuth("t"))
    tapd = TAPDClient(TAPDBearerAuth("t"), base_url="https://tapd.example")
    async with tca, tapd:
        contexts = {
            # (our pools ->) httpx's transports -> httpcore's pools -> the context they
            # wrap sockets with
            id(pool._pool._ssl_context)
            for client in (tca, tapd)
            for pool in httpx_transports(client._transport.http_client._transport)
        }
    assert contexts == {id(default_ssl_context())}
    assert default_ssl_context().verify_mode is ssl.CERT_REQUIRED


async def test_the_sdks_own_client_keeps_no_cookies() -> None:
    # A server that sets a cookie and reports whether the next request sent it back.
    seen: list[str | None] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        headers = dict(scope["headers"])
        seen.append(headers.get(b"cookie", b"").decode() or None)
        body = b'{"status":1,"data":{"count":3},"info":"success"}'
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"set-cookie", b"session=abc; Path=/"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    auth = TAPDBearerAuth("t")
    async with TAPDClient(
        auth, base_url="http://tapd.test", transport=httpx.ASGITransport(app=app)
    ) as tapd:
        assert [await tapd.stories.count(1), await tapd.stories.count(1)] == [3, 3]
    assert seen == [None, None]
    # An injected client is the user's: its cookie jar works as they set it up.
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http,
        TAPDClient(auth, base_url="http://tapd.test", http_client=http) as tapd,
    ):
        await tapd.stories.count(1)
        await tapd.stories.count(1)
    assert seen[2:] == [None, "session=abc"]


QUERY_VALUES = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(["1|2", "<>3", "2025-01-01~2025-02-01", "需求", "a+b&c=d%", " x y "]),
)


@given(params=st.dictionaries(st.text(min_size=1, max_size=10), QUERY_VALUES, max_size=5))
def test_a_query_encoded_by_the_transport_is_the_one_httpx_would_send(
    params: dict[str, Any],
) -> None:
    # The transport writes plain queries itself (one URL parse instead of two):
    # the URL that goes out must be exactly the one httpx builds from params=.
    base = "http://h.test/stories"
    assert _plain_query(params)
    ours = httpx.URL(f"{base}?{urlencode(params)}" if params else base)
    assert ours == httpx.Request("GET", base, params=params).url


def test_a_query_with_a_boolean_is_left_to_httpx() -> None:
    assert not _plain_query({"a": "x", "flag": True})  # httpx: true, urllib: True


async def test_a_header_httpx_refuses_to_send_is_not_quoted(tapd_process: ServerProcess) -> None:
    # h11 refuses a header value with a line break, quoting it in its message; the
    # SDK's error must not pass the value on (it could be an Authorization header).
    async with TAPDClient(
        TAPDBearerAuth("t"),
        base_url=tapd_process.url,
        rate_limit=None,
        retry=RetryPolicy.never(),
        headers={"X-Trace": "ok\rhidden-value"},
    ) as tapd:
        with pytest.raises(TransportError) as info:
            await tapd.stories.count(1)
    assert "could not be encoded" in str(info.value)
    assert "hidden-value" not in f"{info.value} {info.value!r}"


async def test_an_injected_client_keeps_its_default_params_beside_the_sdks(
    tapd_target: Target,
) -> None:
    # httpx's default params replace a query written into the URL: with an injected
    # client the SDK leaves the query to httpx, which merges both.
    async with (
        httpx.AsyncClient(
            base_url=tapd_target.base_url, params={"tenant": "acme"}, **tapd_target.options()
        ) as http,
        TAPDClient(
            TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
            base_url=tapd_target.base_url,
            http_client=http,
            rate_limit=None,
        ) as tapd,
    ):
        await tapd.stories.count(WORKSPACE)  # the fake filters on tenant too: no matter
    sent = await tapd_target.control.requests()
    assert dict(sent[-1]["query"]) == {"tenant": "acme", "workspace_id": str(WORKSPACE)}


# -- the SDK's own connection pools ----------------------------------------------------------


REPOS_PATH = "/server/main/api/orgs/hellotca/teams/demo/repos/"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment that names no proxy (whatever the machine running the tests has)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def repos_request(target: Target, timeout: httpx.Timeout | None = None) -> httpx.Request:
    headers = {"Authorization": f"Token {TCA_API_TOKEN}"}
    request = httpx.Request("GET", f"{target.base_url}{REPOS_PATH}", headers=headers)
    if timeout is not None:
        request.extensions["timeout"] = timeout.as_dict()
    return request


async def test_the_connection_limit_bounds_all_pools_together(
    tca_loopback: Target, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    control = tca_loopback.control
    await control.configure(latency=0.05)
    limits = httpx.Limits(max_connections=3, max_keepalive_connections=3)
    async with TCAClient(tca_loopback.base_url, TCATokenAuth(TCA_API_TOKEN), limits=limits) as tca:
        pools = tca.transport.http_client._transport
        assert isinstance(pools, ShardedTransport)
        assert len(pools.in_flight) == 3  # never more pools than connections
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for n in range(12):
                    tg.start_soon(tca.repos.get, "hellotca", "demo", n % 5 + 1)
        assert pools.in_flight == (0, 0, 0)
    stats = await control.stats()
    assert stats["requests"] == 12
    assert stats["max_in_flight"] == 3  # every connection used, never a fourth


async def test_requests_go_to_the_pool_with_room_and_give_it_back(tca_loopback: Target) -> None:
    pools = ShardedTransport(httpx.Limits(max_connections=2), verify=default_ssl_context())
    with anyio.fail_after(10):
        first = await pools.handle_async_request(repos_request(tca_loopback))
        assert pools.in_flight == (1, 0)  # open until its answer is closed
        second = await pools.handle_async_request(repos_request(tca_loopback))
        assert pools.in_flight == (1, 1)  # the first pool had no room left
        for response in (first, second):
            assert response.status_code == 200
            await response.aread()
            await response.aclose()
        assert pools.in_flight == (0, 0)
        with pytest.raises(httpx.ConnectError):  # a request that fails gives its place back
            await pools.handle_async_request(
                httpx.Request("GET", f"http://127.0.0.1:{closed_port()}/")
            )
        assert pools.in_flight == (0, 0)
        await pools.aclose()


async def test_a_waiting_request_takes_whichever_connection_frees_first(
    tca_loopback: Target,
) -> None:
    pools = ShardedTransport(httpx.Limits(max_connections=2), verify=default_ssl_context())
    short = httpx.Timeout(10.0, pool=0.2)
    with anyio.fail_after(10):
        first = await pools.handle_async_request(repos_request(tca_loopback))
        second = await pools.handle_async_request(repos_request(tca_loopback))
        with pytest.raises(httpx.PoolTimeout):  # every connection taken: wait, then give up
            await pools.handle_async_request(repos_request(tca_loopback, short))
        got: list[httpx.Response] = []

        async def third() -> None:
            got.append(await pools.handle_async_request(repos_request(tca_loopback)))

        async with anyio.create_task_group() as tg:
            tg.start_soon(third)
            await anyio.wait_all_tasks_blocked()
            assert got == []  # waiting
            await second.aread()
            await second.aclose()  # the second pool frees first: the waiting request takes it
        assert pools.in_flight == (1, 1)
        for response in (first, got[0]):
            await response.aread()
            await response.aclose()
        assert pools.in_flight == (0, 0)
        await pools.aclose()


async def test_without_a_connection_limit_requests_spread_over_the_pools(
    tca_loopback: Target,
) -> None:
    pools = ShardedTransport(httpx.Limits(max_connections=None), verify=default_ssl_context())
    count = ShardedTransport.POOLS
    with anyio.fail_after(10):
        responses = [
            await pools.handle_async_request(repos_request(tca_loopback)) for _ in range(2 * count)
        ]
        assert pools.in_flight == (2,) * count
        for response in responses:
            await response.aread()
            await response.aclose()
        assert pools.in_flight == (0,) * count
        await pools.aclose()


@pytest.mark.parametrize(
    ("variable", "sharded"), [("NO_PROXY", True), ("FTP_PROXY", True), ("HTTP_PROXY", False)]
)
async def test_a_proxy_named_by_the_environment_is_used(
    tca_loopback: Target, no_proxy_environment: pytest.MonkeyPatch, variable: str, sharded: bool
) -> None:
    # httpx applies environment proxies to the transport it builds itself only: with an
    # HTTP proxy set, the SDK leaves its pools aside. This proxy refuses connections.
    no_proxy_environment.setenv(variable, f"http://127.0.0.1:{closed_port()}")
    async with TCAClient(
        tca_loopback.base_url, TCATokenAuth(TCA_API_TOKEN), retry=RetryPolicy.never()
    ) as tca:
        transport = tca.transport.http_client._transport
        assert isinstance(transport, ShardedTransport) is sharded
        with anyio.fail_after(10):
            if sharded:
                assert (await tca.repos.get("hellotca", "demo", 1)).id == 1
            else:
                with pytest.raises(ConnectError):
                    await tca.repos.get("hellotca", "demo", 1)
