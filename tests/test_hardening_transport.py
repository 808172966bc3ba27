"""The transport and auth layer under failure: a token endpoint that fails or stalls,
short-lived tokens, long Retry-After waits, and closing a client while requests wait."""

from __future__ import annotations

import contextlib
import random
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import anyio.abc
import httpx
import pytest

from tca_tapd import (
    ClientClosedError,
    DecodeError,
    RateLimit,
    RequestTimeoutError,
    RetryPolicy,
    TAPDBasicAuth,
    TAPDClient,
    TAPDClientCredentialsAuth,
    TransportError,
)
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TAPD_CLIENT_ID,
    TAPD_CLIENT_SECRET,
    FakeClock,
    FakeControl,
    FakeTAPD,
    Fault,
    ServerProcess,
)

WORKSPACE = 10104801
TOKEN_PATH = "/tokens/request_token"
BASIC = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)


def app_auth(clock: FakeClock | None = None) -> TAPDClientCredentialsAuth:
    return TAPDClientCredentialsAuth(TAPD_CLIENT_ID, TAPD_CLIENT_SECRET, clock=clock)


@pytest.fixture
async def control(tapd_process: ServerProcess) -> AsyncIterator[FakeControl]:
    """The shared fake TAPD process, reset."""
    async with FakeControl(tapd_process.url) as control:
        await control.reset()
        yield control


async def test_a_token_answer_cut_short_shows_no_token() -> None:
    fake = FakeTAPD()
    fake.faults.add(Fault.truncated(path=TOKEN_PATH))
    async with TAPDClient(
        app_auth(), "http://tapd.test", transport=fake.asgi_transport(), rate_limit=None
    ) as tapd:
        with pytest.raises(DecodeError) as caught:
            await tapd.workspaces.get(WORKSPACE)
    (issued,) = fake.issued_tokens
    shown = repr(caught.value) + "".join(traceback.format_exception(caught.value))
    assert issued not in shown
    assert issued.encode() not in getattr(caught.value, "body", b"")


@pytest.mark.parametrize("status", [503, 429])
async def test_a_token_endpoint_failure_is_tried_again(status: int) -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock)
    fake.faults.add(Fault.http(status, path=TOKEN_PATH, retry_after=3 if status == 429 else None))
    async with TAPDClient(
        app_auth(clock), "http://tapd.test", transport=fake.asgi_transport(), rate_limit=None,
        clock=clock,
    ) as tapd:  # fmt: skip
        workspace = await tapd.workspaces.get(WORKSPACE)
    assert workspace.id == WORKSPACE
    assert len(clock.sleeps) == 1
    if status == 429:
        assert clock.sleeps == [3.0]


async def test_a_429_from_the_token_endpoint_slows_the_rate_limiter_too() -> None:
    # The app's credentials are over their rate: the client's other requests, not
    # only the one that fetched the token, must slow down.
    clock = FakeClock()
    fake = FakeTAPD(clock=clock)
    fake.faults.add(Fault.http(429, path=TOKEN_PATH, retry_after=3))
    async with TAPDClient(
        app_auth(clock), "http://tapd.test", transport=fake.asgi_transport(), clock=clock,
        rate_limit=RateLimit(60, 60.0, headroom=0),
    ) as tapd:  # fmt: skip
        await tapd.workspaces.get(WORKSPACE)
        bucket = tapd.transport.rate_limiter
        assert bucket is not None
        # Halved by the 429, then given back 1/60 by the one good answer.
        assert bucket.rate == pytest.approx(1.0 * (0.5 + 1 / 60))


async def test_a_token_endpoint_that_keeps_failing_is_a_server_error() -> None:
    from tca_tapd import ServerError

    clock = FakeClock()
    fake = FakeTAPD(clock=clock)
    fake.faults.add(Fault.http(502, path=TOKEN_PATH, times=10))
    async with TAPDClient(
        app_auth(clock), "http://tapd.test", transport=fake.asgi_transport(), rate_limit=None,
        clock=clock, retry=RetryPolicy(max_attempts=3),
    ) as tapd:  # fmt: skip
        with pytest.raises(ServerError) as caught:
            await tapd.workspaces.get(WORKSPACE)
    assert caught.value.status_code == 502
    assert len(clock.sleeps) == 2
    assert [r.path for r in fake.requests] == [TOKEN_PATH] * 3  # the request never went


