"""Retry policy and backoff arithmetic: pure decisions, no I/O.

The transport asks :meth:`RetryPolicy.delay` after each failed attempt; a ``None``
answer means "give up and raise", a number means "sleep that long, then try again".
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable

from attrs import define, field, validators

__all__ = ["RetryPolicy", "parse_retry_after"]

DEFAULT_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    ``now`` is the wall-clock time (epoch seconds) to measure an HTTP date against.
    Unparseable values give ``None``; dates in the past give ``0``.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # "inf" and "nan" parse as floats but are not a usable wait
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 7231 dates are GMT
        return None
    return max(0.0, when.timestamp() - now)


def _positive(instance: object, attribute: object, value: float) -> None:
    if value < 0:
        raise ValueError(f"{getattr(attribute, 'name', 'value')} must be >= 0, got {value!r}")


@define(frozen=True)
class RetryPolicy:
    """When and how long to retry a failed request.

    Attributes:
        max_attempts: attempts in all, the first included (1 = never retry).
        backoff_base: the first backoff ceiling in seconds; it doubles per attempt.
        backoff_cap: the largest backoff ceiling. The actual wait is drawn uniformly
            from ``[0, ceiling]`` ("full jitter"), so concurrent clients spread out.
        retry_after_cap: the longest ``Retry-After`` honoured; a longer request is
            capped to this (and a missing one falls back to backoff).
        retry_statuses: HTTP statuses worth another attempt.
        retry_methods: methods retried on any retryable failure. Others (POST) are
            retried only when the call is declared safe, or when the connection
            was never established (nothing reached the server).
    """

    max_attempts: int = field(default=4, validator=validators.ge(1))
    backoff_base: float = field(default=0.5, validator=_positive)
    backoff_cap: float = field(default=30.0, validator=_positive)
    retry_after_cap: float = field(default=120.0, validator=_positive)
    retry_statuses: frozenset[int] = field(default=DEFAULT_RETRY_STATUSES, converter=frozenset)
    retry_methods: frozenset[str] = field(default=IDEMPOTENT_METHODS, converter=frozenset)

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)

    def backoff(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Full-jitter backoff after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        return rand() * ceiling

    def may_retry_method(self, method: str, *, safe: bool) -> bool:
        """Whether a request with this method may be sent again after it may have arrived."""
        return safe or method.upper() in self.retry_methods

    def delay(
        self,
        *,
        attempt: int,
        method: str,
        safe: bool = False,
        status: int | None = None,
        connect_failed: bool = False,
        transport_failed: bool = False,
        retry_after: float | None = None,
        rand: Callable[[], float] = random.random,
    ) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to give up.

        Args:
            attempt: the number of the attempt that just failed (1-based).
            method: its HTTP method.
            safe: the caller declared the call safe to repeat (e.g. an idempotent POST).
            status: the HTTP status received, if any.
            connect_failed: no connection was made, so the request never left.
            transport_failed: the request failed without a response (timeout, reset).
            retry_after: the server's ``Retry-After`` in seconds, already parsed.
            rand: the source of jitter in ``[0, 1)``.
        """
        if attempt >= self.max_attempts:
            return None
        if connect_failed:
            pass  # nothing was sent: safe for every method
        elif transport_failed or (status is not None and status in self.retry_statuses):
            if not self.may_retry_method(method, safe=safe):
                return None
        else:
            return None
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.backoff(attempt, rand)
