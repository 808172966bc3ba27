"""jobs.wait under a fake clock shared by the client and FakeTCA: no real time passes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tca_tapd import JobFailedError, JobTimeoutError, TCAClient, TCATokenAuth
from tca_tapd.tca import JobState, TaskState
from tca_tapd.testing import TCA_API_TOKEN, FakeClock, FakeTCA, Fault

ORG, TEAM, REPO, PROJECT = "hellotca", "demo", 3, 5


class Setup:
    """A fake and a client sharing one fake clock."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.fake = FakeTCA(clock=self.clock, job_durations=(3.0, 20.0))
        self.tca = TCAClient(
            "http://tca.test",
            TCATokenAuth(TCA_API_TOKEN),
            transport=self.fake.asgi_transport(),
            clock=self.clock,
        )


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    made = Setup()
    async with made.tca:
        yield made


async def test_wait_returns_the_closed_job(setup: Setup) -> None:
    started = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    first = await setup.tca.jobs.get(ORG, TEAM, REPO, PROJECT, started.job_id)
    assert first.state == JobState.WAITING
    assert first.waiting_time == 0.0  # the seconds waited so far (captured "7.251678")
    assert (first.expire_time, first.task_num, first.tasks) == (None, 0, ())
    job = await setup.tca.jobs.wait(ORG, TEAM, REPO, PROJECT, started.job_id, poll_interval=2)
    assert job.state == JobState.CLOSED
    assert job.result_code == 0
    assert job.waiting_time == 3.0  # "3.0" on the wire
    assert job.execute_time == 20.0
    assert {t.state for t in job.tasks} == {TaskState.CLOSED}
    assert setup.clock.sleeps == [2.0] * 12  # polled every 2 s until 23 s had passed
    # The job's scan now has results.
    latest = await setup.tca.overview.latest_scan(ORG, TEAM, REPO, PROJECT)
    assert latest.job_gid == started.job_id
    assert latest.lintscan is not None


async def test_wait_raises_on_a_failure_code(setup: Setup) -> None:
    setup.fake.configure({"next_scan_result_code": 301})
    started = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    with pytest.raises(JobFailedError) as caught:
        await setup.tca.jobs.wait(ORG, TEAM, REPO, PROJECT, started.job_id, poll_interval=5)
    assert caught.value.result_code == 301
    assert caught.value.job.id == started.job_id
    # Only the next scan fails; raise_on_failure=False hands the job back instead.
    again = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    assert (await setup.tca.jobs.wait(ORG, TEAM, REPO, PROJECT, again.job_id)).result_code == 0
    failed = await setup.tca.jobs.wait(
        ORG, TEAM, REPO, PROJECT, started.job_id, raise_on_failure=False
    )
    assert failed.failed


async def test_wait_honours_the_deadline_on_the_clock(setup: Setup) -> None:
    setup.fake.configure({"job_durations": [1000, 1000]})
    started = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    with pytest.raises(JobTimeoutError) as caught:
        await setup.tca.jobs.wait(
            ORG, TEAM, REPO, PROJECT, started.job_id, poll_interval=10, timeout=25
        )
    assert setup.clock.sleeps == [10.0, 10.0, 5.0]  # never past the deadline
    assert caught.value.job is not None
    assert caught.value.job.state == JobState.WAITING
    assert caught.value.timeout == 25


async def test_cancelled_job_ends_the_wait(setup: Setup) -> None:
    started = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    await setup.tca.jobs.cancel(ORG, TEAM, REPO, PROJECT, started.job_id, "stop")
    with pytest.raises(JobFailedError):
        await setup.tca.jobs.wait(ORG, TEAM, REPO, PROJECT, started.job_id)
    assert setup.clock.sleeps == []


async def test_cancel_takes_the_answer_with_or_without_a_body(setup: Setup) -> None:
    # The server answers {"msg": "取消成功"} (its code); its renderer sends no body at
    # all when a view returns no data, so an empty 200 must do as well.
    started = await setup.tca.scans.create(ORG, TEAM, REPO, PROJECT)
    assert await setup.tca.jobs.cancel(ORG, TEAM, REPO, PROJECT, started.job_id, "a") is None
    setup.fake.faults.add(Fault(status=200, body="", content_type="", path="/cancel/$"))
    assert await setup.tca.jobs.cancel(ORG, TEAM, REPO, PROJECT, started.job_id, "b") is None
    assert setup.fake.faults.pending == 0


async def test_job_moves_waiting_running_closed_on_the_shared_clock(setup: Setup) -> None:
    ids = (ORG, TEAM, REPO, PROJECT)
    started = await setup.tca.scans.create(*ids)
    waiting = await setup.tca.jobs.get(*ids, started.job_id)
    assert (waiting.state, waiting.start_time) == (JobState.WAITING, None)
    setup.clock.advance(2.9)
    assert (await setup.tca.jobs.get(*ids, started.job_id)).state == JobState.WAITING
    setup.clock.advance(0.1)  # the 3 s of waiting are over
    running = await setup.tca.jobs.get(*ids, started.job_id)
    assert running.state == JobState.RUNNING
    assert running.waiting_time == 3.0
    assert running.start_time is not None
    assert (running.end_time, running.result_code) == (None, None)
    assert {t.state for t in running.tasks} == {TaskState.RUNNING}
    listed = await setup.tca.jobs.list(*ids, state=JobState.RUNNING).collect()
    assert [j.id for j in listed] == [started.job_id]
    setup.clock.advance(19.9)
    assert (await setup.tca.jobs.get(*ids, started.job_id)).state == JobState.RUNNING
    setup.clock.advance(0.1)  # and the 20 s of running
    closed = await setup.tca.jobs.get(*ids, started.job_id)
    assert (closed.state, closed.result_code) == (JobState.CLOSED, 0)
    assert closed.end_time is not None
    assert closed.end_time - running.start_time == timedelta(seconds=20)
    assert setup.clock.sleeps == []  # the test moved the clock; nothing slept
