"""Client-side rate limiting: a token bucket on anyio (so it works on asyncio and trio)."""

from __future__ import annotations

from collections.abc import Mapping

import anyio
from attrs import define, field, validators

from ._clock import Clock, SystemClock
from ._validate import parse_int

__all__ = ["RateLimit", "TokenBucket"]


@define(frozen=True)
class RateLimit:
    """``requests`` per ``window_seconds``; ``burst`` is how many may go at once.

    A burst comes on top of the sustained rate: over any one window, up to
    ``requests + burst - 1`` calls may be admitted. Keep the default burst of 1 for a
    server that counts a fixed window strictly (TAPD does).

    Used both to configure a client's limiter and to report the limit a server
    stated in a 429 answer. The default burst of 1 spreads requests evenly over the
    window, which a fixed-window or sliding-window server accepts without a 429.
    ``headroom`` is the share of the rate a client's limiter leaves unused (2% by
    default), so that jitter never lands one request too many in a server's window:
    at 50 requests a second, 51 evenly paced requests then span 1.02 s, and a fixed
    one-second window absorbs 20 ms of delay at the request that opens it (1% was
    measured too little on a busy 2-core machine).
    """

    requests: int = field(validator=validators.ge(1))
    window_seconds: float = field(validator=validators.gt(0))
    burst: int = field(default=1, validator=validators.ge(1), kw_only=True)
    headroom: float = field(
        default=0.02, validator=[validators.ge(0), validators.lt(0.5)], kw_only=True
    )

    @property
    def per_second(self) -> float:
        """The sustained rate in requests per second."""
        return self.requests / self.window_seconds


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    return parse_int(headers.get(name, ""))


class TokenBucket:
    """Admits calls at a sustained rate, shared by every task that uses the client.

    Scheduled as a token bucket in its "virtual scheduling" form (GCRA): each call is
    given the next slot on a timeline spaced ``1/rate`` apart, ``burst`` slots may be
    taken early, and a late wake-up from sleep does not push later slots back, so a
    paced crawl keeps the full rate instead of losing a little on every wait.
    Waiters queue on one lock, so they are admitted in arrival order.

    The bucket also learns from the server's answers (:meth:`observe`):

    - a 429 pauses it (for the server's ``Retry-After``, or the transport's backoff)
      and halves the rate; each later success gives back ``1/requests`` of the full
      rate, so the client slows down after a refusal and recovers within a window;
    - ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` are recorded
      (:attr:`server_limit`, :attr:`server_remaining`); a remaining count of 0 spends
      the burst, so the next call waits for its slot.
    """

    MIN_RATE_FACTOR = 1 / 16
    """The furthest repeated 429s slow the bucket down, as a fraction of its rate."""

    def __init__(self, limit: RateLimit, *, clock: Clock | None = None) -> None:
        self.limit = limit
        self._clock = clock or SystemClock()
        self._next_slot = self._clock.monotonic()  # the theoretical time of the next call
        self._paused_until = 0.0
        self._factor = 1.0
        self._lock = anyio.Lock()
        self.server_limit: int | None = None
        """The last ``X-RateLimit-Limit`` the server sent."""
        self.server_remaining: int | None = None
        """The last ``X-RateLimit-Remaining`` the server sent."""

    @property
    def rate(self) -> float:
        """Requests per second admitted now: the limit less its headroom, and less
        again after a 429."""
        return self.limit.per_second * (1 - self.limit.headroom) * self._factor

    @property
    def _interval(self) -> float:
        return 1.0 / self.rate

    def _spend_burst(self, now: float) -> None:
        """Make the next call wait one interval from ``now`` at the least."""
        self._next_slot = max(self._next_slot, now + self.limit.burst * self._interval)

    def _allowed_at(self, slot: float) -> float:
        """When the call given ``slot`` may go: ``burst - 1`` slots early at most."""
        return slot - (self.limit.burst - 1) * self._interval

    async def acquire(self) -> None:
        """Wait until a request may be sent, then take its slot."""
        async with self._lock:
            now = self._clock.monotonic()
            if now < self._paused_until:
                await self._clock.sleep(self._paused_until - now)
                now = self._clock.monotonic()
            slot = max(self._next_slot, now)
            allowed_at = self._allowed_at(slot)
            if allowed_at > now:
                await self._clock.sleep(allowed_at - now)
            self._next_slot = slot + self._interval

    def try_acquire(self) -> bool:
        """Take a slot if one is free now and nobody waits for one, without yielding;
        ``False``: nothing taken, :meth:`acquire` must wait."""
        if self._lock.locked():  # others wait: they go first
            return False
        now = self._clock.monotonic()
        slot = max(self._next_slot, now)
        if now < self._paused_until or self._allowed_at(slot) > now:
            return False
        self._next_slot = slot + self._interval
        return True

    def pause_for(self, seconds: float) -> None:
        """Admit nothing for ``seconds`` (after the server said 429), then start empty."""
        until = self._clock.monotonic() + max(0.0, seconds)
        self._paused_until = max(self._paused_until, until)
        self._spend_burst(self._paused_until)

    def observe(self, status: int, headers: Mapping[str, str], *, pause: float = 0.0) -> None:
        """Learn from an answer: ``headers`` with lower-case names; ``pause`` is how long
        to admit nothing after a 429."""
        self.server_limit = _header_int(headers, "x-ratelimit-limit") or self.server_limit
        remaining = _header_int(headers, "x-ratelimit-remaining")
        if remaining is not None:
            self.server_remaining = remaining
        if status == 429:
            self._factor = max(self.MIN_RATE_FACTOR, self._factor / 2)
            self.pause_for(pause)
            return
        self._factor = min(1.0, self._factor + 1 / self.limit.requests)
        if remaining == 0:
            self._spend_burst(self._clock.monotonic())

    def __repr__(self) -> str:
        return f"TokenBucket({self.limit!r})"
