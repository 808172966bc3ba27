"""Closing a client: requests in flight and later ones fail with ClientClosedError."""

from __future__ import annotations

import anyio
import pytest

from tca_tapd import ClientClosedError, TAPDBasicAuth, TAPDClient, TCAClient, TCATokenAuth
from tca_tapd.testing import (
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    TCA_API_TOKEN,
    FakeTAPD,
    FakeTCA,
    serve_in_thread,
)

AUTH = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)


async def test_closing_the_client_fails_requests_in_flight_with_a_typed_error() -> None:
    fake = FakeTAPD(latency=1.0)  # long enough for the request to be in flight
    with serve_in_thread(fake) as url:
        tapd = TAPDClient(AUTH, base_url=url, rate_limit=None)
        errors: list[BaseException] = []

        async def call() -> None:
            try:
                await tapd.stories.count(10104801)
            except Exception as exc:
                errors.append(exc)

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                tg.start_soon(call)
                while fake.in_flight == 0:  # noqa: ASYNC110 - the server is another thread
                    await anyio.sleep(0.005)
                await tapd.aclose()
        [error] = errors
        assert isinstance(error, ClientClosedError)
        assert "while the request was in flight" in str(error)
        assert len(fake.requests) == 1  # failed at once, not retried


async def test_a_closed_client_refuses_new_requests_without_sending() -> None:
    fake = FakeTAPD()
    tapd = TAPDClient(
        AUTH, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    )
    await tapd.aclose()
    with pytest.raises(ClientClosedError, match="closed"):
        await tapd.stories.count(10104801)
    assert fake.requests == []


async def test_closing_the_client_ends_a_job_wait_between_two_polls() -> None:
    fake = FakeTCA(job_durations=(3600.0, 3600.0))  # the job stays open
    tca = TCAClient("http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport())
    ids = ("hellotca", "demo", 3, 5)
    started = await tca.scans.create(*ids)
    polled = anyio.Event()
    errors: list[BaseException] = []

    async def wait() -> None:
        try:
            await tca.jobs.wait(
                *ids, started.job_id, poll_interval=3600, on_poll=lambda _: polled.set()
            )
        except Exception as exc:
            errors.append(exc)

    with anyio.fail_after(10):  # the poll interval is an hour: only the close ends it
        async with anyio.create_task_group() as tg:
            tg.start_soon(wait)
            await polled.wait()
            polls = len(fake.requests)
            await anyio.wait_all_tasks_blocked()  # asleep between two polls
            await tca.aclose()
    [error] = errors
    assert isinstance(error, ClientClosedError)
    assert error.sent is False
    assert f"/jobs/{started.job_id}/detail/" in str(error)
    assert len(fake.requests) == polls  # no poll after the close