class _Recorder(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: dict[str, Any] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen[request.url.path] = request.extensions.get("timeout")
        return await self.inner.handle_async_request(request)


async def test_the_token_request_has_the_clients_timeouts() -> None:
    recorder = _Recorder(FakeTAPD().asgi_transport())
    async with TAPDClient(
        app_auth(), "http://tapd.test", transport=recorder, rate_limit=None, timeout=2.0
    ) as tapd:
        await tapd.workspaces.get(WORKSPACE)
    assert recorder.seen[TOKEN_PATH] == recorder.seen["/workspaces/get_workspace_info"]
    assert recorder.seen[TOKEN_PATH]["read"] == 2.0


async def test_a_stalled_token_endpoint_times_out(
    control: FakeControl, tapd_process: ServerProcess
) -> None:
    await control.add_faults(Fault.slow(3, path=TOKEN_PATH))
    async with TAPDClient(
        app_auth(), tapd_process.url, rate_limit=None, timeout=0.3, retry=RetryPolicy.never()
    ) as tapd:
        with anyio.fail_after(10), pytest.raises(RequestTimeoutError):
            await tapd.workspaces.get(WORKSPACE)


@pytest.mark.parametrize("lifetime", [30, 1])
async def test_a_short_lived_token_is_shared_not_fetched_per_request(lifetime: int) -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock, token_lifetime=lifetime)
    auth = app_auth(clock)
    async with TAPDClient(
        auth, "http://tapd.test", transport=fake.asgi_transport(), rate_limit=None, clock=clock
    ) as tapd:
        async with anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(tapd.workspaces.get, WORKSPACE)
        assert auth.fetch_count == 1
        clock.advance(lifetime)  # past its life: the next request fetches a new one
        await tapd.workspaces.get(WORKSPACE)
    assert auth.fetch_count == 2


async def test_retry_after_past_the_cap_does_not_hold_the_rate_limiter_longer() -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock)
    fake.faults.add(Fault.http(429, retry_after=86400, path="/workspaces"))
    policy = RetryPolicy()
    async with TAPDClient(
        BASIC, "http://tapd.test", transport=fake.asgi_transport(), clock=clock, retry=policy
    ) as tapd:
        await tapd.workspaces.get(WORKSPACE)
    assert max(clock.sleeps) == policy.retry_after_cap
    assert sum(clock.sleeps) <= policy.retry_after_cap + 5


class _StuckClock(FakeClock):
    """A clock whose sleeps never end by themselves."""

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await anyio.sleep_forever()


@pytest.mark.parametrize("waiting_in", ["rate_limiter", "retry_backoff"])
async def test_closing_ends_requests_that_wait(waiting_in: str) -> None:
    clock = _StuckClock()
    fake = FakeTAPD(clock=clock)
    rate_limit = RateLimit(1, 60.0) if waiting_in == "rate_limiter" else None
    if waiting_in == "retry_backoff":
        fake.faults.add(Fault.http(503, retry_after=60, path="/workspaces"))
    tapd = TAPDClient(
        BASIC, "http://tapd.test", transport=fake.asgi_transport(), clock=clock,
        rate_limit=rate_limit,
    )  # fmt: skip
    outcome: list[BaseException] = []

    async def call() -> None:
        try:
            await tapd.workspaces.get(WORKSPACE)
        except Exception as exc:
            outcome.append(exc)

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            if waiting_in == "rate_limiter":
                await tapd.workspaces.get(WORKSPACE)  # takes the one slot of the window
            tg.start_soon(call)
            await anyio.wait_all_tasks_blocked()
            assert clock.sleeps  # the call waits
            await tapd.aclose()
    assert [type(e) for e in outcome] == [ClientClosedError]
    # Closed in a backoff, its first attempt had reached the server (a 503); waiting
    # for the rate limiter, it had not.
    assert [getattr(e, "sent", None) for e in outcome] == [waiting_in == "retry_backoff"]


async def test_a_request_after_the_close_says_it_was_not_sent() -> None:
    fake = FakeTAPD()
    tapd = TAPDClient(BASIC, "http://tapd.test", transport=fake.asgi_transport())
    await tapd.aclose()
    with pytest.raises(ClientClosedError) as caught:
        await tapd.workspaces.get(WORKSPACE)
    assert caught.value.sent is False  # nothing left: safe to send elsewhere
    assert fake.requests == []


