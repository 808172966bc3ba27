"""The fan-out crawler: one concurrency budget, every item once, progress, both error modes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio
import pytest

from tca_tapd import AsyncPager, NotFoundError, OffsetPagination, TAPDBasicAuth, TAPDClient
from tca_tapd.crawl import Crawl, CrawlProgress, crawl
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER

from .conftest import Target


class Sources:
    """In-memory listings sharing one in-flight counter; ``fail`` maps a source to the
    offset at which it fails, ``block`` makes every request wait forever."""

    def __init__(self, sizes: Mapping[str, int], *, fail: Mapping[str, int] | None = None) -> None:
        self.sizes = dict(sizes)
        self.fail = dict(fail or {})
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.block = False
        self.cancelled = 0

    def items(self, key: str) -> list[str]:
        return [f"{key}-{i}" for i in range(self.sizes[key])]

    def pager(self, key: str, limit: int = 10, prefetch: int = 1) -> AsyncPager[str]:
        async def fetch(params: Mapping[str, int]) -> Any:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if self.block:
                    try:
                        await anyio.sleep_forever()
                    except anyio.get_cancelled_exc_class():
                        self.cancelled += 1
                        raise
                for _ in range(3):
                    await anyio.lowlevel.checkpoint()
                offset = params["offset"]
                if self.fail.get(key) == offset:
                    raise NotFoundError(f"{key} vanished", status_code=404)
                chunk = self.items(key)[offset : offset + params["limit"]]
                return {"count": self.sizes[key], "results": chunk}
            finally:
                self.in_flight -= 1

        return AsyncPager(fetch, OffsetPagination(limit=limit), list, prefetch=prefetch)

    def pagers(self, prefetch: int = 1) -> dict[str, AsyncPager[str]]:
        return {key: self.pager(key, prefetch=prefetch) for key in self.sizes}


async def test_every_item_arrives_once_with_its_source_and_in_source_order() -> None:
    sources = Sources({"a": 35, "b": 0, "c": 10, "d": 101, "e": 7})
    got: dict[str, list[str]] = {key: [] for key in sources.sizes}
    with anyio.fail_after(10):
        async with crawl(sources.pagers(), concurrency=2) as results:
            async for key, item in results:
                got[key].append(item)
    assert got == {key: sources.items(key) for key in sources.sizes}
    assert sources.max_in_flight == 2  # the budget was used, and never exceeded
    assert results.errors == []


async def test_progress_counts_pages_items_and_sources() -> None:
    sources = Sources({"a": 35, "b": 20, "c": 0})
    seen: list[CrawlProgress] = []
    async with crawl(sources.pagers(), concurrency=3, progress=seen.append) as results:
        items = [item async for _, item in results]
    final = results.progress
    assert final == seen[-1]
    assert (final.sources, final.sources_done, final.errors) == (3, 3, 0)
    assert final.items == len(items) == 55
    assert final.pages == 4 + 2 + 1
    assert final.pages_expected == 7
    assert [p.items for p in seen] == sorted(p.items for p in seen)  # never goes back


async def test_on_error_raise_stops_everything_and_raises_the_error_itself() -> None:
    sources = Sources({"a": 50, "bad": 50, "c": 50}, fail={"bad": 20})

    async def drain() -> None:
        async with crawl(sources.pagers(), concurrency=3) as results:
            async for _ in results:
                pass

    with anyio.fail_after(10), pytest.raises(NotFoundError, match="bad vanished"):
        await drain()
    assert sources.in_flight == 0


async def test_on_error_continue_records_the_failure_and_finishes_the_rest() -> None:
    sources = Sources({"a": 50, "bad": 50, "c": 25}, fail={"bad": 20})
    got: dict[str, list[str]] = {"a": [], "bad": [], "c": []}
    async with crawl(sources.pagers(), concurrency=2, on_error="continue") as results:
        async for key, item in results:
            got[key].append(item)
    assert got["a"] == sources.items("a")
    assert got["c"] == sources.items("c")
    assert got["bad"] == sources.items("bad")[:20]  # what came before the failure
    [failure] = results.errors
    assert failure.source == "bad"
    assert isinstance(failure.error, NotFoundError)
    assert failure.items_before == 20
    assert (results.progress.errors, results.progress.sources_done) == (1, 3)


async def test_leaving_the_block_early_cancels_every_request_in_flight() -> None:
    sources = Sources({"a": 10, "b": 10, "c": 10, "d": 10})
    sources.block = True
    with anyio.fail_after(10):
        async with crawl(sources.pagers(), concurrency=3):
            while sources.in_flight < 3:
                await anyio.lowlevel.checkpoint()
    assert sources.cancelled == 3
    assert sources.in_flight == 0


async def test_pairs_work_as_sources_and_keys_may_repeat_kinds() -> None:
    sources = Sources({"x": 12, "y": 3})
    pairs = [(("repo", 1), sources.pager("x", limit=5)), (("repo", 2), sources.pager("y"))]
    async with crawl(pairs, concurrency=1) as results:
        got = [(key, item) async for key, item in results]
    assert [key for key, _ in got] == [("repo", 1)] * 12 + [("repo", 2)] * 3


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"concurrency": 0}, ValueError, "concurrency"),
        ({"concurrency": True}, ValueError, "concurrency"),
        ({"on_error": "ignore"}, ValueError, "on_error"),
    ],
)
async def test_bad_arguments_are_refused_before_anything_runs(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    sources = Sources({"a": 5})
    with pytest.raises(error, match=match):
        async with crawl(sources.pagers(), **kwargs):
            pass
    assert sources.requests == 0


async def test_a_source_that_is_not_a_pager_is_refused() -> None:
    with pytest.raises(TypeError, match="'w' must be an AsyncPager"):
        async with crawl({"w": [1, 2, 3]}):  # type: ignore[dict-item]
            pass


async def test_crawl_the_stories_of_several_workspaces(tapd_target: Target) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    workspaces = [10104801, 755, 20375102]
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        direct = {ws: [s.id for s in await tapd.stories.list(ws).collect()] for ws in workspaces}
        got: dict[int, list[str]] = {ws: [] for ws in workspaces}
        pagers = {ws: tapd.stories.list(ws, page_size=50) for ws in workspaces}
        async with crawl(pagers, concurrency=2) as results:
            async for ws, story in results:
                got[ws].append(story.id)
    assert got == direct
    assert sum(len(ids) for ids in got.values()) == 360


async def test_the_budget_counts_requests_when_sources_prefetch() -> None:
    # A source reads with its pager's prefetch, but every request of every source
    # takes a share of the one budget.
    sources = Sources({"a": 100, "b": 100, "c": 35})
    with anyio.fail_after(10):
        async with crawl(sources.pagers(prefetch=4), concurrency=3) as results:
            got = [(key, item) async for key, item in results]
    assert sorted(got) == sorted((key, item) for key in "abc" for item in sources.items(key))
    assert sources.max_in_flight == 3


async def test_the_budget_counts_tapd_counts_and_prefetched_pages(tapd_target: Target) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    await tapd_target.control.configure(latency=0.005)  # so that requests overlap
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, transport=tapd_target.transport
    ) as tapd:
        pagers = {ws: tapd.stories.list(ws, page_size=20, prefetch=4) for ws in (10104801, 755)}
        with anyio.fail_after(20):
            async with crawl(pagers, concurrency=2) as results:
                count = sum([1 async for _ in results])
    assert count == 2 * 120
    stats = await tapd_target.control.stats()
    assert stats["max_in_flight"] == 2


async def test_a_failed_source_counts_the_pages_it_delivered_as_expected() -> None:
    sources = Sources({"a": 50, "bad": 50}, fail={"bad": 20})
    async with crawl(sources.pagers(), concurrency=2, on_error="continue") as results:
        async for _ in results:
            pass
    final = results.progress
    assert (final.sources_done, final.errors, final.pages) == (2, 1, 5 + 2)
    assert final.pages_expected == final.pages  # everything is done: nothing more to come


async def test_a_second_loop_goes_on_where_the_first_left_off() -> None:
    sources = Sources({"a": 30})
    got: list[str] = []
    async with crawl(sources.pagers(), concurrency=1) as results:
        async for _, item in results:
            got.append(item)
            if len(got) == 3:
                break
        async for _, item in results:
            got.append(item)
    assert got == sources.items("a")


async def test_an_error_of_the_progress_callback_is_raised_not_blamed_on_a_source() -> None:
    sources = Sources({"a": 30})
    crawls: list[Crawl[str, str]] = []

    def on_progress(state: CrawlProgress) -> None:
        raise RuntimeError("bug in my progress bar")

    async def run() -> None:
        async with crawl(sources.pagers(), on_error="continue", progress=on_progress) as results:
            crawls.append(results)
            async for _ in results:
                pass

    with pytest.raises(RuntimeError, match="progress bar"):
        await run()
    assert crawls[0].errors == []


async def test_progress_reports_the_failure_that_stops_the_crawl() -> None:
    sources = Sources({"bad": 50}, fail={"bad": 20})
    seen: list[CrawlProgress] = []

    async def run() -> None:
        async with crawl(sources.pagers(), concurrency=1, progress=seen.append) as results:
            async for _ in results:
                pass

    with pytest.raises(NotFoundError):
        await run()
    assert (seen[-1].errors, seen[-1].sources_done, seen[-1].items) == (1, 1, 20)


def _fail_with_a_cause() -> None:
    try:
        {}["missing"]
    except KeyError as exc:
        raise ValueError("my own error") from exc


async def test_an_error_raised_in_the_block_keeps_its_own_cause() -> None:
    sources = Sources({"a": 30})

    async def in_crawl() -> None:
        async with crawl(sources.pagers()) as results:
            async for _ in results:
                _fail_with_a_cause()

    async def in_stream() -> None:
        async with sources.pager("a").stream() as items:
            async for _ in items:
                _fail_with_a_cause()

    for block in (in_crawl, in_stream):
        with pytest.raises(ValueError, match="my own") as info:
            await block()
        assert isinstance(info.value.__cause__, KeyError)
