"""3. Latency-bound crawl: the fake answers each request 20 ms after it arrives.

With ``C`` requests in flight the issue's ideal is ``pages / C`` rounds of 20 ms;
the SDK should stay within 1.1× of it. Two more figures put that in context:

- the rounds a TAPD crawl needs at all: the count is a request of its own, so
  ``ceil((pages + 1) / C)`` rounds for any client keeping ``C`` requests in flight;
- the rig's floor: those rounds times the fastest of a series of single round
  trips measured here (sequential, warm connection, raw aiohttp): the 20 ms plus
  what the fake's HTTP server, the timer and loopback add at the least. The SDK's
  own schedule (the count beside the first page, then windows of ``C``) takes
  ``1 + ceil((pages - 1) / C)`` rounds, or ``1 + ceil(pages / C)`` when the count
  ends a page (the page after it is asked for too, for items created before the
  first page): the floor's count for this listing either way.

Raw httpx and raw aiohttp crawls at the same concurrency are measured beside the SDK,
and one more raw aiohttp crawl that is told the number of pages beforehand: no count,
``pages / C`` rounds exactly, the issue's ideal schedule. What it takes beyond the ideal
is what this rig adds to any client.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import anyio
import httpx

from tca_tapd import TAPDClient

from ._common import (
    RAW_BASIC,
    TAPD_AUTH,
    WORKSPACE,
    Section,
    median,
    reset,
    tapd_server,
    timed,
    verdict,
)

LATENCY = 0.020
CONCURRENCY = 10
PAGE = 20


def sdk_crawl(transport: str | None) -> Callable[[str], Awaitable[int]]:
    """Every story through the SDK, ``CONCURRENCY`` pages in flight."""

    async def crawl(url: str) -> int:
        options: dict[str, Any] = {"transport": transport} if transport else {}
        async with TAPDClient(TAPD_AUTH, base_url=url, rate_limit=None, **options) as tapd:
            pager = tapd.stories.list(WORKSPACE, page_size=PAGE, prefetch=CONCURRENCY)
            async with pager.stream() as stories:
                return sum([1 async for _ in stories])

    return crawl


async def _raw_pages(
    get: Callable[[str, dict[str, Any]], Awaitable[Any]], told: int | None = None
) -> int:
    """The count (unless ``told`` it), then every page, ``CONCURRENCY`` at a time, with
    ``get`` → JSON."""
    params: dict[str, Any] = {"workspace_id": WORKSPACE}
    total = told if told is not None else (await get("/stories/count", params))["data"]["count"]
    items: list[Any] = []
    slots = anyio.Semaphore(CONCURRENCY)

    async def page(number: int) -> None:
        async with slots:
            items.extend((await get("/stories", {**params, "page": number, "limit": PAGE}))["data"])

    async with anyio.create_task_group() as tg:
        for number in range(1, math.ceil(total / PAGE) + 1):
            tg.start_soon(page, number)
    return len(items)


async def raw_crawl(url: str) -> int:
    """:func:`_raw_pages` with raw httpx."""
    async with httpx.AsyncClient(base_url=url, auth=RAW_BASIC) as client:

        async def get(path: str, params: dict[str, Any]) -> Any:
            return (await client.get(path, params=params)).json()

        return await _raw_pages(get)


def raw_aiohttp(told: int | None = None) -> Callable[[str], Awaitable[int]]:
    """:func:`_raw_pages` with raw aiohttp, the fastest client here (``told``: the
    listing's size, known beforehand, so no count is asked)."""

    async def crawl(url: str) -> int:
        pair = base64.b64encode(":".join(RAW_BASIC).encode()).decode()
        headers = {"Authorization": f"Basic {pair}"}
        async with aiohttp.ClientSession(url, headers=headers) as session:

            async def get(path: str, params: dict[str, Any]) -> Any:
                async with session.get(path, params=params) as response:
                    return await response.json()

            return await _raw_pages(get, told)

    return crawl


ORACLE = "raw aiohttp, told the listing's size (the ideal schedule)"


def crawls(stories: int) -> dict[str, Callable[[str], Awaitable[int]]]:
    """Every crawl measured, for a listing of ``stories``."""
    return {
        ORACLE: raw_aiohttp(told=stories),
        "raw aiohttp, same concurrency": raw_aiohttp(),
        "raw httpx, same concurrency": raw_crawl,
        "SDK, httpx transport": sdk_crawl(None),
        "SDK, aiohttp transport": sdk_crawl("aiohttp"),
    }


async def round_trip(url: str, times: int) -> float:
    """One request's round trip on this rig at the least: the fastest of ``times``
    sequential requests for one page, on a warm raw aiohttp connection."""
    pair = base64.b64encode(":".join(RAW_BASIC).encode()).decode()
    headers = {"Authorization": f"Basic {pair}"}
    params = {"workspace_id": WORKSPACE, "page": 1, "limit": PAGE}
    seconds: list[float] = []
    async with aiohttp.ClientSession(url, headers=headers) as session:
        for _ in range(times + 1):  # the first opens the connection: not counted
            started = anyio.current_time()
            async with session.get("/stories", params=params) as response:
                await response.read()
            seconds.append(anyio.current_time() - started)
    return min(seconds[1:])


async def _measure(url: str, rounds: int, stories: int) -> tuple[dict[str, float], float]:
    await reset(url, latency=LATENCY)
    measured = crawls(stories)
    times: dict[str, list[float]] = {name: [] for name in measured}
    for _ in range(rounds):
        for name, crawl in measured.items():
            seconds, count = await timed(lambda crawl=crawl: crawl(url))
            assert count == stories, (name, count)
            times[name].append(seconds)
    rtt = await round_trip(url, 5 if rounds == 1 else 30)
    return {name: median(values) for name, values in times.items()}, rtt


def run(smoke: bool) -> Section:
    """Measure and report."""
    stories = 200 if smoke else 2000
    rounds = 1 if smoke else 7
    with tapd_server(stories=stories) as url:
        seconds, rtt = anyio.run(_measure, url, rounds, stories)
    pages = math.ceil(stories / PAGE)
    ideal = pages / CONCURRENCY * LATENCY
    needed = math.ceil((pages + 1) / CONCURRENCY)
    floor = needed * rtt
    section = Section(
        title="3. Latency-bound crawl",
        intro=(
            f"{stories} stories in {pages} pages of {PAGE}; the fake answers each request "
            f"{LATENCY * 1000:.0f} ms after it arrives; {CONCURRENCY} in flight. "
            f"Ideal (the issue's) = {pages}/{CONCURRENCY} rounds × {LATENCY * 1000:.0f} ms "
            f"= {ideal:.3f} s. The count is a request of its own, so a crawl keeping "
            f"{CONCURRENCY} in flight needs {needed} rounds; one request's round trip on "
            f"this rig takes at least {rtt * 1000:.1f} ms (the fastest of a series, "
            f"sequential, warm connection, raw aiohttp): "
            f"no crawl at this concurrency can beat {needed} × {rtt * 1000:.1f} ms = {floor:.3f} s "
            f"(the rig's floor)."
        ),
        header=("crawl", "seconds", "÷ ideal", "÷ rig's floor"),
        rows=[
            (name, f"{value:.3f}", f"{value / ideal:.2f}×", f"{value / floor:.2f}×")
            for name, value in seconds.items()
        ],
    )
    for name in ("SDK, httpx transport", "SDK, aiohttp transport"):
        ratio = seconds[name] / ideal
        section.verdicts.append(verdict(f"{name}: wall time ÷ ideal", ratio, "≤ 1.1", ratio <= 1.1))
    reach = "out of reach here for any client" if floor > 1.1 * ideal else "within reach"
    oracle = seconds[ORACLE] / ideal
    section.notes.append(
        f"The floor alone is {floor / ideal:.2f}× the ideal on this rig, so the 1.1 target "
        f"is {reach}; the ratios to the floor show what each client adds to it. Raw "
        f"aiohttp told the listing's size beforehand (no count request, exactly "
        f"{pages}/{CONCURRENCY} rounds) took {oracle:.2f}× the ideal: that much is the rig's "
        "(the fake's HTTP server and timer, loopback, both processes on this machine's cores)."
    )
    return section