async def _close_midway(
    tapd: TAPDClient, calls: int, under_way: Callable[[], Awaitable[None]]
) -> list[BaseException]:
    """Start ``calls`` requests, close the client once ``under_way()`` returns, and
    give what each request ended with."""
    outcome: list[BaseException] = []

    async def call() -> None:
        try:
            await tapd.workspaces.get(WORKSPACE)
            outcome.append(AssertionError("answered"))
        except BaseException as exc:
            outcome.append(exc)
            if not isinstance(exc, Exception):
                raise

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            for _ in range(calls):
                tg.start_soon(call)
            await under_way()
            await tapd.aclose()
    return outcome


@pytest.mark.parametrize(
    "waiting_for", ["concurrency_slot", "token_fetch", "answer_on_injected_client"]
)
async def test_closing_ends_requests_waiting_inside_the_send(waiting_for: str) -> None:
    # Two calls: the first is held by the server, the second waits behind it (for the
    # one slot, for the first call's token fetch) or is in flight beside it through a
    # client the caller owns, which closing the SDK's client does not close.
    fake = FakeTAPD()
    slow = TOKEN_PATH if waiting_for == "token_fetch" else "/workspaces"
    fake.faults.add(Fault.slow(30, path=slow, times=2))
    options: dict[str, Any] = {"transport": fake.asgi_transport()}
    owned: httpx.AsyncClient | None = None
    if waiting_for == "answer_on_injected_client":
        owned = httpx.AsyncClient(transport=options.pop("transport"))
        options["http_client"] = owned
    tapd = TAPDClient(
        app_auth() if waiting_for == "token_fetch" else BASIC, "http://tapd.test",
        rate_limit=None, max_concurrency=1 if waiting_for == "concurrency_slot" else None,
        **options,
    )  # fmt: skip
    outcome = await _close_midway(tapd, 2, anyio.wait_all_tasks_blocked)
    assert [type(o) for o in outcome] == [ClientClosedError] * 2
    # Nothing went out after the close; the waiting call never did.
    assert len(fake.requests) == (2 if owned else 1)
    if waiting_for == "concurrency_slot":
        assert sorted(o.sent for o in outcome if isinstance(o, ClientClosedError)) == [False, True]
    if owned is not None:
        assert not owned.is_closed  # the caller's to close
        await owned.aclose()


async def test_closing_fails_requests_queued_for_a_connection(
    control: FakeControl, tapd_process: ServerProcess
) -> None:
    await _close_while_queued(control, tapd_process, None)


@pytest.mark.parametrize("anyio_backend", ["asyncio"], indirect=True)  # aiohttp: asyncio only
async def test_closing_fails_requests_queued_for_an_aiohttp_connection(
    control: FakeControl, tapd_process: ServerProcess
) -> None:
    await _close_while_queued(control, tapd_process, "aiohttp")


async def _close_while_queued(
    control: FakeControl, tapd_process: ServerProcess, transport: str | None
) -> None:
    """Four requests, one connection: the first in flight, three queued; then close."""
    await control.add_faults(Fault.slow(3, path="/workspaces"))
    options: dict[str, Any] = {"transport": transport} if transport else {}
    tapd = TAPDClient(
        BASIC, tapd_process.url, rate_limit=None, limits=httpx.Limits(max_connections=1),
        **options,
    )  # fmt: skip

    async def first_arrived() -> None:
        # The server is another process: ask it until the first request arrived.
        while not await control.requests():  # noqa: ASYNC110
            await anyio.sleep(0.01)

    outcome = await _close_midway(tapd, 4, first_arrived)
    assert [type(o) for o in outcome] == [ClientClosedError] * 4
    assert len(await control.requests()) == 1  # nothing went out after the close


