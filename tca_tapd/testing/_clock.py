"""A fake clock for tests: sleeping advances time instantly."""

from __future__ import annotations

import anyio

__all__ = ["FakeClock"]


class FakeClock:
    """A :class:`~tca_tapd.Clock` whose ``sleep`` returns at once and moves time forward.

    Pass it as ``clock=`` to a client (backoff, Retry-After and rate limiting then
    cost no real time), ``clock=fake.time`` to :class:`~tca_tapd.TCATicketAuth`, or
    to a fake server to control what it thinks "now" is.

    Attributes:
        sleeps: every duration slept, in order, for assertions.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._epoch = float(start)
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """Seconds since the clock was made (plus every advance)."""
        return self._elapsed

    def time(self) -> float:
        """Epoch seconds: ``start`` plus the time elapsed."""
        return self._epoch + self._elapsed

    def advance(self, seconds: float) -> None:
        """Move time forward without sleeping."""
        if seconds < 0:
            raise ValueError(f"seconds must be >= 0, got {seconds!r}")
        self._elapsed += seconds

    async def sleep(self, seconds: float) -> None:
        """Record the sleep, advance time, and yield to other tasks once."""
        self.sleeps.append(seconds)
        self.advance(max(0.0, seconds))
        await anyio.lowlevel.checkpoint()

    def __repr__(self) -> str:
        return f"FakeClock(time={self.time():.3f})"
