"""4. Rate-bound crawl: the fake allows N requests per window and answers 429 beyond.

The SDK is given the same limit (``RateLimit(N, window)``) and retries switched
off, so every 429 is seen and counted (the run goes on after one); the figure is
the rate reached as a share of N per window.
"""

from __future__ import annotations

import time

import anyio

from tca_tapd import RateLimit, RateLimitError, RetryPolicy, TAPDClient

from ._common import TAPD_AUTH, WORKSPACE, Section, reset, tapd_server, verdict


async def _measure(url: str, limit: int, window: float, windows: int) -> tuple[int, float, int]:
    await reset(url, rate_limit=[limit, window])
    requests = limit * windows
    async with TAPDClient(
        TAPD_AUTH,
        base_url=url,
        rate_limit=RateLimit(limit, window),
        retry=RetryPolicy.never(),  # every 429 raises: counted
    ) as tapd:
        refused = 0
        started = time.perf_counter()
        for _ in range(requests):
            try:
                await tapd.stories.count(WORKSPACE)
            except RateLimitError:
                refused += 1
        elapsed = time.perf_counter() - started
    await reset(url)
    return requests, elapsed, refused


def run(smoke: bool) -> Section:
    """Measure and report."""
    limit, window, windows = (10, 0.5, 1) if smoke else (50, 1.0, 6)
    with tapd_server(stories=10) as url:
        requests, elapsed, refused = anyio.run(_measure, url, limit, window, windows)
    # n requests paced evenly take (n - 1) intervals of window/limit.
    reached = (requests - 1) / elapsed / (limit / window)
    return Section(
        title="4. Rate-bound crawl",
        intro=(
            f"The fake allows {limit} requests per {window:g} s per credential; the SDK "
            f"sends {requests} requests with the same limit and retries off."
        ),
        header=("requests", "seconds", "429 answers", "share of the allowed rate"),
        rows=[(str(requests), f"{elapsed:.2f}", str(refused), f"{reached:.1%}")],
        verdicts=[
            verdict(
                "share of the allowed rate",
                reached,
                "≥ 0.97, zero 429s",
                reached >= 0.97 and refused == 0,
            )
        ],
    )