@pytest.mark.parametrize("anyio_backend", ["asyncio"], indirect=True)  # aiohttp: asyncio only
@pytest.mark.parametrize("transport", [None, "aiohttp"])
async def test_a_post_the_server_received_is_not_sent_again(transport: str | None) -> None:
    # The server reads the request, then goes away without an answer: the POST may have
    # been done, so it is not repeated (on aiohttp too, whose library reports any
    # connection error as a connect timeout).
    received: list[bytes] = []

    async def handle(stream: anyio.abc.SocketStream) -> None:
        data = b""
        async with stream:
            while b"\r\n\r\n" not in data:
                data += await stream.receive()
            received.append(data.split(b"\r\n", 1)[0])

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)  # noqa: S610 - anyio, not Django
    options: dict[str, Any] = {"transport": transport} if transport else {}
    async with anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, handle)
        async with TAPDClient(
            BASIC, f"http://127.0.0.1:{port}", rate_limit=None,
            retry=RetryPolicy(max_attempts=3, backoff_base=0.01), **options,
        ) as tapd:  # fmt: skip
            with anyio.fail_after(10), pytest.raises(TransportError) as caught:
                await tapd.stories.create(WORKSPACE, name="once")
        tg.cancel_scope.cancel()
    await listener.aclose()
    assert len(received) == 1
    assert caught.value.sent is True


@pytest.mark.parametrize("seed", range(12))
async def test_closing_or_cancelling_at_any_moment_leaks_no_slot(seed: int) -> None:
    # Calls queued for the concurrency slot and the rate limiter, then, after a random
    # number of scheduler turns, the client is closed or the callers are cancelled:
    # nothing goes out after the close, every slot comes back, and after a cancel
    # the client still works.
    rnd = random.Random(seed)
    fake = FakeTAPD(latency=rnd.choice([0.0, 0.001]))
    tapd = TAPDClient(
        BASIC, "http://tapd.test", transport=fake.asgi_transport(),
        rate_limit=rnd.choice([None, RateLimit(500, 1.0)]), max_concurrency=rnd.choice([1, 3]),
    )  # fmt: skip
    closing = seed % 2 == 0
    outcome: list[str] = []

    async def call() -> None:
        try:
            await tapd.workspaces.get(WORKSPACE)
            outcome.append("answered")
        except ClientClosedError:
            outcome.append("closed")

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            for _ in range(rnd.randint(2, 20)):
                tg.start_soon(call)
            for _ in range(rnd.randint(0, 20)):
                await anyio.lowlevel.checkpoint()
            if closing:
                sent = len(fake.requests)  # before the close: nothing may follow it
                await tapd.aclose()
            else:
                tg.cancel_scope.cancel()
    slots = tapd.transport.concurrency
    assert slots is not None
    assert slots.borrowed_tokens == 0
    if closing:
        assert len(fake.requests) == sent  # nothing after the close
        assert set(outcome) <= {"answered", "closed"}
    else:
        with anyio.fail_after(5):
            await tapd.workspaces.get(WORKSPACE)  # the client still works
        await tapd.aclose()


@pytest.mark.parametrize("seed", range(24))
async def test_closing_at_any_moment_sends_nothing_after_with_an_app_token(seed: int) -> None:
    # With an app token, a request waits inside the send: for the token lock, or for
    # the token's answer. Woken by either, its task is already scheduled when the
    # client closes, and the cancellation only reaches it at its next checkpoint: the
    # auth flow must take one before each request goes out (the in-process transport
    # has none before the server has the request).
    rnd = random.Random(seed)
    fake = FakeTAPD(latency=rnd.choice([0.0, 0.0005]))
    owned = httpx.AsyncClient(transport=fake.asgi_transport()) if rnd.random() < 0.5 else None
    options: dict[str, Any] = (
        {"http_client": owned} if owned is not None else {"transport": fake.asgi_transport()}
    )
    tapd = TAPDClient(
        app_auth(), "http://tapd.test", rate_limit=None,
        max_concurrency=rnd.choice([None, 1, 2, 5]), **options,
    )  # fmt: skip

    async def call() -> None:
        with contextlib.suppress(ClientClosedError):
            await tapd.workspaces.get(WORKSPACE)

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            for _ in range(rnd.randint(2, 15)):
                tg.start_soon(call)
            for _ in range(rnd.randint(0, 60)):
                await anyio.lowlevel.checkpoint()
            sent = len(fake.requests)
            await tapd.aclose()
    assert [r.path for r in fake.requests[sent:]] == []  # nothing after the close
    if owned is not None:
        await owned.aclose()
