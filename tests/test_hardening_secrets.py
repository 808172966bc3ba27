"""Hardening: secret hygiene with httpx's and httpcore's own DEBUG logs on, over loopback,
and the clock-skew hint on an expired TCA ticket.

The fault matrix (test_hardening_faults.py) checks every error path's logs and
exception chains for the token and Basic credentials; here: ticket auth over the same
error paths, secret query values in httpx's own request line, and the skew hint.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from tca_tapd import (
    AuthenticationError,
    DecodeError,
    NotFoundError,
    RetryPolicy,
    ServerError,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATicketAuth,
    TransportError,
    tca_ticket,
)
from tca_tapd._redact import HttpxLogRedactor
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeClock,
    FakeControl,
    Fault,
    ServerProcess,
)

from .test_hardening_faults import SECRETS, assert_no_secret, exception_texts, log_texts

ORG, TEAM, WS = "hellotca", "demo", 10104801
QUERY_SECRET = "S3CRET-QUERY-VALUE-91f2"


def debug_logging(caplog: pytest.LogCaptureFixture) -> None:
    for name in ("tca_tapd", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)


def tickets_around(now: float, *offsets: float) -> list[str]:
    """Every ticket the client could have signed within a few seconds of ``now``."""
    return [
        tca_ticket(int(now + offset) + drift, TCA_USER_ID, TCA_TOKEN)
        for offset in offsets
        for drift in range(-3, 4)
    ]


@pytest.fixture
async def tca_control(tca_process: ServerProcess) -> AsyncIterator[FakeControl]:
    control = FakeControl(tca_process.url)
    await control.reset()
    yield control
    await control.aclose()


@pytest.fixture
async def tapd_control(tapd_process: ServerProcess) -> AsyncIterator[FakeControl]:
    control = FakeControl(tapd_process.url)
    await control.reset()
    yield control
    await control.aclose()


TICKET_PATHS = [
    pytest.param(Fault.http(503, times=4), ServerError, id="503-exhausted"),
    pytest.param(Fault.reset(times=4), TransportError, id="reset-exhausted"),
    pytest.param(Fault.truncated(), DecodeError, id="truncated"),
    pytest.param(Fault.html(401), AuthenticationError, id="html-401"),
    pytest.param(None, AuthenticationError, id="expired"),
]


@pytest.mark.parametrize(("fault", "error"), TICKET_PATHS)
async def test_ticket_auth_error_paths_leak_no_ticket_or_token(
    tca_process: ServerProcess,
    tca_control: FakeControl,
    caplog: pytest.LogCaptureFixture,
    fault: Fault | None,
    error: type[Exception],
) -> None:
    debug_logging(caplog)
    offset = -5000.0 if fault is None else 0.0
    if fault is not None:
        await tca_control.add_faults(fault)
    auth = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock_offset=offset)  # the real clock
    now = time.time()
    with anyio.fail_after(10):
        async with TCAClient(tca_process.url, auth, clock=FakeClock()) as tca:
            with pytest.raises(error) as info:
                await tca.repos.get(ORG, TEAM, 4)
    secrets = [*SECRETS, TCA_TOKEN, *tickets_around(now, 0.0, offset)]
    assert_no_secret(exception_texts(info.value), secrets)
    assert_no_secret(log_texts(caplog), secrets)
    assert_no_secret([repr(auth), repr(info.value)], secrets)
    assert any(r.name == "httpcore.http11" for r in caplog.records)  # their DEBUG was on


async def test_secret_query_values_are_masked_in_httpx_own_log_line(
    tapd_process: ServerProcess, tapd_control: FakeControl, caplog: pytest.LogCaptureFixture
) -> None:
    # httpx logs "HTTP Request: GET <full URL>" at INFO; the SDK masks the secret-looking
    # query values of its own requests there too (success, an error answer, a retry).
    debug_logging(caplog)
    await tapd_control.add_faults(Fault.http(502, path="^/stories/count$"))
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    with anyio.fail_after(10):
        async with TAPDClient(
            auth, base_url=tapd_process.url, rate_limit=None, clock=FakeClock()
        ) as tapd:
            # Not a story field, so TAPD (and the fake) ignore it as a filter.
            assert await tapd.stories.count(WS, access_token=QUERY_SECRET) > 0
            with pytest.raises(NotFoundError) as info:
                await tapd.stories.count(999, api_password=QUERY_SECRET)
    texts = log_texts(caplog)
    assert_no_secret(texts, [*SECRETS, QUERY_SECRET])
    assert_no_secret(exception_texts(info.value), [*SECRETS, QUERY_SECRET])
    httpx_lines = [
        r.getMessage() for r in caplog.records if r.name == "httpx" and "/stories" in r.getMessage()
    ]
    assert len(httpx_lines) == 3  # the 502, its retry, the 404
    assert all("=[redacted]" in line for line in httpx_lines)
    assert "workspace_id=10104801" in httpx_lines[0]  # only the secret value is masked


async def test_other_clients_httpx_lines_are_left_alone(
    tapd_process: ServerProcess, tapd_control: FakeControl, caplog: pytest.LogCaptureFixture
) -> None:
    # The filter only rewrites URLs of requests the SDK sent.
    debug_logging(caplog)
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(auth, base_url=tapd_process.url, rate_limit=None):
        pass  # installs the filter
    async with httpx.AsyncClient() as plain:
        await plain.get(f"{tapd_process.url}/__fake__/stats", params={"note": "visible-value"})
    [line] = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert "note=visible-value" in line


# -- clock skew -------------------------------------------------------------------------------


async def test_an_expired_ticket_says_the_clock_may_be_skewed(
    tca_process: ServerProcess, tca_control: FakeControl
) -> None:
    skewed = TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock=lambda: time.time() - 3600)
    corrected = TCATicketAuth(
        TCA_USER_ID, TCA_TOKEN, clock=lambda: time.time() - 3600, clock_offset=3600
    )
    wrong_token = TCATicketAuth(TCA_USER_ID, "not-the-token")
    with anyio.fail_after(10):
        async with TCAClient(tca_process.url, skewed) as tca:
            with pytest.raises(AuthenticationError) as expired:
                await tca.repos.get(ORG, TEAM, 4)
        async with TCAClient(tca_process.url, corrected) as tca:
            assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
        async with TCAClient(tca_process.url, wrong_token) as tca:
            with pytest.raises(AuthenticationError) as refused:
                await tca.repos.get(ORG, TEAM, 4)
    error = expired.value
    assert (error.status_code, error.api_code, error.message) == (401, -3, "ticket过期")
    assert error.hint is not None
    assert "clock may be skewed" in str(error)
    assert "clock_offset" in str(error)
    # A wrong token is not a clock problem: no hint.
    assert refused.value.api_code == -2
    assert refused.value.hint is None
    assert "skewed" not in str(refused.value)


async def test_the_skew_window_is_the_servers(
    tca_process: ServerProcess, tca_control: FakeControl
) -> None:
    # Inside the server's window a skewed clock still works; just outside it, the hint.
    await tca_control.configure(ticket_window=60)
    options: dict[str, Any] = {"retry": RetryPolicy.never()}
    async with TCAClient(
        tca_process.url, TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock_offset=-30), **options
    ) as tca:
        assert (await tca.repos.get(ORG, TEAM, 4)).id == 4
    async with TCAClient(
        tca_process.url, TCATicketAuth(TCA_USER_ID, TCA_TOKEN, clock_offset=90), **options
    ) as tca:
        with pytest.raises(AuthenticationError, match="skewed"):
            await tca.repos.get(ORG, TEAM, 4)


def test_httpx_lines_stay_masked_while_any_request_with_the_url_runs() -> None:
    # A retry, or two tasks asking the same page, send equal URLs as distinct objects.
    # The line of each must stay masked until the last of them ends, whatever becomes
    # of the others' objects (a weak set of URL objects once lost the retry's entry
    # when the first attempt's request was collected).
    redactor = HttpxLogRedactor()
    text = f"https://tapd.example/stories?workspace_id=1&access_token={QUERY_SECRET}"

    def line(url: httpx.URL) -> str:
        record = logging.LogRecord(
            "httpx", logging.INFO, __file__, 1, "HTTP Request: %s %s", ("GET", url), None
        )
        assert redactor.filter(record)
        return record.getMessage()

    first, second = httpx.URL(text), httpx.URL(text)
    first_runs, second_runs = redactor.watching(first), redactor.watching(second)
    first_runs.__enter__()
    second_runs.__enter__()  # the retry starts before the first attempt's objects die
    first_runs.__exit__(None, None, None)
    del first, first_runs
    gc.collect()
    assert QUERY_SECRET not in line(second)
    assert QUERY_SECRET not in line(httpx.URL(text))  # equal URLs are matched too
    second_runs.__exit__(None, None, None)
    # Nothing of ours runs with this URL any more: another client's line is its own.
    assert QUERY_SECRET in line(second)
