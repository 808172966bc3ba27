"""jobs.wait's ``on_poll`` callback, under a fake clock shared by the client and FakeTCA."""

from __future__ import annotations

import pytest

from tca_tapd import JobFailedError, TCAClient, TCATokenAuth
from tca_tapd.tca import JobDetail, JobState
from tca_tapd.testing import TCA_API_TOKEN, FakeClock, FakeTCA

IDS = ("hellotca", "demo", 3, 5)


def _client(fake: FakeTCA, clock: FakeClock) -> TCAClient:
    return TCAClient(
        "http://tca.test",
        TCATokenAuth(TCA_API_TOKEN),
        transport=fake.asgi_transport(),
        clock=clock,
    )


async def test_on_poll_sees_every_detail_up_to_the_closed_one() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock, job_durations=(3.0, 6.0))
    seen: list[JobDetail] = []
    async with _client(fake, clock) as tca:
        started = await tca.scans.create(*IDS)
        job = await tca.jobs.wait(*IDS, started.job_id, poll_interval=2, on_poll=seen.append)
    assert [d.state for d in seen] == [
        JobState.WAITING,
        JobState.WAITING,
        JobState.RUNNING,
        JobState.RUNNING,
        JobState.RUNNING,
        JobState.CLOSED,
    ]
    assert seen[-1] is job
    assert clock.sleeps == [2, 2, 2, 2, 2]


async def test_on_poll_gets_the_failed_job_before_the_error() -> None:
    clock = FakeClock()
    fake = FakeTCA(clock=clock, job_durations=(0.0, 0.0))
    fake.next_scan_result_code = 101
    seen: list[JobDetail] = []
    async with _client(fake, clock) as tca:
        started = await tca.scans.create(*IDS)
        with pytest.raises(JobFailedError) as caught:
            await tca.jobs.wait(*IDS, started.job_id, on_poll=seen.append)
    assert [d.result_code for d in seen] == [101]
    assert caught.value.job is seen[0]
