"""Time, injectable: the transport, the limiters and the auth read the clock through this.

Tests pass a fake clock (``tca_tapd.testing.FakeClock``) so that backoff, Retry-After,
rate limiting and ticket timestamps are exercised without ever really waiting.
"""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

import anyio

__all__ = ["Clock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """What the SDK needs to know about time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; for durations and limiters."""

    def time(self) -> float:
        """Seconds since the epoch; for signatures and HTTP dates."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (checkpointing for cancellation even when 0)."""


class SystemClock:
    """The real clock: :func:`time.monotonic`, :func:`time.time` and :func:`anyio.sleep`."""

    def monotonic(self) -> float:
        """Seconds on the system's monotonic clock."""
        return time.monotonic()

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """Sleep on the running event loop (asyncio or trio)."""
        await anyio.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"
