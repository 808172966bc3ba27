"""``AsyncPager.stream()``: a sliding window of page requests, and errors out of task groups."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import Any

import anyio
import pytest

from tca_tapd import (
    AsyncPager,
    NotFoundError,
    OffsetPagination,
    Page,
    StructureError,
    TAPDBasicAuth,
    TAPDClient,
)
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, FakeClock, FakeTAPD, Fault

from .test_pagination import Listing, expected, offset_pager, page_pager, structure


class Traced(Listing):
    """A listing that logs when each page request starts and when the caller takes it."""

    def __init__(self, size: int, **kwargs: Any) -> None:
        super().__init__(size, **kwargs)
        self.events: list[str] = []

    async def fetch(self, params: Mapping[str, int]) -> Any:
        self.events.append(f"start {params.get('offset', params.get('page'))}")
        return await super().fetch(params)


@pytest.mark.parametrize("prefetch", [1, 2, 5])
async def test_stream_yields_every_item_in_order_within_the_window(prefetch: int) -> None:
    listing = Listing(95)
    pager = offset_pager(listing, 10, prefetch=prefetch)
    with anyio.fail_after(5):
        async with pager.stream() as items:
            got = [item async for item in items]
    assert got == expected(listing)
    assert listing.max_in_flight <= prefetch
    assert len(listing.calls) == 10


async def test_stream_page_numbers_use_the_count_and_stay_in_order() -> None:
    listing = Listing(450, delays={0: 2, 200: 30, 400: 1})
    pager = page_pager(listing, 50, prefetch=4)
    with anyio.fail_after(5):
        async with pager.stream_pages() as pages:
            got = [page async for page in pages]
    assert listing.count_calls == 1
    assert [p.index for p in got] == list(range(9))
    assert [i for p in got for i in p.items] == expected(listing)
    assert listing.max_in_flight <= 4


async def consume_slowly(pages: AsyncIterator[Page[str]], listing: Traced) -> None:
    async for page in pages:
        listing.events.append(f"take {page.offset}")
        for _ in range(20):  # the caller works on the page for a while
            await anyio.lowlevel.checkpoint()


async def test_stream_starts_a_request_as_soon_as_a_page_is_taken() -> None:
    # The window starts the next request while the caller works on the page it took;
    # plain iteration (batches) waits until the whole batch was taken.
    windowed = Traced(60)
    async with offset_pager(windowed, 10, prefetch=2).stream_pages() as pages:
        await consume_slowly(pages, windowed)
    assert windowed.events.index("start 30") < windowed.events.index("take 20")
    batched = Traced(60)
    async with aclosing(offset_pager(batched, 10, prefetch=2).pages()) as pages:
        await consume_slowly(pages, batched)
    assert batched.events.index("start 30") > batched.events.index("take 20")


async def test_leaving_the_stream_early_cancels_what_is_in_flight() -> None:
    started = anyio.Event()
    cancelled = 0

    async def fetch(params: Mapping[str, int]) -> Any:
        nonlocal cancelled
        if params["offset"] == 0:
            return {"count": 100, "results": list(range(10))}
        try:
            started.set()
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            cancelled += 1
            raise
        raise AssertionError("unreachable")

    pager = AsyncPager(fetch, OffsetPagination(limit=10), list, prefetch=3)
    with anyio.fail_after(5):
        async with pager.stream() as items:
            async for item in items:
                await started.wait()
                assert item == 0
                break
    assert cancelled == 3  # the whole window, none left running


@pytest.mark.parametrize("use_stream", [False, True])
async def test_a_failed_page_request_surfaces_as_its_own_error(use_stream: bool) -> None:
    async def fetch(params: Mapping[str, int]) -> Any:
        if params["offset"] == 20:
            raise NotFoundError("gone", status_code=404)
        return {"count": 50, "results": list(range(params["offset"], params["offset"] + 10))}

    async def drain() -> list[int]:
        if use_stream:
            async with pager.stream() as items:
                return [item async for item in items]
        return [item async for item in pager]

    pager = AsyncPager(fetch, OffsetPagination(limit=10), list, prefetch=3)
    with anyio.fail_after(5), pytest.raises(NotFoundError, match="gone") as info:
        await drain()
    assert type(info.value.__cause__).__name__ == "ExceptionGroup"  # kept as the cause


async def test_an_error_in_the_callers_block_is_not_wrapped() -> None:
    async def fail_inside() -> None:
        async with offset_pager(Listing(30), 10, prefetch=2).stream() as items:
            async for _ in items:
                raise KeyError("caller")

    with pytest.raises(KeyError):
        await fail_inside()


async def test_a_taken_page_is_structured_after_the_next_request_starts(
    anyio_backend: str,
) -> None:
    # Answers that arrive together must not each be structured before the next
    # requests go out: the caller structures a page when it takes it, after letting
    # the request that replaces it start. That order is asyncio's (a new task runs
    # before a task that yields after starting it); trio shuffles each batch of
    # runnable tasks, so there only the items are checked.
    listing = Traced(60)

    def structure_logged(items: Any) -> list[str]:
        listing.events.append(f"structure {items[0]}")
        return structure(items)

    pager = AsyncPager(listing.fetch, OffsetPagination(limit=10), structure_logged, prefetch=2)
    async with pager.stream() as items:
        got = [item async for item in items]
    assert got == expected(listing)
    if anyio_backend == "trio":
        return
    first = listing.items[0::10]  # the first raw item of each page
    for page, item in list(enumerate(first))[1:-2]:  # page 0 comes before the window
        # the request two pages ahead starts before this page is structured
        assert listing.events.index(f"start {(page + 2) * 10}") < listing.events.index(
            f"structure {item}"
        )


async def test_a_page_that_does_not_structure_fails_the_stream_with_its_own_error() -> None:
    listing = Listing(50)

    def structure_failing(items: Any) -> list[str]:
        if items and items[0] == listing.items[20]:
            raise StructureError(model="Item", path="$[0]", value=items[0], reason="bad")
        return structure(items)

    pager = AsyncPager(listing.fetch, OffsetPagination(limit=10), structure_failing, prefetch=3)
    got: list[str] = []

    async def consume() -> None:
        async with pager.stream() as items:
            async for item in items:
                got.append(item)

    with anyio.fail_after(5), pytest.raises(StructureError, match="bad"):
        await consume()
    assert got == expected(listing)[:20]


async def test_the_streamed_items_work_with_aclosing() -> None:
    listing = Listing(50)
    got: list[str] = []
    async with offset_pager(listing, 10, prefetch=2).stream() as items, aclosing(items) as closing:
        async for item in closing:
            got.append(item)
            if len(got) == 3:
                break
    assert got == expected(listing)[:3]


class Encoded(Listing):
    """A listing whose answers must be decoded first, as the transport's raw answers
    are; it logs the order of decoding, and the answer at ``broken`` fails to decode."""

    def __init__(self, size: int, broken: int | None = None, **kwargs: Any) -> None:
        super().__init__(size, **kwargs)
        self.broken = broken
        self.decoded: list[int] = []

    async def fetch(self, params: Mapping[str, int]) -> Any:
        return ("answer", params["offset"], await super().fetch(params))

    def decode(self, answer: Any) -> Any:
        tag, offset, payload = answer
        assert tag == "answer"
        self.decoded.append(offset)
        if offset == self.broken:
            raise ValueError(f"the answer at {offset} is not JSON")
        return payload


def encoded_pager(listing: Encoded, prefetch: int) -> AsyncPager[str]:
    return AsyncPager(
        listing.fetch,
        OffsetPagination(limit=10),
        structure,
        prefetch=prefetch,
        decode=listing.decode,
    )


@pytest.mark.parametrize("how", ["async for", "stream"])
async def test_answers_are_decoded_when_their_page_is_taken_in_order(how: str) -> None:
    # Later pages answer first; decoding still follows the order of the pages.
    listing = Encoded(95, delays={10: 40, 20: 20, 30: 1})
    pager = encoded_pager(listing, prefetch=4)
    with anyio.fail_after(5):
        if how == "stream":
            async with pager.stream() as items:
                got = [item async for item in items]
        else:
            got = [item async for item in pager]
    assert got == expected(listing)
    assert listing.decoded == list(range(0, 95, 10))


@pytest.mark.parametrize("how", ["async for", "stream"])
async def test_an_answer_that_fails_to_decode_fails_at_its_page(how: str) -> None:
    # Pages go out in batches of 4 after the first (10–40, 50–80): the broken page is the
    # third of its batch, and answers before the pages ahead of it.
    listing = Encoded(95, broken=70, delays={70: 0, 50: 30, 60: 20})
    pager = encoded_pager(listing, prefetch=4)
    got: list[str] = []

    async def take_all() -> None:
        if how == "stream":
            async with pager.stream() as items:
                async for item in items:
                    got.append(item)
        else:
            async for item in pager:
                got.append(item)

    with anyio.fail_after(5), pytest.raises(ValueError, match="at 70 is not JSON"):
        await take_all()
    assert got == expected(listing, 70)  # every item before the broken page, in order


def tapd_over(fake: FakeTAPD) -> TAPDClient:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    return TAPDClient(
        auth,
        base_url="http://tapd.test",
        rate_limit=None,
        transport=fake.asgi_transport(),
        clock=FakeClock(),
    )


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_iteration_goes_on_after_a_failed_page(prefetch: int) -> None:
    # The caller may take the error and ask again: the failed page is fetched again,
    # and nothing before or after it is lost.
    fake = FakeTAPD()
    workspace = fake.workspace_ids[0]
    async with tapd_over(fake) as tapd:
        pages = tapd.stories.list(workspace, page_size=10, prefetch=prefetch).pages()
        got = [await anext(pages)]
        fake.faults.add(Fault.http(404, path="^/stories$"))
        errors = 0
        with anyio.fail_after(5):
            while True:
                try:
                    got.append(await anext(pages))
                except StopAsyncIteration:
                    break
                except NotFoundError:
                    errors += 1
    assert errors == 1
    ids = [story.id for page in got for story in page.items]
    assert len(ids) == len(set(ids)) == len(fake.stories[workspace])


@pytest.mark.parametrize("how", ["async for", "stream"])
async def test_an_error_answer_stops_the_requests_beside_it(how: str) -> None:
    # Three pages in flight: the first loses its connection on every attempt, the second
    # answers 404. The 404 is raised at once; the first page's retries are not waited out.
    fake = FakeTAPD()
    workspace = fake.workspace_ids[0]
    faults = [
        Fault.reset(path="^/stories$"),
        Fault.http(404, path="^/stories$"),
        Fault.reset(path="^/stories$", times=50),
    ]
    async with tapd_over(fake) as tapd:
        pager = tapd.stories.list(workspace, page_size=10, prefetch=3)

        async def take_all() -> None:
            if how == "stream":  # every page is in the window, the first one too
                fake.faults.add(*faults)
                async with pager.stream() as items:
                    async for _ in items:
                        pass
            else:  # the first page alone, then batches of three
                items = aiter(pager)
                await anext(items)
                fake.faults.add(*faults)
                async for _ in items:
                    pass

        with anyio.fail_after(5), pytest.raises(NotFoundError):
            await take_all()
    assert fake.faults.pending > 45  # the broken connections were not retried to the end
