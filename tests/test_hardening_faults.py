"""Hardening: the fault matrix, over a real loopback socket.

Every fault the fakes can inject × a list page, a get and a create, on both APIs and
both async backends: retried to success where the policy says so (attempts counted in
the fake's request log), otherwise the precise typed error; a create is never sent
twice (a refused connection is the one exception: nothing was sent). Backoff runs on
a :class:`FakeClock`, every test runs under a deadline, and every path is exercised
with DEBUG logging on, its logs and whole exception chain checked for credentials.
"""

from __future__ import annotations

import base64
import email.utils
import logging
import re
import socket
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

import anyio
import httpx
import pytest
from attrs import define

from tca_tapd import (
    APIError,
    AuthenticationError,
    ConnectError,
    DecodeError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
    TransportError,
)
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    FakeClock,
    FakeControl,
    Fault,
    ServerProcess,
)

ORG, TEAM, REPO = "hellotca", "demo", 4
WS, STORY = 10104801, "1110104801000000120"
TIMEOUT = 0.1  # the client's read timeout in the read-timeout cases (the server waits longer)

SECRETS = [
    TCA_API_TOKEN,
    TAPD_API_PASSWORD,
    base64.b64encode(f"{TAPD_API_USER}:{TAPD_API_PASSWORD}".encode()).decode(),
]


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def exception_chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    out: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is seen for seen in out):
            continue
        out.append(current)
        todo += [current.__cause__, current.__context__]
        todo += list(getattr(current, "exceptions", ()))
    return out


def assert_no_secret(texts: Iterable[str], secrets: Iterable[str] = SECRETS) -> None:
    text = "\n".join(texts)
    for secret in secrets:
        assert secret not in text, f"secret {secret[:4]}… leaked into {text[:300]!r}"


def exception_texts(exc: BaseException) -> list[str]:
    texts = ["".join(traceback.format_exception(exc))]
    for current in exception_chain(exc):
        texts += [str(current), repr(current), repr(current.args)]
        texts += [repr(value) for value in vars(current).values()]
    return texts


def log_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = []
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), record.exc_text or ""]
    return texts


# -- the operations -----------------------------------------------------------------------


@define(frozen=True)
class Op:
    """One call under test: the request it sends (for matching faults and counting)."""

    method: str
    path: str  # a regular expression searched in the request path
    call: Callable[[Any], Awaitable[Any]]
    check: Callable[[Any], bool]


async def _first_page(pager: Any) -> list[Any]:
    return list(await pager.collect(max_items=10))


TCA_OPS = {
    "list": Op(
        "GET",
        rf"/teams/{TEAM}/repos/$",
        lambda tca: _first_page(tca.repos.list(ORG, TEAM, page_size=10)),
        lambda repos: len(repos) == 10,
    ),
    "get": Op(
        "GET",
        rf"/repos/{REPO}/$",
        lambda tca: tca.repos.get(ORG, TEAM, REPO),
        lambda repo: repo.id == REPO,
    ),
    "create": Op(
        "POST",
        rf"/teams/{TEAM}/repos/$",
        lambda tca: tca.repos.create(ORG, TEAM, "https://git.example.com/hardening/x.git"),
        lambda repo: repo.scm_url.endswith("hardening/x.git"),
    ),
}

TAPD_OPS = {
    "list": Op(
        "GET",
        "^/stories$",
        lambda tapd: _first_page(tapd.stories.list(WS, page_size=10)),
        lambda stories: len(stories) == 10,
    ),
    "get": Op(
        "GET",
        "^/stories$",
        lambda tapd: tapd.stories.get(WS, STORY),
        lambda story: story.id == STORY,
    ),
    "create": Op(
        "POST",
        "^/stories$",
        lambda tapd: tapd.stories.create(WS, name="hardening"),
        lambda story: story.name == "hardening",
    ),
}


# -- the faults ---------------------------------------------------------------------------


@define(frozen=True)
class Case:
    """A fault, scripted onto the operation's request, and what must come of it.

    ``faults`` builds the faults from the client clock (HTTP dates count from it);
    ``retried`` says the GETs get through after ``times`` failed attempts while a
    create fails at once with ``error``; otherwise every operation fails with
    ``error`` after one attempt. ``sleeps`` are the exact waits, when known.
    """

    faults: Callable[[FakeClock, Op], list[Fault]]
    error: type[Exception]
    retried: bool = False
    times: int = 2
    sleeps: list[float] | None = None
    apis: tuple[str, ...] = ("tca", "tapd")
    refused: bool = False


def on(op: Op) -> dict[str, Any]:
    return {"method": op.method, "path": op.path}


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


TAPD_STRING_DATA = '{"status":1,"data":"Hello world from TAPD API, version 2","info":"success"}'
TCA_FAILED_ON_200 = '{"data":null,"code":1000,"msg":"operation failed","status_code":200}'
TAPD_INVALID_TOKEN = '{"status":422,"data":null,"info":"The access token provided is invalid"}'

