"""A listing that changes while it is read: items added ahead of the read position
move later items down a place, so a page repeats the end of the page before it, and
a count taken first falls short. The pager hands each item out once and reads on
past the count, in every mode; against the fake TAPD too, with stories created
between two pages.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from tca_tapd import (
    AsyncPager,
    OffsetPagination,
    PageNumberPagination,
    TAPDBasicAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
)
from tca_tapd._http import ASGITransport
from tca_tapd.crawl import crawl
from tca_tapd.pagination import Page
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, TCA_API_TOKEN, FakeTAPD

from ._paging_modes import MODES, read
from .conftest import Target

WORKSPACE = 10104801


class ShiftingListing:
    """``size`` items, newest first; ``added`` new ones come in front of them just
    before page ``grows_at`` (1-based) is served, and every later page sees them.

    The count, taken first, is the size before. ``style`` is ``page`` (TAPD-like, a
    bare list), ``ordered`` (the same, known to be in id order, as TAPD's default is),
    or ``offset`` (TCA-like, each page carrying a fresh count).
    """

    def __init__(
        self, size: int, *, added: int, grows_at: int, style: str = "page", clamps: bool = False
    ) -> None:
        self.before = [f"{1000 + n}" for n in range(size, 0, -1)]
        self.after = [f"{2000 + n}" for n in range(added, 0, -1)] + self.before
        self.grows_at = grows_at
        self.style = style
        self.clamps = clamps  # a page number past the end gets the last page again
        self.calls: list[dict[str, Any]] = []

    async def fetch(self, params: Mapping[str, Any]) -> Any:
        self.calls.append(dict(params))
        limit = params["limit"]
        if self.style != "offset":
            number, start = params["page"], (params["page"] - 1) * limit
        else:
            number, start = params["offset"] // limit + 1, params["offset"]
        listing = self.before if number < self.grows_at else self.after
        if self.clamps and start >= len(listing):
            start = (len(listing) - 1) // limit * limit
        for _ in range(2):
            await anyio.lowlevel.checkpoint()
        items = [{"id": i} for i in listing[start : start + limit]]
        if self.style != "offset":
            return items
        return {"count": len(listing), "results": items}

    async def count(self) -> int:
        await anyio.lowlevel.checkpoint()
        return len(self.before)

    def pager(self, limit: int, prefetch: int, counted: bool) -> AsyncPager[str]:
        if self.style == "page":
            style: Any = PageNumberPagination(limit)
        elif self.style == "ordered":
            style = PageNumberPagination(limit, cursor=lambda item: int(item["id"]))
        else:
            style = OffsetPagination(limit)
        return AsyncPager(
            self.fetch,
            style,
            structure,
            count=self.count if counted else None,
            prefetch=prefetch,
            label="GET /things",
            key=lambda item: item["id"],
        )


def structure(items: Sequence[Any]) -> list[str]:
    return [item["id"] for item in items]


GROWTHS = [  # (style, added, grows_at)
    *[
        (style, added, grows_at)
        for style in ("page", "ordered", "offset")
        for added, grows_at in ((2, 3), (5, 2), (1, 9), (3, 10))
    ],
    ("ordered", 5, 4),  # a whole page of additions between two requests
]


@pytest.mark.parametrize(("style", "added", "grows_at"), GROWTHS)
@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_items_moved_down_by_additions_are_handed_out_once_and_none_is_missed(
    style: str,
    added: int,
    grows_at: int,
    prefetch: int,
    counted: bool,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = ShiftingListing(47, added=added, grows_at=grows_at, style=style)
    # Every item there from the start, once, in order (the new ones are ahead of
    # where the read was: not part of it).
    assert await read(listing.pager(5, prefetch, counted), how) == listing.before
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "GET /things changed while it was read: items were added ahead of the read (or "
        f"moved past it), and {added} items that came again"
    )
    # No request beyond what the grown listing needs (TCA's pages carry the grown count).
    needed = math.ceil((47 + added) / 5)
    assert len(listing.calls) <= needed + 1
    if style == "offset":
        assert len(listing.calls) == needed


class BusyListing(ShiftingListing):
    """One item added in front before every page after the first."""

    async def fetch(self, params: Mapping[str, Any]) -> Any:
        self.calls.append(dict(params))
        number = params["page"]
        listing = [f"{2000 + n}" for n in range(number - 1, 0, -1)] + self.before
        await anyio.lowlevel.checkpoint()
        start = (number - 1) * params["limit"]
        return [{"id": i} for i in listing[start : start + params["limit"]]]


@pytest.mark.parametrize("style", ["page", "ordered"])
@pytest.mark.parametrize(("prefetch", "how"), [(1, "iterate"), (3, "iterate"), (3, "stream")])
async def test_the_change_is_said_once_at_the_end_and_not_for_pages_never_taken(
    style: str, prefetch: int, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = BusyListing(200, added=0, grows_at=1, style=style)
    assert await read(listing.pager(5, prefetch, True), how) == listing.before
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert warnings[0].startswith("GET /things changed while it was read: ")
    caplog.clear()
    # A caller that stops early is told nothing, even if pages fetched ahead repeated.
    pager = listing.pager(5, prefetch, True)
    with anyio.fail_after(5):
        async for item in pager:
            if item == listing.before[7]:
                break
    assert not [r for r in caplog.records if r.name == "tca_tapd"]


async def test_a_listing_that_does_not_change_is_read_as_before(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = ShiftingListing(47, added=0, grows_at=1)
    assert await read(listing.pager(5, 3, True), "stream") == listing.before
    assert sorted(c["page"] for c in listing.calls) == list(range(1, 11))  # no extra request
    assert not [r for r in caplog.records if r.name == "tca_tapd"]


async def test_items_without_an_id_are_never_taken_for_repeats() -> None:
    pages = [[{"id": None, "n": 1}, {"n": 2}], [{"id": None, "n": 1}, {"n": 2}], []]

    async def fetch(params: Mapping[str, Any]) -> Any:
        return pages[params["page"] - 1]

    pager = AsyncPager(
        fetch,
        PageNumberPagination(2),
        lambda items: [item["n"] for item in items],
        key=lambda item: item.get("id"),
    )
    with anyio.fail_after(5):
        assert [n async for n in pager] == [1, 2, 1, 2]


async def test_a_page_that_fails_to_structure_is_not_taken_for_seen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A page whose typing fails is asked for again: its items were not handed out, so
    # they must not count as "the page before" when it comes back.
    attempts = {"n": 0}

    def structure_once_failing(items: Sequence[Any]) -> list[str]:
        if items and items[0]["id"] == "1042" and attempts["n"] == 0:
            attempts["n"] += 1
            raise ValueError("bad item")
        return structure(items)

    listing = ShiftingListing(47, added=0, grows_at=1)
    pager = AsyncPager(
        listing.fetch,
        PageNumberPagination(5),
        structure_once_failing,
        key=lambda item: item["id"],
    )
    taken: list[str] = []
    pages = pager.pages()

    async def take_all() -> None:
        with anyio.fail_after(5):
            async for page in pages:
                taken.extend(page.items)

    with pytest.raises(ValueError, match="bad item"):
        await take_all()
    await take_all()  # the same iteration goes on from the failed page
    assert taken == listing.before


@pytest.mark.parametrize(("prefetch", "how"), [(2, "pages"), (1, "pages")])
async def test_tapd_stories_created_between_two_pages_are_neither_repeated_nor_missed(
    tapd_target: Target, prefetch: int, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        with anyio.fail_after(30):
            before = [s.id for s in await tapd.stories.list(WORKSPACE).collect()]
            ids: list[int] = []
            pager = tapd.stories.list(WORKSPACE, page_size=25, prefetch=prefetch, fields="name")
            async for page in pager.pages():
                ids += [s.id for s in page.items]
                if page.index == 2:  # nothing in flight here: batches end with their pages
                    for n in range(3):
                        await tapd.stories.create(WORKSPACE, name=f"added while read {n}")
    assert len(before) == 120
    assert ids == before  # newest first: the new ones are ahead of the read
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "GET /stories changed while it was read: items were added ahead of the read (or moved "
        "past it), and 3 items"
    )


SHUFFLED = ["1005", "1009", "1002", "1007", "1001", "1003", "1008", "1004", "1006", "1000"]
ASCENDING = [str(n) for n in range(1000, 1010)]
LISTINGS = [
    SHUFFLED,
    ASCENDING,
    ASCENDING[:4],  # one item on the last page
    ["1005", "1009", "1002", "1001", "1007", "1003", "1008", "1004"],  # a short page in order
]


@pytest.mark.parametrize("ids", LISTINGS)
@pytest.mark.parametrize(("prefetch", "how"), [(1, "iterate"), (3, "iterate"), (3, "stream")])
async def test_a_listing_not_in_the_order_assumed_loses_nothing(
    ids: list[str], prefetch: int, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The style assumes id order (descending); the server sends another (shuffled, or
    # ascending: a route whose default order is not TAPD's documented one). Nothing has
    # changed, so nothing may be dropped and nothing said.
    caplog.set_level(logging.WARNING, logger="tca_tapd")

    async def fetch(params: Mapping[str, Any]) -> Any:
        await anyio.lowlevel.checkpoint()
        start = (params["page"] - 1) * params["limit"]
        return [{"id": i} for i in ids[start : start + params["limit"]]]

    async def count() -> int:
        return len(ids)

    pager = AsyncPager(
        fetch,
        PageNumberPagination(3, cursor=lambda item: int(item["id"])),
        structure,
        count=count,
        prefetch=prefetch,
        key=lambda item: item["id"],
    )
    assert await read(pager, how) == ids
    assert not [r for r in caplog.records if r.name == "tca_tapd"]


async def test_repeats_are_known_by_key_wherever_they_are_on_the_page(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Page 2 repeats two items of page 1, one of them not at its start (a listing
    # whose order is not by id): both are dropped, by key.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    pages = [[str(n) for n in range(100, 90, -1)], ["91", "90", "89", "92"]]

    async def fetch(params: Mapping[str, Any]) -> Any:
        await anyio.lowlevel.checkpoint()
        return [{"id": i} for i in pages[params["page"] - 1]] if params["page"] <= 2 else []

    pager = AsyncPager(
        fetch,
        PageNumberPagination(10, cursor=lambda item: int(item["id"])),
        structure,
        key=lambda item: item["id"],
    )
    with anyio.fail_after(5):
        assert await pager.collect() == [*pages[0], "90", "89"]
    [warning] = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert "2 items that came again" in warning


async def test_the_clients_know_items_by_their_id_and_nothing_else() -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with (
        TAPDClient(auth, base_url="https://tapd.example", rate_limit=None) as tapd,
        TCAClient("https://tca.example", TCATokenAuth("t0ken")) as tca,
    ):
        tapd_key = tapd.stories.list(WORKSPACE)._key
        tca_key = tca.repos.list("org", "team")._key
    assert tapd_key is not None
    assert tca_key is not None
    assert tapd_key({"Story": {"id": "1110104801000000001"}}) == "1110104801000000001"
    assert tca_key({"id": 7, "name": "x"}) == 7
    # Nothing that cannot tell items apart is taken for an id.
    for item in ({"name": "x"}, {"id": True}, {"id": None}, {"id": [1]}, ["id"], None, "id"):
        assert tca_key(item) is None
    assert tapd_key({"Story": {"name": "x"}}) is None


# -- A count taken before the listing grew (review of the pagination promise) -------------


@pytest.mark.parametrize("style", ["page", "ordered"])
@pytest.mark.parametrize("added", [4, 9])
@pytest.mark.parametrize(
    ("prefetch", "how"),
    [(3, "iterate"), (3, "pages"), (3, "stream"), (4, "collect"), (16, "stream")],
)
async def test_items_added_between_the_count_and_the_first_page_do_not_push_old_ones_out(
    style: str, added: int, prefetch: int, how: str
) -> None:
    # The count (asked beside the first page) says 47; the first page already sees
    # ``added`` new items in front, so the oldest items lie past the 47th place. A full
    # page that ends past the count shows the listing outgrew it: the read goes on.
    listing = ShiftingListing(47, added=added, grows_at=1, style=style)
    assert await read(listing.pager(5, prefetch, True), how) == listing.after


class CountedBeforeGrowth:
    """A fake TAPD whose ``…/stories/count`` is answered before ``added`` stories are
    created, and the first page after: as when they are created while the two requests
    (sent at once) are in flight."""

    def __init__(self, fake: FakeTAPD, added: int) -> None:
        self.fake = fake
        self.added = added
        self.counted = anyio.Event()
        self.grown = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if path.endswith("/stories/count"):
            await self.fake(scope, receive, send)
            self.counted.set()
            return
        if path.endswith("/stories") and not self.grown:
            self.grown = True
            with anyio.fail_after(5):
                await self.counted.wait()
            rows = self.fake.stories[WORKSPACE]
            top = max(int(row["id"]) for row in rows)
            rows.extend(
                {**rows[0], "id": str(top + n), "name": f"new {n}"}
                for n in range(1, self.added + 1)
            )
        await self.fake(scope, receive, send)


@pytest.mark.parametrize("how", ["pages", "stream"])
async def test_tapd_stories_created_between_the_count_and_the_first_page_lose_no_old_story(
    how: str,
) -> None:
    fake = FakeTAPD()
    before = [int(row["id"]) for row in fake.stories[WORKSPACE]][::-1]  # id desc
    app = CountedBeforeGrowth(fake, added=7)
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=ASGITransport(app=app)
    ) as tapd:
        pager = tapd.stories.list(WORKSPACE, page_size=25, prefetch=3, fields="name")
        ids = [int(s.id) for s in await read(pager, how)]
    assert app.grown
    assert len(ids) == len(set(ids)) == 127  # the 7 new ones first, then all 120
    assert ids[7:] == before


# -- A count that ends a page; and a known hole, not fixed: a silent drop today (strict
# xfail: a fix turns it into a failure, so the marker is removed with the fix) --------------


@pytest.mark.parametrize(("prefetch", "counted", "how"), [m for m in MODES if m[0] > 1 and m[1]])
@pytest.mark.parametrize("style", ["page", "ordered"])
async def test_growth_before_the_first_page_is_seen_when_the_count_ends_a_page(
    style: str, prefetch: int, counted: bool, how: str
) -> None:
    # The count says 45 (9 pages of 5); 5 stories come before the first page is read,
    # so the 5 oldest are on a 10th page: planned with the others, not left unseen.
    listing = ShiftingListing(45, added=5, grows_at=1, style=style)
    assert await read(listing.pager(5, prefetch, counted), how) == listing.after
    assert sorted(c["page"] for c in listing.calls) == list(range(1, 12))  # 11: empty


class ShrinkingListing(ShiftingListing):
    """``size`` items, newest first; an item on page 1 is removed once page 1 is
    served, so every later item moves up a place."""

    async def fetch(self, params: Mapping[str, Any]) -> Any:
        self.calls.append(dict(params))
        listing = self.before if params["page"] == 1 else self.before[:2] + self.before[3:]
        await anyio.lowlevel.checkpoint()
        start = (params["page"] - 1) * params["limit"]
        return [{"id": i} for i in listing[start : start + params["limit"]]]


@pytest.mark.xfail(
    reason="page-number paging without the count: an item removed behind the read "
    "position moves the next one onto a page already read, and nothing tells"
)
@pytest.mark.parametrize("style", ["page", "ordered"])
async def test_an_item_removed_behind_the_read_is_reported_without_a_count(
    style: str, caplog: pytest.LogCaptureFixture
) -> None:
    # TAPD's default (prefetch=1) asks no count. Item 3 goes after page 1 is read, so
    # item 5 (first of page 2 before) is now the last of page 1: never handed out.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = ShrinkingListing(47, added=0, grows_at=1, style=style)
    taken = await read(listing.pager(5, 1, False), "iterate")
    warned = [r for r in caplog.records if r.name == "tca_tapd"]
    assert taken == listing.before or warned, f"{sorted(set(listing.before) - set(taken))} lost"


@pytest.mark.xfail(
    reason="page-number paging without the count: a story removed behind the read "
    "position moves the next one onto a page already read, and nothing tells"
)
async def test_tapd_story_removed_behind_the_read_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    fake = FakeTAPD()
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    ) as tapd:
        ids: list[str] = []
        with anyio.fail_after(30):
            async for page in tapd.stories.list(WORKSPACE, page_size=25, fields="name").pages():
                ids += [s.id for s in page.items]
                if page.index == 0:  # a story already handed out is deleted
                    rows = fake.stories[WORKSPACE]
                    rows.remove(next(r for r in rows if r["id"] == ids[3]))
    remaining = {r["id"] for r in fake.stories[WORKSPACE]}
    warned = [r for r in caplog.records if r.name == "tca_tapd"]
    assert remaining <= set(ids) or warned, f"{sorted(remaining - set(ids))} lost, unsaid"


# -- A page or more of additions between two requests --------------------------------------

MANY = [  # (style, added, grows_at): two whole pages, more, five pages, late in the read
    (style, added, grows_at)
    for style in ("page", "ordered", "offset")
    for added, grows_at in ((10, 2), (12, 3), (25, 2), (15, 9))
]


@pytest.mark.parametrize(("style", "added", "grows_at"), MANY)
@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_a_page_or_more_of_additions_between_two_requests_repeats_and_loses_nothing(
    style: str,
    added: int,
    grows_at: int,
    prefetch: int,
    counted: bool,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # With a page or more of additions, the page after the change holds only new items
    # and the repeats come a page later: a check against the page before let them through.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = ShiftingListing(47, added=added, grows_at=grows_at, style=style)
    taken = await read(listing.pager(5, prefetch, counted), how)
    assert len(taken) == len(set(taken)), "an item handed out twice"
    old = set(listing.before)
    assert [t for t in taken if t in old] == listing.before  # every one, once, in order
    assert set(taken) <= set(listing.after)  # some new ones may come too: no harm
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert warnings[0].startswith("GET /things changed while it was read: ")


@pytest.mark.parametrize("added", [0, 5])
@pytest.mark.parametrize("style", ["page", "ordered"])
@pytest.mark.parametrize(("prefetch", "counted", "how"), MODES)
async def test_a_server_that_answers_past_the_end_with_its_last_page_does_not_hold_the_read(
    added: int,
    style: str,
    prefetch: int,
    counted: bool,
    how: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 50 items (55 with a page of additions before page 4), pages of 5: every page is
    # full, so only the repeats can tell the end; a server that clamps page numbers
    # would otherwise be read for ever.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    listing = ShiftingListing(50, added=added, grows_at=4, style=style, clamps=True)
    taken = await read(listing.pager(5, prefetch, counted), how)
    assert len(taken) == len(set(taken)), "an item handed out twice"
    assert [t for t in taken if t in set(listing.before)] == listing.before
    assert len(listing.calls) <= 11 + 1 + 3 + prefetch  # every page, the first repeat, 3 more
    # Every page is full, so the read goes on (a count may be older than the pages)
    # until the same page came three times, and says so.
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert "the same page came 3 times in a row" in warnings[0]


@pytest.mark.parametrize(("prefetch", "how"), [(1, "pages"), (3, "pages"), (4, "stream")])
async def test_tca_repos_created_two_pages_at_a_time_are_neither_repeated_nor_missed(
    tca_target: Target, prefetch: int, how: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    org, team = "hellotca", "demo"
    async with TCAClient(
        tca_target.base_url,
        TCATokenAuth(TCA_API_TOKEN),
        **tca_target.options(),
    ) as tca:
        with anyio.fail_after(30):
            before = [r.id for r in await tca.repos.list(org, team).collect()]
            ids: list[int] = []

            async def take(page: Page[Any]) -> None:
                ids.extend(r.id for r in page.items)
                if page.index == 0:  # newest first: ten new repos ahead of the read
                    for n in range(10):
                        url = f"https://git.example.com/review/added-{n}.git"
                        await tca.repos.create(org, team, url)

            pager = tca.repos.list(org, team, page_size=5, prefetch=prefetch)
            if how == "stream":
                async with pager.stream_pages() as pages:
                    async for page in pages:
                        await take(page)
            else:
                async for page in pager.pages():
                    await take(page)
    assert len(before) == 25
    assert len(ids) == len(set(ids))
    if how != "stream":
        # A window's pages, asked before the change, may be answered before or after
        # it (out of step): then only the warning is promised, not every item.
        assert [i for i in ids if i in set(before)] == before
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert "changed while it was read" in warnings[0]


@pytest.mark.parametrize(("prefetch", "added"), [(1, 50), (3, 50), (3, 30), (1, 30)])
async def test_tapd_stories_created_pages_at_a_time_are_neither_repeated_nor_missed(
    tapd_target: Target, prefetch: int, added: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        with anyio.fail_after(30):
            before = [s.id for s in await tapd.stories.list(WORKSPACE).collect()]
            ids: list[str] = []
            pager = tapd.stories.list(WORKSPACE, page_size=25, prefetch=prefetch, fields="name")
            async for page in pager.pages():
                ids += [s.id for s in page.items]
                if page.index == 0:
                    for n in range(added):
                        await tapd.stories.create(WORKSPACE, name=f"added while read {n}")
    assert len(ids) == len(set(ids))
    assert [i for i in ids if i in set(before)] == before
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert len(warnings) == 1
    assert warnings[0].startswith("GET /stories changed while it was read: ")


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_a_tapd_story_moved_past_the_read_is_not_handed_out_twice_unsaid(
    tapd_target: Target, prefetch: int, caplog: pytest.LogCaptureFixture
) -> None:
    # In ``modified asc`` order, a story already read that is updated moves to the end:
    # the stories after it move up a place (one of them onto a page already read), and
    # it comes again at the end. It is handed out once; the one lost is said.
    caplog.set_level(logging.WARNING, logger="tca_tapd")
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        with anyio.fail_after(30):
            order = "modified asc"
            before = [s.id for s in await tapd.stories.list(WORKSPACE, order=order).collect()]
            ids: list[str] = []
            pager = tapd.stories.list(
                WORKSPACE, order=order, page_size=25, prefetch=prefetch, fields="name"
            )
            async for page in pager.pages():
                ids += [s.id for s in page.items]
                if page.index == 1:
                    await tapd.stories.update(WORKSPACE, before[10], name="touched")
    assert len(ids) == len(set(ids)), "a story handed out twice"
    warnings = [r.getMessage() for r in caplog.records if r.name == "tca_tapd"]
    assert sorted(ids) == sorted(before) or warnings


async def test_a_crawl_of_several_changing_sources_hands_each_item_out_once() -> None:
    grew = ShiftingListing(47, added=10, grows_at=2)  # two pages ahead of the read
    late = ShiftingListing(47, added=4, grows_at=1)  # after the count, before page 1
    offset = ShiftingListing(47, added=15, grows_at=4, style="offset")
    still = ShiftingListing(23, added=0, grows_at=1)
    sources = {
        "grew": grew.pager(5, 3, True),
        "late": late.pager(5, 3, True),
        "offset": offset.pager(5, 1, False),
        "still": still.pager(5, 2, True),
    }
    taken: dict[str, list[str]] = {key: [] for key in sources}
    with anyio.fail_after(20):
        async with crawl(sources, concurrency=3) as results:
            async for key, item in results:
                taken[key].append(item)
    for key, listing in (("grew", grew), ("late", late), ("offset", offset), ("still", still)):
        items = taken[key]
        assert len(items) == len(set(items)), key
        assert [i for i in items if i in set(listing.before)] == listing.before, key
    assert taken["late"] == late.after
