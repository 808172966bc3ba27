"""The pager: page styles as pure data, AsyncPager over in-memory listings, and end to end.

The in-memory listings below are hand-written servers (``fetch`` coroutines) that
record every request they get and how many are in flight at once; the pager under
test is the real one.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from contextlib import aclosing
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from tca_tapd import (
    AsyncPager,
    OffsetPagination,
    Page,
    PageNumberPagination,
    StructureError,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
)
from tca_tapd.pagination import RawPage
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, TCA_API_TOKEN

from .conftest import Target

WORKSPACE = 10104801


# -- page styles: pure ------------------------------------------------------------------


class TestOffsetPagination:
    def test_params_carry_limit_and_the_given_offset(self) -> None:
        style = OffsetPagination(limit=25)
        assert style.params(0, 0) == {"limit": 25, "offset": 0}
        # The offset is what the pager says (items really received), not index * limit.
        assert style.params(3, 42) == {"limit": 25, "offset": 42}

    def test_default_limit(self) -> None:
        assert OffsetPagination().limit == 100

    @pytest.mark.parametrize("limit", [0, -1, 1001])
    def test_limit_out_of_range_is_refused(self, limit: int) -> None:
        with pytest.raises(ValueError, match="limit"):
            OffsetPagination(limit=limit)

    def test_read_count_and_results(self) -> None:
        payload = {"count": 7, "next": "http://internal/x?offset=3", "results": [1, 2, 3]}
        raw = OffsetPagination().read(payload)
        assert list(raw.items) == [1, 2, 3]
        assert raw.total == 7
        assert raw.final is False

    @pytest.mark.parametrize("count", [None, "7", True, 7.0])
    def test_read_ignores_a_count_that_is_not_an_int(self, count: Any) -> None:
        payload: dict[str, Any] = {"results": [1]}
        if count is not None:
            payload["count"] = count
        assert OffsetPagination().read(payload).total is None

    def test_read_bare_list_is_the_final_page(self) -> None:
        raw = OffsetPagination().read(["a", "b"])
        assert list(raw.items) == ["a", "b"]
        assert raw.total == 2
        assert raw.final is True

    @pytest.mark.parametrize("payload", ["text", None, 3, {"count": 1}, {"results": "x"}])
    def test_read_refuses_other_shapes(self, payload: Any) -> None:
        with pytest.raises(TypeError, match="page payload must be"):
            OffsetPagination().read(payload)

    def test_has_more(self) -> None:
        style = OffsetPagination(limit=2)
        # A known total decides.
        assert style.has_more(RawPage(items=[1, 2], total=5), seen=2) is True
        assert style.has_more(RawPage(items=[1, 2], total=4), seen=4) is False
        # A short page before the total: the total still decides (the server may cap).
        assert style.has_more(RawPage(items=[1], total=5), seen=1) is True
        # No total: a full page means maybe more, a short one means the end.
        assert style.has_more(RawPage(items=[1, 2]), seen=2) is True
        assert style.has_more(RawPage(items=[1]), seen=3) is False
        # Empty or final pages end the listing whatever the total says.
        assert style.has_more(RawPage(items=[], total=10), seen=4) is False
        assert style.has_more(RawPage(items=[1, 2], total=10, final=True), seen=2) is False


class TestPageNumberPagination:
    def test_params_number_pages_from_one(self) -> None:
        style = PageNumberPagination(limit=50)
        assert style.params(0, 0) == {"page": 1, "limit": 50}
        assert style.params(2, 999) == {"page": 3, "limit": 50}

    def test_default_limit_is_tapds_maximum(self) -> None:
        assert PageNumberPagination().limit == 200

    @pytest.mark.parametrize("limit", [0, 201])
    def test_limit_out_of_range_is_refused(self, limit: int) -> None:
        with pytest.raises(ValueError, match="limit"):
            PageNumberPagination(limit=limit)

    def test_read_bare_list(self) -> None:
        raw = PageNumberPagination().read([{"Story": {}}])
        assert len(raw.items) == 1
        assert raw.total is None
        assert raw.final is False

    @pytest.mark.parametrize("payload", [{"results": []}, "Hello world", None])
    def test_read_refuses_other_shapes(self, payload: Any) -> None:
        with pytest.raises(TypeError, match="a list"):
            PageNumberPagination().read(payload)

    def test_has_more(self) -> None:
        style = PageNumberPagination(limit=3)
        assert style.has_more(RawPage(items=[1, 2, 3]), seen=3) is True
        assert style.has_more(RawPage(items=[1, 2]), seen=5) is False
        assert style.has_more(RawPage(items=[]), seen=3) is False
        assert style.has_more(RawPage(items=[1, 2, 3], total=6), seen=3) is True
        # A full page at or past the total reads on: the count was taken before the
        # pages, and items added in between push the oldest past it.
        assert style.has_more(RawPage(items=[1, 2, 3], total=6), seen=6) is True
        assert style.has_more(RawPage(items=[1, 2, 3], total=5), seen=6) is True
        assert style.has_more(RawPage(items=[1, 2], total=5), seen=6) is False
        assert style.has_more(RawPage(items=[1, 2, 3], total=9, final=True), seen=3) is False


# -- AsyncPager over in-memory listings ---------------------------------------------------


class Listing:
    """A hand-written list endpoint: offset or page-number paging over ``size`` items.

    ``cap`` is the most items the server sends per page whatever was asked;
    ``with_count`` puts ``count`` into offset pages; ``bare`` answers a plain list.
    Every request is recorded, and the most requests ever in flight is tracked.
    ``delays`` maps a request's offset to how many scheduler turns it takes.
    """

    def __init__(
        self,
        size: int,
        *,
        cap: int | None = None,
        with_count: bool = True,
        bare: bool = False,
        delays: Mapping[int, int] | None = None,
    ) -> None:
        self.items = [f"item-{i:03d}" for i in range(size)]
        self.cap = cap
        self.with_count = with_count
        self.bare = bare
        self.delays = dict(delays or {})
        self.calls: list[dict[str, int]] = []
        self.count_calls = 0
        self.in_flight_beside_count = 0  # the most page requests seen while counting
        self.in_flight = 0
        self.max_in_flight = 0
        self.completed = 0

    def _window(self, params: Mapping[str, int]) -> tuple[int, int]:
        limit = params["limit"]
        if self.cap is not None:
            limit = min(limit, self.cap)
        if "offset" in params:
            return params["offset"], limit
        return (params["page"] - 1) * limit, limit

    async def fetch(self, params: Mapping[str, int]) -> Any:
        self.calls.append(dict(params))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            start, limit = self._window(params)
            for _ in range(self.delays.get(start, 2)):
                await anyio.lowlevel.checkpoint()
            # A view without pagination ignores the paging parameters.
            chunk = self.items if self.bare else self.items[start : start + limit]
            self.completed += 1
            if self.bare or "page" in params:
                return list(chunk)
            payload: dict[str, Any] = {"results": list(chunk), "next": "http://internal/"}
            if self.with_count:
                payload["count"] = len(self.items)
            return payload
        finally:
            self.in_flight -= 1

    async def count(self) -> int:
        self.count_calls += 1
        for _ in range(2):
            await anyio.lowlevel.checkpoint()
            self.in_flight_beside_count = max(self.in_flight_beside_count, self.in_flight)
        return len(self.items)


def structure(items: Sequence[Any]) -> list[str]:
    return [str(item).upper() for item in items]


def expected(listing: Listing, n: int | None = None) -> list[str]:
    return [item.upper() for item in listing.items[:n]]


def offset_pager(listing: Listing, limit: int, *, prefetch: int = 1) -> AsyncPager[str]:
    return AsyncPager(listing.fetch, OffsetPagination(limit=limit), structure, prefetch=prefetch)


def page_pager(
    listing: Listing, limit: int, *, prefetch: int = 1, counted: bool = True
) -> AsyncPager[str]:
    return AsyncPager(
        listing.fetch,
        PageNumberPagination(limit=limit),
        structure,
        count=listing.count if counted else None,
        prefetch=prefetch,
    )


async def drain(pager: AsyncPager[str]) -> list[str]:
    with anyio.fail_after(5):
        return [item async for item in pager]


async def test_nothing_is_sent_until_iteration_and_each_iteration_starts_afresh() -> None:
    listing = Listing(15)
    pager = offset_pager(listing, 10)
    assert listing.calls == []
    assert await drain(pager) == expected(listing)
    assert await drain(pager) == expected(listing)
    assert [c["offset"] for c in listing.calls] == [0, 10, 0, 10]


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_offset_empty_listing_is_one_request(prefetch: int) -> None:
    listing = Listing(0)
    assert await drain(offset_pager(listing, 10, prefetch=prefetch)) == []
    assert listing.calls == [{"limit": 10, "offset": 0}]


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_page_number_empty_listing(prefetch: int) -> None:
    listing = Listing(0)
    assert await drain(page_pager(listing, 10, prefetch=prefetch)) == []
    assert listing.calls == [{"page": 1, "limit": 10}]


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize(("prefetch", "counted"), [(1, False), (3, False), (3, True)])
@pytest.mark.parametrize(("size", "sizes"), [(30, [10, 10, 10]), (25, [10, 10, 5]), (0, [0])])
async def test_the_empty_page_that_ends_a_listing_is_not_handed_out(
    size: int, sizes: list[int], prefetch: int, counted: bool, streamed: bool
) -> None:
    # A whole number of pages is followed by an empty one (asked for to be sure), but
    # pages() and stream_pages() give only pages with items; an empty listing, its one
    # empty page.
    listing = Listing(size)
    pager = page_pager(listing, 10, prefetch=prefetch, counted=counted)
    with anyio.fail_after(5):
        if streamed:
            async with pager.stream_pages() as pages:
                got = [page async for page in pages]
        else:
            got = [page async for page in pager.pages()]
    assert [len(page.items) for page in got] == sizes
    assert [page.index for page in got] == list(range(len(sizes)))
    if size == 30:
        assert sorted(c["page"] for c in listing.calls) == [1, 2, 3, 4]


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_offset_single_page(prefetch: int) -> None:
    listing = Listing(4)
    assert await drain(offset_pager(listing, 10, prefetch=prefetch)) == expected(listing)
    assert len(listing.calls) == 1


@pytest.mark.parametrize(
    ("size", "limit", "offsets"),
    [
        (30, 10, [0, 10, 20]),  # exact multiple, count known: no trailing empty request
        (25, 10, [0, 10, 20]),  # short last page
        (10, 10, [0]),
        (11, 10, [0, 10]),
        (3, 1, [0, 1, 2]),
    ],
)
async def test_offset_pages_with_count(size: int, limit: int, offsets: list[int]) -> None:
    listing = Listing(size)
    assert await drain(offset_pager(listing, limit)) == expected(listing)
    assert listing.calls == [{"limit": limit, "offset": o} for o in offsets]


@pytest.mark.parametrize(
    ("size", "offsets"),
    [
        (30, [0, 10, 20, 30]),  # exact multiple without a count: one empty page ends it
        (25, [0, 10, 20]),  # the short page ends it
        (0, [0]),
    ],
)
async def test_offset_pages_without_count(size: int, offsets: list[int]) -> None:
    listing = Listing(size, with_count=False)
    assert await drain(offset_pager(listing, 10)) == expected(listing)
    assert [c["offset"] for c in listing.calls] == offsets


@pytest.mark.parametrize("prefetch", [1, 2, 4])
async def test_offset_server_capping_the_page_size(prefetch: int) -> None:
    # Asked for 10, the server sends at most 4: offsets follow what was received.
    listing = Listing(25, cap=4)
    items = await drain(offset_pager(listing, 10, prefetch=prefetch))
    assert items == expected(listing)
    assert len(set(items)) == 25
    assert sorted(c["offset"] for c in listing.calls) == [0, 4, 8, 12, 16, 20, 24]
    assert all(c["limit"] == 10 for c in listing.calls)


async def test_offset_bare_list_is_a_single_page() -> None:
    # A full "page" (7 items >= limit 5) that is a bare list still ends the listing.
    listing = Listing(7, bare=True)
    assert await drain(offset_pager(listing, 5, prefetch=3)) == expected(listing)
    assert len(listing.calls) == 1


@pytest.mark.parametrize(
    ("size", "pages"),
    [
        (30, [1, 2, 3, 4]),  # exact multiple, no total: an empty 4th page ends it
        (25, [1, 2, 3]),
        (9, [1]),
    ],
)
async def test_page_number_sequential(size: int, pages: list[int]) -> None:
    listing = Listing(size)
    assert await drain(page_pager(listing, 10)) == expected(listing)
    assert listing.calls == [{"page": p, "limit": 10} for p in pages]
    assert listing.count_calls == 0  # the count call is only made to prefetch


# A count that ends a page plans the page after it too (empty unless the listing grew).
@pytest.mark.parametrize(("size", "pages"), [(30, 4), (25, 3), (120, 13), (10, 2), (1, 1)])
async def test_page_number_prefetched_with_count(size: int, pages: int) -> None:
    listing = Listing(size)
    assert await drain(page_pager(listing, 10, prefetch=4)) == expected(listing)
    assert listing.count_calls == 1
    assert sorted(c["page"] for c in listing.calls) == list(range(1, pages + 1))


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize(("size", "pages"), [(0, 1), (7, 1), (25, 3)])
async def test_the_count_is_asked_beside_the_first_page(
    size: int, pages: int, streamed: bool
) -> None:
    # One round trip for a one-page listing (and the first items one sooner for any):
    # the first page is asked for at once, whatever the count will say.
    listing = Listing(size)
    pager = page_pager(listing, 10, prefetch=4)
    with anyio.fail_after(5):
        if streamed:
            async with pager.stream() as items:
                got = [item async for item in items]
        else:
            got = [item async for item in pager]
    assert got == expected(listing)
    assert listing.in_flight_beside_count == 1
    assert listing.count_calls == 1
    assert sorted(c["page"] for c in listing.calls) == list(range(1, pages + 1))


async def test_page_number_server_capping_ends_at_the_short_page() -> None:
    # TAPD's style cannot follow a capped page size: a short page is the last one.
    listing = Listing(25, cap=4)
    assert await drain(page_pager(listing, 10)) == expected(listing, 4)
    assert len(listing.calls) == 1


async def test_pages_yield_page_objects() -> None:
    listing = Listing(25)
    with anyio.fail_after(5):
        pages = [page async for page in offset_pager(listing, 10).pages()]
    assert [type(p) for p in pages] == [Page, Page, Page]
    assert [p.index for p in pages] == [0, 1, 2]
    assert [p.offset for p in pages] == [0, 10, 20]
    assert [p.total for p in pages] == [25, 25, 25]
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert isinstance(pages[0].items, tuple)
    assert pages[1].items[0] == "ITEM-010"  # structured


async def test_pages_with_a_capped_server_report_real_offsets() -> None:
    listing = Listing(10, cap=3)
    with anyio.fail_after(5):
        pages = [page async for page in offset_pager(listing, 5, prefetch=2).pages()]
    assert [p.offset for p in pages] == [0, 3, 6, 9]
    assert [p.index for p in pages] == [0, 1, 2, 3]
    assert [len(p.items) for p in pages] == [3, 3, 3, 1]


async def test_page_number_pages_know_the_total_only_from_count() -> None:
    listing = Listing(25)
    with anyio.fail_after(5):
        plain = [p async for p in page_pager(listing, 10).pages()]
        counted = [p async for p in page_pager(listing, 10, prefetch=2).pages()]
    assert [p.total for p in plain] == [None, None, None]
    assert [p.total for p in counted] == [25, 25, 25]
    assert [p.offset for p in counted] == [0, 10, 20]
    assert [p.index for p in counted] == [0, 1, 2]


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_collect_max_items_stops_fetching(prefetch: int) -> None:
    listing = Listing(100)
    with anyio.fail_after(5):
        got = await offset_pager(listing, 10, prefetch=prefetch).collect(max_items=12)
    assert got == expected(listing, 12)
    # Page 1, then (at most) one batch: never the whole listing.
    assert 2 <= len(listing.calls) <= 1 + prefetch


async def test_collect_all_and_edge_values() -> None:
    listing = Listing(23)
    pager = offset_pager(listing, 10)
    with anyio.fail_after(5):
        assert await pager.collect() == expected(listing)
        assert await pager.collect(max_items=100) == expected(listing)
        assert await pager.collect(max_items=10) == expected(listing, 10)
        calls = len(listing.calls)
        assert await pager.collect(max_items=0) == []
    assert len(listing.calls) == calls  # nothing sent for zero items


@pytest.mark.parametrize("bad", [-1, True])
async def test_collect_refuses_bad_max_items(bad: Any) -> None:
    listing = Listing(5)
    with pytest.raises(ValueError, match="max_items"):
        await offset_pager(listing, 10).collect(max_items=bad)
    assert listing.calls == []


async def test_count_from_the_count_callable() -> None:
    listing = Listing(42)
    assert await page_pager(listing, 10).count() == 42
    assert listing.count_calls == 1
    assert listing.calls == []


async def test_count_from_the_first_page() -> None:
    listing = Listing(42)
    assert await offset_pager(listing, 10).count() == 42
    assert listing.calls == [{"limit": 10, "offset": 0}]


async def test_count_unknown_is_not_implemented() -> None:
    with pytest.raises(NotImplementedError):
        await page_pager(Listing(5), 10, counted=False).count()
    with pytest.raises(NotImplementedError):
        await offset_pager(Listing(5, with_count=False), 10).count()


async def test_a_payload_of_the_wrong_shape_is_a_structure_error() -> None:
    async def fetch(params: Mapping[str, int]) -> Any:
        return "Hello world from TAPD API"

    pager = AsyncPager(fetch, PageNumberPagination(limit=10), structure)
    with pytest.raises(StructureError, match="page"):
        await pager.collect()


@pytest.mark.parametrize("prefetch", [2, 3, 5])
async def test_offset_prefetch_is_bounded_and_in_order(prefetch: int) -> None:
    listing = Listing(100)
    assert await drain(offset_pager(listing, 10, prefetch=prefetch)) == expected(listing)
    assert listing.max_in_flight == prefetch  # really concurrent, never more
    offsets = sorted(c["offset"] for c in listing.calls)
    assert offsets == list(range(0, 100, 10))


@pytest.mark.parametrize("prefetch", [2, 4])
async def test_page_number_prefetch_is_bounded(prefetch: int) -> None:
    listing = Listing(120)
    assert await drain(page_pager(listing, 10, prefetch=prefetch)) == expected(listing)
    assert listing.max_in_flight == prefetch
    assert sorted(c["page"] for c in listing.calls) == list(range(1, 14))  # 13: after the count


async def test_prefetch_keeps_order_when_later_pages_answer_first() -> None:
    # Later offsets answer sooner: page 3 of a batch finishes before page 1.
    delays = {offset: 40 - offset // 10 for offset in range(0, 100, 10)}
    listing = Listing(100, delays=delays)
    assert await drain(offset_pager(listing, 10, prefetch=4)) == expected(listing)
    assert listing.max_in_flight == 4


async def test_prefetch_stops_when_the_listing_shrinks() -> None:
    # The count says 50, but only 23 items are there by the time the pages are read.
    listing = Listing(23)

    async def stale_count() -> int:
        return 50

    pager = AsyncPager(
        listing.fetch, PageNumberPagination(limit=10), structure, count=stale_count, prefetch=3
    )
    assert await drain(pager) == expected(listing)


async def _read_all(pager: AsyncPager[str], streamed: bool) -> list[str]:
    with anyio.fail_after(5):
        if not streamed:
            return [item async for item in pager]
        async with pager.stream() as items:
            return [item async for item in items]


def _short_listing(style: str, listing: Listing) -> AsyncPager[str]:
    """A pager over ``listing`` whose server counts 50 items, whatever is there."""
    if style == "page":

        async def stale_count() -> int:
            return 50

        return AsyncPager(
            listing.fetch,
            PageNumberPagination(limit=10),
            structure,
            count=stale_count,
            prefetch=3,
            label="GET /things",
        )

    async def inflated(params: Mapping[str, int]) -> Any:
        return {**await listing.fetch(params), "count": 50}

    return AsyncPager(
        inflated, OffsetPagination(limit=10), structure, prefetch=3, label="GET /things"
    )


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("style", ["page", "offset"])
async def test_a_listing_that_ends_short_of_its_count_says_so(
    style: str, streamed: bool, caplog: pytest.LogCaptureFixture
) -> None:
    # Items removed while the listing was read, or a server that stops serving pages:
    # the crawl keeps what it got, and a warning says how far short it fell.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = Listing(23)
    assert await _read_all(_short_listing(style, listing), streamed) == expected(listing)
    [warning] = [r for r in caplog.records if r.name == "tca_tapd"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith(
        "GET /things ended after 23 items, short of the 50 the server counted"
    )


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_a_listing_that_shrinks_between_pages_says_so(
    prefetch: int, caplog: pytest.LogCaptureFixture
) -> None:
    # Five items go between the first and the second request; each page's own count
    # follows (TCA sends a fresh one), so only the first page's total shows the loss.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = Listing(30)

    async def shrinking(params: Mapping[str, int]) -> Any:
        if len(listing.calls) == 1:
            del listing.items[:5]
        return await listing.fetch(params)

    pager = AsyncPager(shrinking, OffsetPagination(limit=10), structure, prefetch=prefetch)
    got = await _read_all(pager, streamed=False)
    assert len(got) == 25
    [warning] = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert warning.startswith("a listing ended after 25 items, short of the 30")


@pytest.mark.parametrize("streamed", [False, True])
async def test_a_caller_that_stops_before_the_short_page_is_told_nothing(
    streamed: bool, caplog: pytest.LogCaptureFixture
) -> None:
    # The short page was fetched ahead, but the caller never got that far.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    pager = _short_listing("page", Listing(23))
    with anyio.fail_after(5):
        if streamed:
            got = []
            async with pager.stream() as items:
                async for item in items:
                    got.append(item)
                    if len(got) == 12:
                        break
        else:
            got = await pager.collect(max_items=12)
    assert len(got) == 12
    assert [r for r in caplog.records if r.name == "tca_tapd"] == []


@pytest.mark.parametrize("streamed", [False, True])
@pytest.mark.parametrize("size", [0, 9, 10, 25, 30])
async def test_a_listing_read_whole_logs_nothing(
    size: int, streamed: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="tca_tapd")
    for pager in (
        page_pager(Listing(size), 10, prefetch=3),
        offset_pager(Listing(size), 10, prefetch=3),
    ):
        assert len(await _read_all(pager, streamed)) == size
    assert [r.getMessage() for r in caplog.records if r.name == "tca_tapd"] == []


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_break_leaves_no_fetch_running(prefetch: int) -> None:
    listing = Listing(200)
    pager = offset_pager(listing, 10, prefetch=prefetch)
    got = []
    with anyio.fail_after(5):
        async with aclosing(pager.__aiter__()) as items:  # type: ignore[type-var]
            async for item in items:
                got.append(item)
                if len(got) == 15:  # inside the second page
                    break
            # Right at the break, before the generator is closed: nothing in flight.
            assert listing.in_flight == 0
            started = len(listing.calls)
            for _ in range(20):
                await anyio.lowlevel.checkpoint()
            assert listing.in_flight == 0
            assert len(listing.calls) == started  # nothing was started afterwards
    assert got == expected(listing, 15)
    assert started <= 1 + prefetch
    assert listing.completed == started  # every fetch that started also finished


async def test_break_out_of_pages() -> None:
    listing = Listing(100)
    with anyio.fail_after(5):
        async with aclosing(offset_pager(listing, 10, prefetch=4).pages()) as pages:
            async for page in pages:
                if page.index == 2:
                    break
            assert listing.in_flight == 0  # at the break, before the generator is closed
    assert listing.in_flight == 0
    # Page 0, then one batch of 4 (pages 1-4); page 2 is in that batch.
    assert listing.completed == len(listing.calls) == 5


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "2", None])
def test_invalid_prefetch_is_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="prefetch"):
        AsyncPager(Listing(1).fetch, OffsetPagination(), structure, prefetch=bad)


def test_repr_names_style_and_prefetch() -> None:
    text = repr(AsyncPager(Listing(1).fetch, OffsetPagination(limit=5), structure, prefetch=2))
    assert "OffsetPagination" in text
    assert "prefetch=2" in text


# -- end to end, through the clients and the fakes -----------------------------------------


REPOS_PATH = "/server/main/api/orgs/hellotca/teams/demo/repos/"


@pytest.mark.parametrize("prefetch", [1, 3])
@pytest.mark.parametrize("page_size", [1, 6, 10, 25, 30])
async def test_tca_repos_list_page_sizes(tca_target: Target, page_size: int, prefetch: int) -> None:
    async with TCAClient(
        tca_target.base_url, TCATokenAuth(TCA_API_TOKEN), **tca_target.options()
    ) as tca:
        with anyio.fail_after(20):
            repos = await tca.repos.list(
                org_sid="hellotca", team_name="demo", page_size=page_size, prefetch=prefetch
            ).collect()
    assert [r.id for r in repos] == list(range(25, 0, -1))  # the server's order, all of it
    requests = await tca_target.control.requests()
    assert all(r["path"] == REPOS_PATH for r in requests)
    queries = [dict(r["query"]) for r in requests]
    assert all(q["limit"] == str(page_size) for q in queries)
    offsets = [int(q.get("offset", "0")) for q in queries]
    assert sorted(offsets) == list(range(0, 25, page_size))
    assert len(requests) == math.ceil(25 / page_size)


async def test_tca_repos_pages_and_count(tca_target: Target) -> None:
    async with TCAClient(
        tca_target.base_url, TCATokenAuth(TCA_API_TOKEN), **tca_target.options()
    ) as tca:
        pager = tca.repos.list("hellotca", "demo", page_size=10)
        with anyio.fail_after(20):
            assert await pager.count() == 25
            pages = [p async for p in pager.pages()]
            filtered = await tca.repos.list(
                "hellotca", "demo", scm_url_or_name="service-02", page_size=2
            ).collect()
    assert [(p.index, p.offset, p.total, len(p.items)) for p in pages] == [
        (0, 0, 25, 10),
        (1, 10, 25, 10),
        (2, 20, 25, 5),
    ]
    assert sorted(r.id for r in filtered) == [20, 21, 22, 23, 24, 25]
    requests = await tca_target.control.requests()
    # count (1) + pages (3) + filtered in pages of 2 (3): filters are kept on every page.
    assert len(requests) == 7
    assert all(dict(r["query"])["scm_url_or_name"] == "service-02" for r in requests[4:])


@pytest.mark.parametrize("page_size", [7, 30, 40, 120, 200])
async def test_tapd_stories_list_prefetched(tapd_target: Target, page_size: int) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        with anyio.fail_after(20):
            # The server's own listing in one request, as the reference.
            raw = await tapd._request(
                "GET", "/stories", params={"workspace_id": WORKSPACE, "limit": 200}, expect=list
            )
            await tapd_target.control.reset()
            stories = await tapd.stories.list(WORKSPACE, page_size=page_size, prefetch=4).collect()
    reference = [item["Story"]["id"] for item in raw]
    assert len(reference) == 120
    assert [str(s.id) for s in stories] == reference
    assert len({s.id for s in stories}) == 120
    requests = await tapd_target.control.requests()
    paths = [r["path"] for r in requests]
    assert paths.count("/stories/count") == 1
    # The count and the first page open the crawl (that they run at once is shown by
    # test_the_count_is_asked_beside_the_first_page).
    assert sorted(paths[:2]) == ["/stories", "/stories/count"]
    pages = [dict(r["query"]) for r in requests if r["path"] == "/stories"]
    assert all(q["limit"] == str(page_size) for q in pages)
    # 120 stories: the page after a count that ends a page is asked for too (it is empty).
    assert sorted(int(q["page"]) for q in pages) == list(range(1, 120 // page_size + 2))


async def test_tapd_stories_sequential_and_filtered(tapd_target: Target) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        with anyio.fail_after(20):
            everything = await tapd.stories.list(WORKSPACE, page_size=40).collect()
            developing = await tapd.stories.list(
                WORKSPACE, page_size=7, prefetch=3, status="developing"
            ).collect()
            count = await tapd.stories.count(WORKSPACE, status="developing")
    assert len(everything) == 120
    # 120 = 3 full pages of 40; without a total a 4th (empty) page ends the listing.
    requests = await tapd_target.control.requests()
    assert [dict(r["query"])["page"] for r in requests[:4]] == ["1", "2", "3", "4"]
    assert [s.status for s in developing] == ["developing"] * count
    assert count == 30
    assert [s.id for s in developing] == [s.id for s in everything if s.status == "developing"]


async def test_a_clients_listing_is_named_by_its_path_alone() -> None:
    # The name goes into the "ended short" warning: never the query, which may hold a
    # secret-looking filter.
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(auth, base_url="https://tapd.example", rate_limit=None) as tapd:
        pager = tapd.stories.list(WORKSPACE, status="open", access_token="S3CRET")
    assert pager.label == "GET /stories"
