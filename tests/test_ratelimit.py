"""The client-side limiter: pacing, learning from the server's answers, and the TAPD defaults."""

from __future__ import annotations

import anyio
import pytest

from tca_tapd import RateLimit, RetryPolicy, TAPDBasicAuth, TAPDClient
from tca_tapd._ratelimit import TokenBucket
from tca_tapd.tapd import DEFAULT_RATE_LIMIT
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, FakeClock, FakeTAPD

WORKSPACE = 10104801


async def test_the_bucket_spaces_requests_evenly_after_its_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(10, 1.0, burst=3, headroom=0), clock=clock)
    admitted = []
    for _ in range(6):
        await bucket.acquire()
        admitted.append(round(clock.monotonic(), 6))
    assert admitted == [0.0, 0.0, 0.0, 0.1, 0.2, 0.3]


class _HeldClock(FakeClock):
    """A fake clock whose sleeps last until the test lets them end."""

    def __init__(self) -> None:
        super().__init__()
        self.woken = anyio.Event()

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await self.woken.wait()


async def test_try_acquire_takes_only_a_free_slot_and_never_jumps_the_queue() -> None:
    clock = _HeldClock()
    bucket = TokenBucket(RateLimit(10, 1.0, burst=2, headroom=0), clock=clock)
    assert [bucket.try_acquire() for _ in range(3)] == [True, True, False]  # the burst
    clock.advance(0.1)
    assert bucket.try_acquire()  # the next slot came
    assert not bucket.try_acquire()
    bucket.pause_for(1.0)
    clock.advance(0.5)
    assert not bucket.try_acquire()  # paused after a 429
    clock.advance(0.6)
    assert bucket.try_acquire()
    async with anyio.create_task_group() as tg:
        tg.start_soon(bucket.acquire)  # queued: its slot is a tenth of a second away
        await anyio.wait_all_tasks_blocked()
        clock.advance(1.0)  # every slot free again, but the queued call goes first
        assert not bucket.try_acquire()
        clock.woken.set()
    assert clock.sleeps == [pytest.approx(0.1)]
    assert bucket.try_acquire()


async def test_a_429_pauses_halves_the_rate_and_successes_recover_it() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(4, 1.0, headroom=0), clock=clock)
    await bucket.acquire()
    bucket.observe(429, {}, pause=2.0)
    assert bucket.rate == pytest.approx(2.0)
    await bucket.acquire()  # waits out the pause, then a token at 2/s
    assert clock.monotonic() == pytest.approx(2.5)
    for _ in range(2):
        bucket.observe(200, {})
    assert bucket.rate == pytest.approx(4.0)  # 1/4 of the rate back per success, capped
    bucket.observe(200, {})
    assert bucket.rate == pytest.approx(4.0)


async def test_repeated_429s_slow_down_to_a_floor() -> None:
    bucket = TokenBucket(RateLimit(60, 60.0, headroom=0), clock=FakeClock())
    for _ in range(10):
        bucket.observe(429, {}, pause=0.0)
    assert bucket.rate == pytest.approx(1.0 * TokenBucket.MIN_RATE_FACTOR)


async def test_rate_limit_headers_are_recorded_and_zero_remaining_empties_the_bucket() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(10, 1.0, burst=5, headroom=0), clock=clock)
    bucket.observe(200, {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "7"})
    assert (bucket.server_limit, bucket.server_remaining) == (100, 7)
    await bucket.acquire()
    assert clock.monotonic() == 0.0  # burst still available
    bucket.observe(200, {"x-ratelimit-remaining": "0"})
    assert bucket.server_remaining == 0
    assert bucket.server_limit == 100  # kept when a later answer omits it
    await bucket.acquire()
    assert clock.monotonic() == pytest.approx(0.1)  # no burst: one token interval


async def test_late_wake_ups_do_not_slow_a_paced_crawl_down() -> None:
    # Every sleep overshoots by 30% of an interval; the schedule still holds, because
    # each slot is placed after the previous slot, not after the previous wake-up.
    class LateClock(FakeClock):
        async def sleep(self, seconds: float) -> None:
            await super().sleep(seconds + 0.03 if seconds > 0 else seconds)

    clock = LateClock()
    bucket = TokenBucket(RateLimit(10, 1.0, headroom=0), clock=clock)
    for _ in range(101):
        await bucket.acquire()
    assert clock.monotonic() == pytest.approx(10.03)  # 100 intervals + one late wake-up


async def test_the_default_headroom_holds_back_two_percent() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(100, 1.0), clock=clock)
    assert bucket.rate == pytest.approx(98.0)
    for _ in range(100):
        await bucket.acquire()
    assert clock.monotonic() == pytest.approx(99 / 98.0)


def test_rate_limit_values_are_validated() -> None:
    with pytest.raises(ValueError, match="requests"):
        RateLimit(0, 60.0)
    with pytest.raises(ValueError, match="window_seconds"):
        RateLimit(10, 0)
    with pytest.raises(ValueError, match="burst"):
        RateLimit(10, 1.0, burst=0)
    with pytest.raises(ValueError, match="headroom"):
        RateLimit(10, 1.0, headroom=0.5)


def test_tapd_clients_throttle_to_60_per_minute_by_default_and_can_opt_out() -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    assert RateLimit(60, 60.0) == DEFAULT_RATE_LIMIT
    default = TAPDClient(auth, base_url="http://tapd.test")
    assert default.transport.rate_limiter is not None
    assert default.transport.rate_limiter.limit == RateLimit(60, 60.0)
    assert (
        TAPDClient(auth, base_url="http://tapd.test", rate_limit=None).transport.rate_limiter
        is None
    )
    custom = TAPDClient(auth, base_url="http://tapd.test", rate_limit=RateLimit(600, 600.0))
    assert custom.transport.rate_limiter is not None
    assert custom.transport.rate_limiter.limit == RateLimit(600, 600.0)


async def test_the_default_limit_never_trips_the_documented_server_limit() -> None:
    # The fake enforces TAPD's documented default (60 requests a minute) on the same clock.
    clock = FakeClock()
    fake = FakeTAPD(clock=clock, rate_limit=(60, 60.0))
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url="http://tapd.test", transport=fake.asgi_transport(), clock=clock,
        retry=RetryPolicy.never(),
    ) as tapd:  # fmt: skip
        for _ in range(150):
            assert await tapd.stories.count(WORKSPACE) == 120
        assert tapd.transport.rate_limiter is not None
        assert tapd.transport.rate_limiter.server_limit == 60
    assert len(fake.requests) == 150
    # One a second less the 2% headroom: 150 requests in 149 s / 0.98.
    assert clock.monotonic() == pytest.approx(149.0 / 0.98)


async def test_a_client_faster_than_the_server_slows_down_after_429s_and_finishes() -> None:
    clock = FakeClock()
    fake = FakeTAPD(clock=clock, rate_limit=(10, 10.0), retry_after_on_429=True)
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url="http://tapd.test", transport=fake.asgi_transport(), clock=clock,
        rate_limit=RateLimit(5, 1.0), retry=RetryPolicy(max_attempts=10),
    ) as tapd:  # fmt: skip
        for _ in range(40):
            assert await tapd.stories.count(WORKSPACE) == 120
    refused = len(fake.requests) - 40
    assert 0 < refused <= 4  # one 429 per server window at most, not one per request
    assert clock.monotonic() >= 30.0  # 40 accepted at 10 per 10 s: three windows waited out