CASES: dict[str, Case] = {
    **{
        str(status): Case(
            lambda clock, op, status=status: [Fault.http(status, times=2, **on(op))],
            ServerError,
            retried=True,
        )
        for status in (500, 502, 503, 504)
    },
    "429-retry-after-seconds": Case(
        lambda clock, op: [Fault.http(429, retry_after=3, times=2, **on(op))],
        RateLimitError,
        retried=True,
        sleeps=[3.0, 3.0],
    ),
    "429-retry-after-date": Case(
        # The same date twice: 7 s from the first answer, none left at the second.
        lambda clock, op: [
            Fault.http(429, retry_after=http_date(clock.time() + 7), times=2, **on(op))
        ],
        RateLimitError,
        retried=True,
        sleeps=[7.0, 0.0],
    ),
    "reset-mid-body": Case(
        lambda clock, op: [Fault.reset(times=2, **on(op))], TransportError, True
    ),
    "read-timeout": Case(
        lambda clock, op: [Fault.slow(1.0, times=1, **on(op))],
        RequestTimeoutError,
        retried=True,
        times=1,
    ),
    "connection-refused": Case(lambda clock, op: [], ConnectError, refused=True),
    "truncated-json": Case(lambda clock, op: [Fault.truncated(**on(op))], DecodeError),
    "html-401": Case(lambda clock, op: [Fault.html(401, **on(op))], AuthenticationError),
    "html-403": Case(lambda clock, op: [Fault.html(403, **on(op))], PermissionDeniedError),
    "html-502": Case(
        lambda clock, op: [Fault.html(502, times=2, **on(op))], ServerError, retried=True
    ),
    "tapd-string-data": Case(
        lambda clock, op: [Fault(status=200, body=TAPD_STRING_DATA, **on(op))],
        DecodeError,
        apis=("tapd",),
    ),
    "tapd-422-invalid-token": Case(
        lambda clock, op: [Fault(status=422, body=TAPD_INVALID_TOKEN, **on(op))],
        AuthenticationError,
        apis=("tapd",),
    ),
    "tca-code-on-200": Case(
        lambda clock, op: [Fault(status=200, body=TCA_FAILED_ON_200, **on(op))],
        APIError,
        apis=("tca",),
    ),
}

MATRIX = [
    pytest.param(api, name, op, id=f"{api}-{name}-{op}")
    for name, case in CASES.items()
    for api in case.apis
    for op in ("list", "get", "create")
]


@pytest.fixture(scope="module")
async def controls(
    tca_process: ServerProcess, tapd_process: ServerProcess
) -> AsyncIterator[dict[str, tuple[str, FakeControl]]]:
    """Both fakes' server processes: (base URL, control) by API, shared by the module."""
    out = {
        "tca": (tca_process.url, FakeControl(tca_process.url)),
        "tapd": (tapd_process.url, FakeControl(tapd_process.url)),
    }
    yield out
    for _, control in out.values():
        await control.aclose()


def make_client(api: str, base_url: str, clock: FakeClock, **options: Any) -> Any:
    if api == "tca":
        return TCAClient(base_url, TCATokenAuth(TCA_API_TOKEN), clock=clock, **options)
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    return TAPDClient(auth, base_url=base_url, rate_limit=None, clock=clock, **options)


def debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    for name in ("tca_tapd", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)


@pytest.mark.parametrize(("api", "name", "op_name"), MATRIX)
async def test_fault_matrix(
    api: str,
    name: str,
    op_name: str,
    controls: dict[str, tuple[str, FakeControl]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    debug_logging(caplog)
    case = CASES[name]
    op = (TCA_OPS if api == "tca" else TAPD_OPS)[op_name]
    base_url, control = controls[api]
    await control.reset()
    if case.refused:
        base_url = f"http://127.0.0.1:{closed_port()}"
    clock = FakeClock()
    await control.add_faults(*case.faults(clock, op))
    # Only reading times out early: a loaded machine may take longer to connect.
    timeout = httpx.Timeout(10.0, read=TIMEOUT) if name == "read-timeout" else 10.0
    outcome: Any = None
    error: BaseException | None = None
    with anyio.fail_after(10):
        async with make_client(api, base_url, clock, timeout=timeout) as client:
            try:
                outcome = await op.call(client)
            except Exception as exc:
                error = exc
    sent = [
        r
        for r in await control.requests()
        if r["method"] == op.method and re.search(op.path, r["path"])
    ]
    get = op.method == "GET"
    if case.retried and get:
        assert error is None, f"{name} on a GET should be retried to success, got {error!r}"
        assert op.check(outcome)
        assert len(sent) == case.times + 1
        assert len(clock.sleeps) == case.times
        if case.sleeps is not None:
            assert clock.sleeps == pytest.approx(case.sleeps)
    elif case.refused:
        # Nothing reached a server, so every method (POST too) is tried max_attempts times.
        assert type(error) is ConnectError
        assert sent == []
        assert len(clock.sleeps) == 3
        attempts = [r.getMessage() for r in caplog.records if "-> ConnectError" in r.getMessage()]
        assert len(attempts) == 4
    else:
        assert type(error) is case.error, f"expected {case.error.__name__}, got {error!r}"
        assert len(sent) == 1, f"sent {len(sent)} times"  # a create is never sent twice
        assert clock.sleeps == []
    if error is not None:
        assert error.__traceback__ is not None
        assert_no_secret(exception_texts(error))
        if isinstance(error, APIError | DecodeError):
            assert error.status_code is not None
        if isinstance(error, APIError) and name.startswith("tca-code"):
            assert (error.status_code, error.api_code) == (200, 1000)
    assert_no_secret(log_texts(caplog))
    sdk = [r for r in caplog.records if r.name == "tca_tapd"]
    assert sdk, "the SDK logged nothing at DEBUG"
