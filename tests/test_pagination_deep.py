"""Deep paging: a server that pages by number only so deep (TAPD: ``page * limit`` <=
20000), then by cursor (``cursor=<the last id read>``), one page at a time.

First the pure parts (the page style, the fake's ``page_of``), then the real pager over
a hand-written server that enforces the depth, then the SDK against the fake TAPD,
in-process and over loopback, with a shallow depth, and once at TAPD's real depth.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from tca_tapd import (
    AsyncPager,
    PageNumberPagination,
    PagingDepthError,
    StructureError,
    TAPDBasicAuth,
    TAPDClient,
    ValidationError,
)
from tca_tapd.tapd._collection import PAGING_DEPTH
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, FakeControl, FakeTAPD, ServerProcess
from tca_tapd.testing._tapd_query import PagingError, page_of

from ._paging_modes import MODES, read, read_into
from .conftest import Target

WORKSPACE = 10104801
AUTH = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)


def cursor_of(item: Any) -> int:
    return int(item["Thing"]["id"])


# -- the page style: pure -----------------------------------------------------------------


class TestDepth:
    def test_pages_by_number_while_page_times_limit_is_within_the_depth(self) -> None:
        style = PageNumberPagination(200, max_depth=20000)
        assert style.by_number(0)
        assert style.by_number(99)
        assert not style.by_number(100)
        assert PageNumberPagination(200).by_number(10**6)  # no depth: always
        assert PageNumberPagination(30, max_depth=20000).by_number(665)  # 666 * 30 = 19980
        assert not PageNumberPagination(30, max_depth=20000).by_number(666)

    def test_the_page_after_an_item_is_asked_for_by_its_cursor(self) -> None:
        style = PageNumberPagination(50, max_depth=100, cursor=cursor_of)
        assert style.params_after({"Thing": {"id": "1150"}}) == {"limit": 50, "cursor": "1150"}

    @pytest.mark.parametrize(("descending", "sign"), [(True, 1), (False, -1)])
    def test_an_items_place_after_the_cursor_follows_the_order(
        self, descending: bool, sign: int
    ) -> None:
        style = PageNumberPagination(50, max_depth=100, cursor=cursor_of, descending=descending)
        after = {"Thing": {"id": "7"}}
        assert style.position({"Thing": {"id": "7"}}, after) == 0  # the cursor's own item
        assert style.position({"Thing": {"id": "6"}}, after) * sign > 0
        assert style.position({"Thing": {"id": "9"}}, after) * sign < 0
        with pytest.raises(KeyError):
            style.position({"other": 1}, after)

    def test_without_a_cursor_there_is_no_page_after(self) -> None:
        style = PageNumberPagination(50, max_depth=100, beyond_depth="order by id")
        with pytest.raises(NotImplementedError, match="order by id"):
            style.params_after({"Thing": {"id": "1"}})

    @pytest.mark.parametrize("depth", [0, 49, True])
    def test_a_depth_shallower_than_one_page_is_refused(self, depth: Any) -> None:
        with pytest.raises(ValueError, match="max_depth"):
            PageNumberPagination(50, max_depth=depth)


# -- the fake's paging: pure ----------------------------------------------------------------


ROWS_DESC = [{"id": str(1000 + n)} for n in range(30, 0, -1)]  # 1030 … 1001


class TestFakePageOf:
    def test_pages_past_the_depth_are_refused(self) -> None:
        assert page_of(ROWS_DESC, {"page": "2", "limit": "10"}, max_depth=20) == ROWS_DESC[10:20]
        with pytest.raises(PagingError, match=r"page\*limit must not exceed 20"):
            page_of(ROWS_DESC, {"page": "3", "limit": "10"}, max_depth=20)

    def test_a_cursor_page_starts_after_the_cursors_item_in_id_order(self) -> None:
        page = page_of(ROWS_DESC, {"cursor": "1011", "limit": "4", "page": "9"}, max_depth=20)
        assert [r["id"] for r in page] == ["1010", "1009", "1008", "1007"]
        ascending = ROWS_DESC[::-1]
        page = page_of(ascending, {"cursor": "1027", "limit": "10"}, order="id asc")
        assert [r["id"] for r in page] == ["1028", "1029", "1030"]
        assert page_of(ROWS_DESC, {"cursor": "1001", "limit": "10"}) == []

    @pytest.mark.parametrize(
        ("cursor", "order", "message"),
        [("1011", "created desc", "only with order by id"), ("abc", "id desc", "an id")],
    )
    def test_a_cursor_the_server_cannot_follow_is_refused(
        self, cursor: str, order: str, message: str
    ) -> None:
        with pytest.raises(PagingError, match=message):
            page_of(ROWS_DESC, {"cursor": cursor, "limit": "10"}, order=order)


# -- the pager over a hand-written deep-paging server ---------------------------------------


class DeepListing:
    """A TAPD-like list route over ``size`` items in ``id desc`` order: by page number
    while ``page * limit`` <= ``depth`` (deeper: an error), then by ``cursor``.

    ``inclusive``: a cursor page starts with the cursor's own item; ``ignored``: the
    cursor is ignored (a route without cursor paging answers its first page). Every
    request is recorded, with the most requests in flight past the depth.
    """

    def __init__(
        self, size: int, depth: int, *, inclusive: bool = False, ignored: bool = False
    ) -> None:
        self.ids = [str(5000 - n) for n in range(size)]
        self.depth = depth
        self.inclusive = inclusive
        self.ignored = ignored
        self.calls: list[dict[str, Any]] = []
        self.in_flight = 0
        self.deep_in_flight = 0

    async def fetch(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        self.calls.append(dict(params))
        self.in_flight += 1
        try:
            for _ in range(2):
                await anyio.lowlevel.checkpoint()
            limit = params["limit"]
            if "cursor" in params:
                self.deep_in_flight = max(self.deep_in_flight, self.in_flight)
                position = self.ids.index(params["cursor"])
                start = 0 if self.ignored else position if self.inclusive else position + 1
            else:
                if params["page"] * limit > self.depth:
                    raise AssertionError(f"page {params['page']} is past the depth")
                start = (params["page"] - 1) * limit
            return [{"Thing": {"id": i}} for i in self.ids[start : start + limit]]
        finally:
            self.in_flight -= 1

    async def count(self) -> int:
        await anyio.lowlevel.checkpoint()
        return len(self.ids)

    def pager(self, limit: int, *, prefetch: int, counted: bool, cursor: bool = True) -> Any:
        style = PageNumberPagination(
            limit,
            max_depth=self.depth,
            cursor=cursor_of if cursor else None,
            beyond_depth="" if cursor else "order by id to go deeper",
        )
        return AsyncPager(
            self.fetch,
            style,
            structure,
            count=self.count if counted else None,
            prefetch=prefetch,
            label="GET /things",
        )


def structure(items: Sequence[Any]) -> list[str]:
    return [item["Thing"]["id"] for item in items]


@pytest.mark.parametrize("inclusive", [False, True])
@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
@pytest.mark.parametrize("size", [47, 60, 20, 21])
async def test_a_listing_deeper_than_the_depth_goes_on_by_cursor(
    size: int, prefetch: int, counted: bool, how: str, inclusive: bool
) -> None:
    # Depth 20 with pages of 5: pages 1-4 by number, then one cursor page at a time.
    listing = DeepListing(size, depth=20, inclusive=inclusive)
    pager = listing.pager(5, prefetch=prefetch, counted=counted)
    assert await read(pager, how) == listing.ids  # every item once, in order
    numbered = [c["page"] for c in listing.calls if "page" in c]
    assert sorted(numbered) == [1, 2, 3, 4][: -(-size // 5)]
    deep = [c for c in listing.calls if "cursor" in c]
    # Each cursor is the last id read before it: the page just before, in turn.
    step = 4 if inclusive else 5
    assert [c["cursor"] for c in deep] == listing.ids[19 : 19 + step * len(deep) : step]
    assert all(c == {"limit": 5, "cursor": c["cursor"]} for c in deep)  # no page number
    assert listing.deep_in_flight <= 1  # past the depth, one page at a time


async def test_a_deep_listing_pages_report_their_place() -> None:
    listing = DeepListing(33, depth=20, inclusive=True)
    with anyio.fail_after(5):
        pages = [page async for page in listing.pager(10, prefetch=2, counted=True).pages()]
    assert [(p.index, p.offset, len(p.items)) for p in pages] == [
        (0, 0, 10),
        (1, 10, 10),
        (2, 20, 9),  # the cursor's own item, sent again, is dropped
        (3, 29, 4),
    ]
    assert all(p.total == 33 for p in pages)


@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_without_a_cursor_the_crawl_stops_with_a_typed_error_at_the_depth(
    prefetch: int, counted: bool, how: str
) -> None:
    listing = DeepListing(47, depth=20)
    pager = listing.pager(5, prefetch=prefetch, counted=counted, cursor=False)
    taken: list[str] = []
    with pytest.raises(PagingDepthError) as caught:
        await read_into(pager, how, taken)
    if how != "collect":
        assert taken == listing.ids[:20]  # everything before the depth was handed out
    assert caught.value.depth == 20
    assert caught.value.listing == "GET /things"
    size = "has 47 items" if counted else "may have more than 20 items"
    assert str(caught.value) == (
        f"GET /things {size}; its server pages by number only to item 20: order by id to go deeper"
    )
    assert all(c["page"] * 5 <= 20 for c in listing.calls)  # never a page it refuses


async def test_a_listing_that_ends_at_the_depth_asks_one_cursor_page_past_it() -> None:
    # A full last page leaves one question, with or without the count (which may be
    # older than the pages): the cursor page answers with nothing new and the read ends.
    listing = DeepListing(20, depth=20)
    assert await read(listing.pager(5, prefetch=3, counted=True), "stream") == listing.ids
    assert [c.get("cursor") for c in listing.calls if "cursor" in c] == ["4981"]
    uncounted = DeepListing(20, depth=20, inclusive=True)  # here only the boundary item again
    assert await read(uncounted.pager(5, prefetch=1, counted=False), "iterate") == uncounted.ids
    assert [c.get("cursor") for c in uncounted.calls if "cursor" in c] == ["4981"]


async def test_a_deep_listing_that_ends_short_of_its_count_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = DeepListing(33, depth=20)

    async def stale_count() -> int:
        return 40

    pager = AsyncPager(
        listing.fetch,
        PageNumberPagination(5, max_depth=20, cursor=cursor_of),
        structure,
        count=stale_count,
        prefetch=3,
        label="GET /things",
    )
    assert await read(pager, "stream") == listing.ids
    [warning] = [r for r in caplog.records if r.name == "tca_tapd"]
    assert warning.getMessage().startswith(
        "GET /things ended after 33 items, short of the 40 the server counted"
    )


# -- the SDK against the fake TAPD ------------------------------------------------------------

SHALLOW = 40  # the fakes' depth below, and the SDK's for these tests


@pytest.fixture(scope="module")
def shallow_process() -> Iterator[ServerProcess]:
    """A fake TAPD in its own process paging by number only to item 40."""
    with ServerProcess("tapd", {"paging_depth": SHALLOW}) as server:
        yield server


@pytest.fixture(params=["asgi", "loopback"])
async def shallow(
    request: pytest.FixtureRequest, shallow_process: ServerProcess
) -> AsyncIterator[Target]:
    """A fake TAPD with a depth of 40, in-process or over loopback (TAPD's is 20000: a
    crawl that deep needs 20000 items); :func:`client` tells the SDK the same."""
    if request.param == "asgi":
        fake = FakeTAPD(paging_depth=SHALLOW)
        transport = fake.asgi_transport()
        control = FakeControl("http://tapd.test", transport=transport)
        target = Target("asgi", "http://tapd.test", transport, fake, control)
    else:
        control = FakeControl(shallow_process.url)
        await control.reset()
        target = Target("loopback", shallow_process.url, None, None, control)
    yield target
    await target.control.aclose()


def client(target: Target) -> TAPDClient:
    options = target.options()
    return TAPDClient(
        AUTH, base_url=target.base_url, rate_limit=None, paging_depth=SHALLOW, **options
    )


async def test_the_client_refuses_a_paging_depth_that_is_not_a_positive_int() -> None:
    for bad in (0, -5, 2.5, True, "100"):
        with pytest.raises((TypeError, ValueError), match="paging_depth"):
            TAPDClient(AUTH, base_url="https://tapd.example", paging_depth=bad)
    assert TAPDClient(AUTH, base_url="https://tapd.example").paging_depth == PAGING_DEPTH


@pytest.mark.parametrize(("prefetch", "streamed"), [(1, False), (4, False), (4, True)])
async def test_tapd_stories_past_the_depth_are_read_by_id_cursor(
    shallow: Target, prefetch: int, streamed: bool
) -> None:
    async with client(shallow) as tapd:
        with anyio.fail_after(20):
            pager = tapd.stories.list(WORKSPACE, page_size=15, prefetch=prefetch, fields="name")
            if streamed:
                async with pager.stream() as items:
                    stories = [s async for s in items]
            else:
                stories = [s async for s in pager]
            everything = await tapd.stories.count(WORKSPACE)
    ids = [str(s.id) for s in stories]
    assert everything == 120
    assert len(ids) == 120
    assert len(set(ids)) == 120
    assert ids == sorted(ids, key=int, reverse=True)  # TAPD's default order, id desc
    requests = [r for r in await shallow.control.requests() if r["path"] == "/stories"]
    queries = [dict(r["query"]) for r in requests]
    numbered = sorted(int(q["page"]) for q in queries if "page" in q)
    assert numbered == [1, 2]  # 2 * 15 <= 40 < 3 * 15
    cursors = [q["cursor"] for q in queries if "cursor" in q]
    # The full last page is followed by one that is empty (the count, when there is one,
    # may be older than the pages).
    assert cursors == [ids[n - 1] for n in range(30, 121, 15)]
    assert all(q["fields"] == "id,name" for q in queries)


@pytest.mark.parametrize(
    ("order", "ascending"),
    [("id asc", True), ("ID DESC", False), ("Id  asc ", True), ("id\tdesc", False), ("id", True)],
)
async def test_tapd_any_spelling_of_id_order_goes_on_by_cursor(
    shallow: Target, order: str, ascending: bool
) -> None:
    async with client(shallow) as tapd:
        with anyio.fail_after(20):
            stories = await tapd.stories.list(
                WORKSPACE, order=order, page_size=15, prefetch=2
            ).collect()
    ids = [int(s.id) for s in stories]
    assert ids == sorted(ids, reverse=not ascending)
    assert len(set(ids)) == 120


async def test_tapd_another_order_stops_at_the_depth_with_a_typed_error(shallow: Target) -> None:
    async with client(shallow) as tapd:
        pager = tapd.stories.list(WORKSPACE, order="created desc", page_size=20)
        taken: list[Any] = []
        with pytest.raises(PagingDepthError) as caught:
            await read_into(pager, "iterate", taken)
    assert len(taken) == SHALLOW
    assert caught.value.listing == "GET /stories"
    assert "not order='created desc'" in str(caught.value)
    assert "order by id" in str(caught.value)


async def test_the_fake_refuses_a_page_past_its_depth(shallow: Target) -> None:
    async with client(shallow) as tapd:
        with pytest.raises(ValidationError, match="must not exceed 40"):
            await tapd._request(
                "GET", "/stories", params={"workspace_id": WORKSPACE, "page": 3, "limit": 20}
            )


@pytest.mark.parametrize("name", ["page", "limit", "cursor"])
async def test_paging_parameters_are_not_filters(name: str) -> None:
    async with TAPDClient(AUTH, base_url="https://tapd.example", rate_limit=None) as tapd:
        with pytest.raises(ValueError, match=f"^{name}=7: the pager sets {name} itself"):
            tapd.stories.list(WORKSPACE, **{name: 7})


async def test_tapd_at_its_real_depth_goes_on_by_cursor_after_20000_stories() -> None:
    # TAPD's own depth, not a shallow one: 20,150 stories, pages of 200.
    fake = FakeTAPD(workspaces=[WORKSPACE], stories=20150)
    async with TAPDClient(
        AUTH, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    ) as tapd:
        with anyio.fail_after(60):
            pager = tapd.stories.list(WORKSPACE, fields="id", prefetch=8)
            async with pager.stream() as items:
                ids = [str(s.id) async for s in items]
    assert len(ids) == 20150
    assert len(set(ids)) == 20150
    queries = [dict(r.query) for r in fake.requests if r.path == "/stories"]
    assert max(int(q["page"]) for q in queries if "page" in q) == 100
    assert [q["cursor"] for q in queries if "cursor" in q] == [ids[19999]]


@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_a_server_that_does_not_follow_the_cursor_is_refused_not_repeated(
    prefetch: int, counted: bool, how: str
) -> None:
    # A route that ignores cursor= answers its first page again: the pager neither
    # hands those items out a second time nor asks forever.
    listing = DeepListing(47, depth=20, ignored=True)
    taken: list[str] = []
    with pytest.raises(StructureError, match="not after the item asked for by cursor=4981"):
        await read_into(listing.pager(5, prefetch=prefetch, counted=counted), how, taken)
    if how != "collect":
        assert taken == listing.ids[:20]
    assert len([c for c in listing.calls if "cursor" in c]) == 1


@pytest.mark.parametrize("size", [20, 18])
async def test_without_a_cursor_a_listing_no_deeper_than_the_depth_ends_quietly(
    size: int,
) -> None:
    # Without the count beforehand (prefetch 1), a full page at the depth leaves it
    # open whether more follow: the count says, instead of an error.
    listing = DeepListing(size, depth=20)
    pager = listing.pager(5, prefetch=1, counted=True, cursor=False)
    assert await read(pager, "iterate") == listing.ids
    assert all(c.get("page", 0) * 5 <= 20 for c in listing.calls)


@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_an_id_that_is_no_cursor_is_a_structure_error_not_a_depth(
    prefetch: int, counted: bool, how: str
) -> None:
    listing = DeepListing(47, depth=20)
    listing.ids[19] = "not-a-number"  # the last item before the depth
    taken: list[str] = []
    with pytest.raises(StructureError, match=r"\$\[-1\].*no cursor in the item"):
        await read_into(listing.pager(5, prefetch=prefetch, counted=counted), how, taken)
    assert all("cursor" not in c for c in listing.calls)
