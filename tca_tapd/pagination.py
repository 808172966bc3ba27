"""Pagination: one :class:`AsyncPager` for every list call, page styles as small data.

A page style (:class:`OffsetPagination` for TCA, :class:`PageNumberPagination` for
TAPD) is pure: it says which query parameters ask for a page, how to read a page's
payload, and whether another page follows; for a server that pages by number only so
deep (TAPD: ``page * limit`` <= 20000), how to ask for the page after a given item
instead. The pager does the I/O.

Usage::

    async for repo in tca.repos.list(org, team):          # every item, page by page
        ...
    async for page in tca.repos.list(org, team).pages():   # Page objects
        ...
    repos = await tca.repos.list(org, team).collect(max_items=500)
    total = await tca.repos.list(org, team).count()
"""

from __future__ import annotations

import copy
import logging
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import aclosing, asynccontextmanager
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

import anyio
import anyio.abc
from attrs import define, field, validators

from ._taskgroup import single_errors
from .errors import PagingDepthError, StructureError

__all__ = [
    "AsyncPager",
    "OffsetPagination",
    "Page",
    "PageNumberPagination",
    "PageStyle",
    "RawPage",
]

T = TypeVar("T")

logger = logging.getLogger("tca_tapd")


@define(frozen=True)
class RawPage:
    """One page's payload, read but not yet structured.

    ``total`` is the number of items in the whole listing when the payload says so;
    ``final`` marks a page after which nothing can follow (an unpaginated list).
    """

    items: Sequence[Any]
    total: int | None = None
    final: bool = False


@define(frozen=True)
class Page(Generic[T]):
    """A page of structured items.

    Attributes:
        items: the items of this page.
        index: the page's number, from 0.
        offset: how many items of the listing come before this page.
        total: the listing's size, when known.
    """

    items: tuple[T, ...]
    index: int
    offset: int
    total: int | None


class PageStyle(Protocol):
    """How one API pages its lists (pure: no I/O)."""

    @property
    def limit(self) -> int:
        """Items asked for per page."""

    def params(self, index: int, offset: int) -> dict[str, Any]:
        """Query parameters for page ``index`` starting at item ``offset``."""

    def read(self, payload: Any) -> RawPage:
        """Take the items (and the total, if present) out of a page's payload."""

    def has_more(self, page: RawPage, seen: int) -> bool:
        """Whether another page follows, ``seen`` items having been read so far."""

    def by_number(self, index: int) -> bool:
        """Whether page ``index`` may be asked for with :meth:`params`; a page past
        that depth is asked for with :meth:`params_after`, one page at a time."""

    def params_after(self, item: Any) -> dict[str, Any]:
        """Query parameters for the page that follows ``item`` (the raw last item of
        the page before), for a page out of :meth:`by_number`'s reach.

        Raises:
            NotImplementedError: the listing cannot go on past that depth (the message
                says what to change).
            KeyError, TypeError, ValueError: an item without a readable cursor.
        """

    def position(self, item: Any, after: Any) -> int | None:
        """Where ``item`` lies in the listing's order relative to ``after``: above 0
        after it, 0 ``after`` itself (a server whose cursor includes its boundary),
        below 0 before it (a server that did not follow the cursor, or a listing that
        grew ahead of the read); ``None``: the style cannot tell (the listing is not
        ordered by a cursor).

        Raises:
            KeyError, TypeError, ValueError: an item without a readable cursor.
        """


def _read_failed(payload: Any, expected: str) -> TypeError:
    return TypeError(f"page payload must be {expected}, got {type(payload).__name__}")


@define(frozen=True)
class OffsetPagination:
    """``limit``/``offset`` over ``{count, next, previous, results}`` (TCA, Django REST).

    Offsets are computed here from the items already read; ``next`` is never
    followed (behind a proxy it can name an internal host). A bare JSON list (views
    without pagination) is the one and only page.
    """

    limit: int = field(default=100, validator=[validators.ge(1), validators.le(1000)])

    def params(self, index: int, offset: int) -> dict[str, int]:
        """``limit`` and ``offset``."""
        return {"limit": self.limit, "offset": offset}

    def read(self, payload: Any) -> RawPage:
        """``{count, results}`` or a bare list."""
        if isinstance(payload, list):
            return RawPage(items=payload, total=len(payload), final=True)
        if isinstance(payload, dict) and isinstance(payload.get("results"), list):
            count = payload.get("count")
            total = count if isinstance(count, int) and not isinstance(count, bool) else None
            return RawPage(items=payload["results"], total=total)
        raise _read_failed(payload, "a list or an object with a 'results' list")

    def has_more(self, page: RawPage, seen: int) -> bool:
        """Until the count is reached, or a short or empty page when no count was sent."""
        if page.final or not page.items:
            return False
        if page.total is not None:
            return seen < page.total
        return len(page.items) >= self.limit

    def by_number(self, index: int) -> bool:
        """Always: TCA serves any offset."""
        return True

    def params_after(self, item: Any) -> dict[str, Any]:
        """Never needed (:meth:`by_number` is always true)."""
        raise NotImplementedError("offset paging reaches every page by its offset")

    def position(self, item: Any, after: Any) -> int | None:
        """Unknown: TCA's listings are not ordered by a cursor."""
        return None


@define(frozen=True)
class PageNumberPagination:
    """``page`` (from 1) and ``limit`` (TAPD: at most 200); a short page is the last.

    Attributes:
        limit: items asked for per page.
        max_depth: how deep the server pages by number: a page is asked for by its
            number only while ``page * limit`` stays within it (TAPD's 使用必读, as
            summarised in 2026-09: 20000); ``None``, no limit.
        cursor: reads the cursor from a raw item, as an int (TAPD: its ``id``):
            past ``max_depth``, each page is asked for with ``cursor=<that of the last
            item before it>`` and no ``page``, one page at a time. ``None``: the
            listing cannot go deeper (TAPD's cursor needs id order).
        descending: the listing's order by cursor (TAPD's default, ``id desc``).
        beyond_depth: what the error says to do when the listing goes deeper than
            ``max_depth`` and there is no ``cursor``.
    """

    limit: int = field(default=200, validator=[validators.ge(1), validators.le(200)])
    max_depth: int | None = field(default=None, kw_only=True)
    cursor: Callable[[Any], int] | None = field(default=None, kw_only=True, repr=False)
    descending: bool = field(default=True, kw_only=True)
    beyond_depth: str = field(default="", kw_only=True, repr=False)

    @max_depth.validator
    def _check_depth(self, attribute: Any, value: int | None) -> None:
        if value is not None and (isinstance(value, bool) or value < self.limit):
            raise ValueError(f"max_depth must be None or >= limit ({self.limit}), got {value!r}")

    def params(self, index: int, offset: int) -> dict[str, int]:
        """``page`` and ``limit``."""
        return {"page": index + 1, "limit": self.limit}

    def read(self, payload: Any) -> RawPage:
        """A bare list of items; the total comes from a separate count call."""
        if isinstance(payload, list):
            return RawPage(items=payload)
        raise _read_failed(payload, "a list")

    def has_more(self, page: RawPage, seen: int) -> bool:
        """Until a short (or empty) page. The total, from a count taken apart from
        the pages, only plans them: a full page at or past it reads on, because items
        added between the count and the first page push the oldest ones past it (the
        pager plans the page after a count that ends a page together with the others:
        one more request, no more round trips)."""
        return not page.final and len(page.items) >= self.limit

    def by_number(self, index: int) -> bool:
        """While ``page * limit`` stays within ``max_depth``."""
        return self.max_depth is None or (index + 1) * self.limit <= self.max_depth

    def params_after(self, item: Any) -> dict[str, Any]:
        """``limit`` and ``cursor`` (the item's, as :attr:`cursor` reads it).

        Raises:
            NotImplementedError: there is no ``cursor``.
            KeyError, TypeError, ValueError: the item's cursor cannot be read.
        """
        if self.cursor is None:
            raise NotImplementedError(self.beyond_depth or "the server offers no way past it")
        return {"limit": self.limit, "cursor": str(self.cursor(item))}

    def position(self, item: Any, after: Any) -> int | None:
        """By the two items' cursors, in the listing's direction (whether TAPD's cursor
        page includes its boundary item is not documented: either is understood);
        ``None`` without a cursor."""
        if self.cursor is None:
            return None
        difference = self.cursor(item) - self.cursor(after)
        return -difference if self.descending else difference


FetchPage = Callable[[Mapping[str, Any]], Awaitable[Any]]
ItemKey = Callable[[Any], Any]
DecodeAnswer = Callable[[Any], Any]
StructureItems = Callable[[Sequence[Any]], list[T]]
CountItems = Callable[[], Awaitable[int]]

_STUCK_PAGES = 3
"""How many times in a row the same page may come before a read ends (see :class:`_Seams`)."""


def _as_is(answer: Any) -> Any:
    return answer


class AsyncPager(Generic[T]):
    """An async iterator over every item of a list call, fetching pages as needed.

    Nothing is sent until iteration starts, and each iteration starts afresh.

    Args:
        fetch: sends the list request with the given paging parameters and returns
            the server's answer (the payload itself, unless ``decode`` is given); it
            may raise for an error answer at once, so that the requests beside it
            stop.
        style: the API's page style.
        structure: turns a page's raw items into models.
        count: asks the server for the total (TAPD's ``…/count``), at the same time
            as the first page, when ``prefetch`` > 1; otherwise the total comes from
            the first page, where the API sends one.
        prefetch: with a known total, how many page requests may be in flight at
            once. Items are still yielded in order, and memory holds at most this
            many pages. Plain ``async for`` fetches in batches of ``prefetch`` pages,
            so no request outlives the batch it belongs to and leaving the loop early
            leaves nothing running; :meth:`stream` keeps a sliding window of
            ``prefetch`` requests busy instead, inside an ``async with`` block. Pages
            deeper than the server pages by number (the style's ``by_number``) are
            asked for one at a time, each after the last item before it.
        decode: turns an answer into the envelope's payload (raising the API's error
            for an error answer); default: the answer is the payload. An answer that
            arrives before its page is taken waits undecoded (the server's bytes, not
            a tree of objects) and is decoded right before its items are structured,
            while it is still in the CPU's cache. A failure to decode or structure is
            raised when its page is reached, after the items before it.
        label: names the listing in the warnings logged when it ends short of the
            total the server gave, or changed while it was read (``GET /stories``; no
            query: it may hold secrets).
        key: reads a raw item's identity (its id; ``None`` for an item without one).
            Items added ahead of the read position between two requests move later
            items down a place, so a page starts with items handed out already (TAPD's
            default order puts new items first). Those are dropped: the items whose
            key was handed out before (any number of additions between two requests,
            in any order; the keys of the items handed out are kept). A total from
            the count then stretches by as many (TCA's pages carry their own), and a
            warning says the listing changed. Items added between TAPD's count and the
            first page (they run at once) are read too: a full page at or past the
            count reads on, and the page after a count that ends a page is asked for
            with the others. Not seen: changes that pages asked for at once answer out
            of step; the warning says to read again for a consistent copy.
    """

    def __init__(
        self,
        fetch: FetchPage,
        style: PageStyle,
        structure: StructureItems[T],
        *,
        count: CountItems | None = None,
        prefetch: int = 1,
        decode: DecodeAnswer | None = None,
        label: str = "a listing",
        key: ItemKey | None = None,
    ) -> None:
        if isinstance(prefetch, bool) or not isinstance(prefetch, int) or prefetch < 1:
            raise ValueError(f"prefetch must be an int >= 1, got {prefetch!r}")
        self._fetch = fetch
        self.label = label
        self.style = style
        self._structure = structure
        self._count = count
        self.prefetch = prefetch
        self._decode = decode or _as_is
        self._key = key

    def __aiter__(self) -> AsyncIterator[T]:
        return _Flatten(_Pages(_Reader(self)))

    def _within(self, budget: anyio.Semaphore) -> AsyncPager[T]:
        """This listing with each request it sends (pages and the count) holding a
        token of ``budget`` while in flight: a crawl's request budget, shared by its
        sources."""
        fetch, count = self._fetch, self._count

        async def fetch_within(params: Mapping[str, Any]) -> Any:
            async with budget:
                return await fetch(params)

        async def count_within() -> int:
            assert count is not None
            async with budget:
                return await count()

        # A copy, not a new pager: a subclass keeps its own methods, and no setting of
        # the constructor has to be passed on by hand.
        within = copy.copy(self)
        within._fetch = fetch_within
        within._count = count_within if count is not None else None
        return within

    def _planned(self, total: int) -> int:
        """How far into the listing a window plans its pages, for a ``total`` the
        first page (or the count) gave. A count taken apart from the pages may be
        older than they are: items added in between push the oldest past it, so the
        page after a count that ends a page is planned too (empty if nothing changed)."""
        return total + 1 if self._count is not None else total

    async def _page(
        self, index: int, offset: int, count: int | None, seams: _Seams
    ) -> tuple[RawPage, Page[T]]:
        """Page ``index`` by its number, as :meth:`_take` gives it."""
        raw = self._read_answer(await self._answer(index, offset))
        return self._take(raw, index, offset, seams, count)

    async def _answer(self, index: int, offset: int) -> Any:
        """The server's answer for page ``index``, not decoded yet."""
        return await self._fetch(self.style.params(index, offset))

    def _read_answer(self, answer: Any) -> RawPage:
        """Decode an answer and take the page out of it."""
        return self._read(self._decode(answer))

    def _take(
        self, raw: RawPage, index: int, offset: int, seams: _Seams, count: int | None
    ) -> tuple[RawPage, Page[T]]:
        """Hand a page out: the items it repeats from the pages before dropped (the
        listing grew ahead of them), the rest structured. Returns the page as sent
        with the total to judge it by (its own, else ``count`` stretched by the items
        that came again), and the page as handed out."""
        fresh, state = seams.fresh(raw.items)
        items = tuple(self._structure(fresh))
        seams.took(state, len(raw.items), len(fresh))  # only once the page is typed
        total = raw.total
        if total is None and count is not None:
            total = count + seams.repeated
        page = Page(items=items, index=index, offset=offset, total=total)
        return RawPage(items=raw.items, total=total, final=raw.final or seams.stuck), page

    async def _page_after(
        self, after: Any, index: int, offset: int, count: int | None, seams: _Seams
    ) -> tuple[RawPage, Page[T], bool]:
        """Page ``index``, deeper than the server pages by number: asked for as the page
        after ``after`` (the raw last item before it). Returns the page, without
        ``after`` if the server sends it again, and whether another may follow.

        Raises:
            PagingDepthError: the style has no way past the depth and the listing goes
                on (or, without a count, may go on).
            StructureError: an item without a readable cursor, or an answer that does
                not follow the cursor (it would repeat items, or never end).
        """
        try:
            params = self.style.params_after(after)
        except NotImplementedError as exc:
            if count is None and self._count is not None:
                count = await self._count()  # whether anything lies deeper at all
            total = None if count is None else count + seams.repeated
            if total is not None and total <= offset:
                raw, page = self._take(RawPage(items=[]), index, offset, seams, count)
                return raw, page, False
            raise PagingDepthError(
                listing=self.label, depth=offset, total=total, hint=str(exc)
            ) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise self._no_cursor(after, "$[-1]", exc) from None
        sent = self._read_answer(await self._fetch(params))
        start = 0
        for number, item in enumerate(sent.items):
            try:
                place = self.style.position(item, after)
            except (KeyError, TypeError, ValueError) as exc:
                raise self._no_cursor(item, f"$[{number}]", exc) from None
            if number == 0 and place == 0:
                start = 1  # the cursor's own item again
            elif place is not None and place <= 0:
                raise StructureError(
                    model="page",
                    path=f"$[{number}]",
                    value=item,
                    reason=f"not after the item asked for by cursor={params.get('cursor')}: "
                    "the server did not page by the cursor",
                )
        raw = RawPage(items=sent.items[start:], total=sent.total, final=sent.final)
        judged, page = self._take(raw, index, offset, seams, count)
        # Full or short as sent; the total compared with the items that are new.
        as_sent = RawPage(items=sent.items, total=judged.total, final=judged.final)
        more = bool(raw.items) and self.style.has_more(as_sent, offset + len(raw.items))
        return judged, page, more

    @staticmethod
    def _no_cursor(item: Any, path: str, exc: Exception) -> StructureError:
        return StructureError(
            model="page", path=path, value=item, reason=f"no cursor in the item ({exc!r})"
        )

    def pages(self) -> AsyncIterator[Page[T]]:
        """Every page in order, as :class:`Page` objects (``async for page in …``).

        Only pages with items are given (and the first page of an empty listing): the
        empty page that ends a listing of whole pages is read, not handed out.
        """
        return _Pages(_Reader(self))

    @asynccontextmanager
    async def stream(self) -> AsyncIterator[AsyncIterator[T]]:
        """Every item, with ``prefetch`` page requests kept in flight while the block runs.

        ::

            async with pager.stream() as items:
                async for item in items:
                    ...

        A new request starts as soon as the caller takes a page, so one slow page
        does not hold the others back (plain ``async for`` waits for each batch).
        Leaving the block cancels whatever is still in flight.
        """
        async with self.stream_pages() as pages:
            yield _Flatten(pages)

    @asynccontextmanager
    async def stream_pages(self) -> AsyncIterator[AsyncIterator[Page[T]]]:
        """Like :meth:`stream`, page by page (for progress reporting); the pages are
        those :meth:`pages` gives."""
        with single_errors():
            async with anyio.create_task_group() as tg:
                async with aclosing(self._pages(tg)) as pages:
                    yield pages
                tg.cancel_scope.cancel()

    async def _pages(self, tg: anyio.abc.TaskGroup) -> AsyncGenerator[Page[T], None]:
        """The pages for :meth:`stream_pages`: the first as plain iteration takes it (with
        the count beside it), then a sliding window in ``tg`` once the total is known."""
        reader = _Reader(self)
        first = await reader.next_page()
        if first is None:
            return
        if self.prefetch > 1 and reader.windowable:
            # The window starts filling before the caller gets the first page.
            rest = self._windowed(tg, reader)
            yield first
            async with aclosing(rest) as pages:
                async for page in pages:
                    yield page
            return
        yield first
        while (following := await reader.next_page()) is not None:
            yield following

    def _windowed(
        self, tg: anyio.abc.TaskGroup, reader: _Reader[T]
    ) -> AsyncGenerator[Page[T], None]:
        """Start requesting the pages after those ``reader`` has read; a new request
        starts whenever the caller takes a page. The requests run in ``tg``, which
        belongs to the caller's ``async with`` block; the returned generator hands the
        pages over in order. Pages past the plan (deeper than the server pages by
        number, or past the total as the listing grew) follow one at a time.

        Taking a page starts the next request before anything else, and the page is
        structured then, by the caller, not by its request's task: when a window's
        answers arrive together, the next requests go out without waiting for every
        answer to be structured first.
        """
        seen, page_size, seams = reader.seen, reader.page_size, reader.seams
        total = reader.total or 0
        plan = [
            (index, offset)
            for index, offset in enumerate(
                range(seen, self._planned(total), page_size), start=seen // page_size
            )
            if self.style.by_number(index)
        ]
        upcoming = iter(plan)
        ready: dict[int, anyio.Event] = {}
        answers: dict[int, Any] = {}

        async def fetch(index: int, offset: int) -> None:
            answers[index] = await self._answer(index, offset)
            ready[index].set()

        def start_next() -> None:
            for index, offset in upcoming:  # at most one
                ready[index] = anyio.Event()
                tg.start_soon(fetch, index, offset)
                return

        async def in_order() -> AsyncGenerator[Page[T], None]:
            last, index, offset = reader.last_item, seen // page_size, seen
            more = True  # a window starts only when more follow
            for index, offset in plan:
                await ready[index].wait()
                del ready[index]
                answer = answers.pop(index)
                start_next()  # the window slot this page held
                await anyio.lowlevel.checkpoint()  # let that request go out first
                raw, page = self._take(self._read_answer(answer), index, offset, seams, total)
                if page.items:  # as plain iteration: a page that brings nothing is not given
                    yield page
                if len(raw.items) < page_size or not raw.items:
                    # Reached only when the caller asks past this page, as for plain
                    # iteration: a caller that stopped earlier is told nothing.
                    self._report_end(offset + len(raw.items), total, seams)
                    return
                last = raw.items[-1]
                index, offset = index + 1, offset + len(raw.items)
                more = self.style.has_more(raw, offset)
            # Past the plan, one page at a time: deeper than the server pages by number,
            # or past a total the listing outgrew.
            while more:
                if self.style.by_number(index):
                    raw, page = await self._page(index, offset, total, seams)
                    more = self.style.has_more(raw, offset + len(raw.items))
                else:
                    raw, page, more = await self._page_after(last, index, offset, total, seams)
                if page.items:
                    yield page
                if raw.items:
                    last = raw.items[-1]
                index, offset = index + 1, offset + len(raw.items)
            self._report_end(offset, total, seams)

        for _ in range(self.prefetch):
            start_next()
        return in_order()

    async def collect(self, max_items: int | None = None) -> list[T]:
        """All items in a list (or the first ``max_items``)."""
        if max_items is not None and (isinstance(max_items, bool) or max_items < 0):
            raise ValueError(f"max_items must be >= 0, got {max_items!r}")
        out: list[T] = []
        if max_items == 0:
            return out
        reader = _Reader(self)
        while (page := await reader.next_page()) is not None:
            out.extend(page.items)
            if max_items is not None and len(out) >= max_items:
                return out[:max_items]
        return out

    async def count(self) -> int:
        """The listing's total: from the API's count call, or the first page's count."""
        if self._count is not None:
            return await self._count()
        raw = self._read_answer(await self._answer(0, 0))
        if raw.total is None:
            raise NotImplementedError("this listing does not report its total")
        return raw.total

    def _read(self, payload: Any) -> RawPage:
        try:
            return self.style.read(payload)
        except TypeError as exc:
            raise StructureError(model="page", path="$", value=payload, reason=str(exc)) from None

    def _report_end(self, seen: int, total: int | None, seams: _Seams) -> None:
        """Say, as a warning on the ``tca_tapd`` logger, once the caller has reached the
        end of a read (``seen`` items as sent), whether the listing changed while it was
        read (items came again) or ended short of the total the first page (or the
        count) gave: nothing is lost or repeated silently."""
        handed_out = seen - seams.repeated
        short = total is not None and handed_out < total
        if seams.stuck:
            logger.warning(
                "%s stopped after %d items: the same page came %d times in a row. The "
                "server answers a page past the end with its last page again, or the "
                "listing grew by exactly a page before each request (then read it "
                "again: items may have been missed)",
                self.label,
                handed_out,
                _STUCK_PAGES,
            )
        elif seams.repeated:
            logger.warning(
                "%s changed while it was read: items were added ahead of the read (or moved "
                "past it), and %d items that came again (read already) were left out; the "
                "read went on past the total by as many.%s Read it again for a consistent "
                "copy: pages asked for at once can miss a change",
                self.label,
                seams.repeated,
                f" It ended after {handed_out} items, short of the {total} the server "
                "counted: items were removed too."
                if short
                else "",
            )
        elif short:
            logger.warning(
                "%s ended after %d items, short of the %d the server counted: items were "
                "removed while it was read, or the server sent short or empty pages early",
                self.label,
                handed_out,
                total,
            )

    def __repr__(self) -> str:
        return f"AsyncPager(style={self.style!r}, prefetch={self.prefetch})"


class _Reader(Generic[T]):
    """Plain iteration's state: reads a pager's pages in order, one call at a time.

    No generators are involved, so an iteration abandoned midway (a ``break``) leaves
    nothing to finalise, and nothing is in flight between calls: with ``prefetch``,
    a call fetches a whole batch in a task group that ends before it returns.
    """

    def __init__(self, pager: AsyncPager[T]) -> None:
        self._pager = pager
        self._ready: deque[Page[T]] = deque()
        # A page that failed to decode or structure: raised once the pages before it are
        # taken; the next call then fetches from that page again (as after a failed batch).
        self._failure: Exception | None = None
        self._started = False
        self._done = False
        self._reported = False
        self.seen = 0
        self.total: int | None = None  # as the first page (or the count) gave it
        self.page_size = 0
        self._index = 0
        # The raw last item read: a page deeper than the server pages by number is
        # asked for after it.
        self.last_item: Any = None
        self.seams = _Seams(pager._key)

    @property
    def windowable(self) -> bool:
        """Whether the remaining pages can be planned (the total is known, more follow)."""
        return not self._done and self.total is not None

    async def next_page(self) -> Page[T] | None:
        """The next page, or ``None`` after the last. A page that brings no item (the
        empty page that ends a listing, or one of items handed out already) is read
        but not handed out; only the first page is, empty or not (an empty listing)."""
        while True:
            page = await self._next_read()
            if page is None or page.items or page.index == 0:
                return page

    async def _next_read(self) -> Page[T] | None:
        """The next page read, or ``None`` after the last."""
        if self._ready:
            return self._ready.popleft()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        if self._done:
            if not self._reported:
                self._reported = True  # said once, when the caller reaches the end
                self._pager._report_end(self.seen, self.total, self.seams)
            return None
        pager = self._pager
        if not self._started:
            self._started = True
            if pager._count is not None and pager.prefetch > 1:
                # The count and the first page at once (the first page is asked for
                # whatever the count says): a listing of one page takes one round
                # trip, and the first items of any listing come one round trip sooner.
                count, answer = await _both(pager._count, partial(pager._answer, 0, 0))
                raw, page = pager._take(pager._read_answer(answer), 0, 0, self.seams, count)
            else:
                raw, page = await pager._page(0, 0, None, self.seams)
            self.total = raw.total
            self.page_size = len(raw.items)  # what the server serves, if it caps our limit
            self._advance(raw)
            return page
        if (
            pager.prefetch == 1
            or self.total is None
            or not pager.style.by_number(self._index)
            or self.seen >= self.total + self.seams.repeated  # past the total: one by one
        ):
            return await self._next_alone()
        await self._fetch_batch(self.total)
        return await self._next_read()  # its first page, its failure, or the end

    async def _next_alone(self) -> Page[T]:
        """The next page, by itself: by its number, or deeper, after the last item."""
        pager = self._pager
        if pager.style.by_number(self._index):
            raw, page = await pager._page(self._index, self.seen, self.total, self.seams)
            self._advance(raw)
        else:
            raw, page, more = await pager._page_after(
                self.last_item, self._index, self.seen, self.total, self.seams
            )
            self._advance(raw, more)
        return page

    def _advance(self, raw: RawPage, more: bool | None = None) -> None:
        """Move past a page read (``more``: whether another follows, if already known)."""
        self._index += 1
        self.seen += len(raw.items)
        if raw.items:
            self.last_item = raw.items[-1]
        if more is None:
            more = self._pager.style.has_more(raw, self.seen)
        if not more:
            self._done = True

    async def _fetch_batch(self, total: int) -> None:
        """The next ``prefetch`` pages at once; they are queued in order, up to a page
        that fails (kept in ``_failure``, the reader left at that page). The total
        stretches by the items that came again (the listing grew)."""
        by_number = self._pager.style.by_number
        end = self._pager._planned(total) + self.seams.repeated
        plan = [
            (self._index + n, self.seen + n * self.page_size)
            for n in range(self._pager.prefetch)
            if self.seen + n * self.page_size < end and by_number(self._index + n)
        ]
        answers: list[Any] = [None] * len(plan)

        async def fetch(slot: int, index: int, offset: int) -> None:
            answers[slot] = await self._pager._answer(index, offset)

        with single_errors():
            async with anyio.create_task_group() as tg:
                for slot, (index, offset) in enumerate(plan):
                    tg.start_soon(fetch, slot, index, offset)
        # Decoded and structured here, in order, each page right after the other; a page
        # that fails does so when it is reached, after the pages before it.
        for answer, (index, offset) in zip(answers, plan, strict=True):
            try:
                raw, page = self._pager._take(
                    self._pager._read_answer(answer), index, offset, self.seams, total
                )
                self._ready.append(page)
            except Exception as exc:
                self._failure = exc
                return
            short = len(raw.items) < self.page_size or not raw.items
            self._advance(raw, more=not short)  # a short page: the listing shrank
            if short:
                return
        if not plan or not self._pager.style.has_more(raw, self.seen):
            self._done = True


class _Seams:
    """What one read of a listing remembers to hand each item out once.

    Items added ahead of the read position between two requests move later items down
    as many places, so a page starts with items handed out already: an item whose key
    was handed out before is such a repeat (any number of additions between two
    requests, in any order, is caught this way: with a page or more of them, a page
    can hold nothing but new items, and the repeats come a page later). ``repeated``
    counts them: the listing grew by at least as many, and the read goes on as far
    past the total. Memory: the key of every item handed out (about 100 bytes an
    item for TAPD's id strings).

    ``stuck``: the same page came :data:`_STUCK_PAGES` times in a row (the same keys
    in the same order, nothing new), and the read ends there. A server that answers a
    page number past the end with its last page again would otherwise be read for
    ever; a growing listing shifts every page, so at most one page in a row can
    equal the page before (when exactly a page of items came between two requests).
    """

    def __init__(self, key: ItemKey | None) -> None:
        self._key = key
        self._seen: set[Any] = set()
        self.repeated = 0
        self._last: list[Any] = []  # the keys of the page before, in order
        self._same_run = 1  # how many times in a row that page came

    @property
    def stuck(self) -> bool:
        """Whether the read should end: the same page came too many times in a row."""
        return self._same_run >= _STUCK_PAGES

    def fresh(self, items: Sequence[Any]) -> tuple[Sequence[Any], list[Any]]:
        """The items not handed out before, and this page's keys (for :meth:`took`)."""
        if not items or self._key is None:
            return items, []
        key_of = self._key
        keys = [key_of(item) for item in items]
        if self._seen.isdisjoint(keys):
            return items, keys
        seen = self._seen
        kept = [item for item, key in zip(items, keys, strict=True) if key not in seen]
        return kept, keys

    def took(self, keys: list[Any], sent: int, fresh: int) -> None:
        """A page of ``sent`` items was handed out, ``fresh`` of them new (the others
        were dropped); ``keys``: as :meth:`fresh` gave them."""
        self._seen.update(keys)
        self._seen.discard(None)  # an item without a key is never a repeat
        self.repeated += sent - fresh
        same = bool(keys) and not fresh and keys == self._last
        self._same_run = self._same_run + 1 if same else 1
        self._last = keys


async def _both(
    first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]]
) -> tuple[Any, Any]:
    """``(await first(), await second())``, the two running at once (the first error
    raised stops the other)."""
    results: list[Any] = [None, None]

    async def run(slot: int, call: Callable[[], Awaitable[Any]]) -> None:
        results[slot] = await call()

    with single_errors():
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, 0, first)
            tg.start_soon(run, 1, second)
    return results[0], results[1]


class _Pages(Generic[T]):
    """``async for page in pager.pages()``."""

    def __init__(self, reader: _Reader[T]) -> None:
        self._reader = reader

    def __aiter__(self) -> _Pages[T]:
        return self

    async def __anext__(self) -> Page[T]:
        page = await self._reader.next_page()
        if page is None:
            raise StopAsyncIteration
        return page

    async def aclose(self) -> None:
        """Nothing to release (kept so ``contextlib.aclosing`` works on it)."""


class _Flatten(Generic[T]):
    """The items of an async iterator of pages, one by one (``async for item in pager``,
    and :meth:`AsyncPager.stream`).

    A class, not an async generator: taking an item from the current page is then a
    plain call, which matters at tens of thousands of items.
    """

    def __init__(self, pages: AsyncIterator[Page[T]]) -> None:
        self._pages = pages
        self._items: Iterator[T] = iter(())

    def __aiter__(self) -> _Flatten[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            for item in self._items:
                return item
            page = await self._pages.__anext__()  # StopAsyncIteration ends us too
            self._items = iter(page.items)

    async def aclose(self) -> None:
        """Nothing to release: plain iteration leaves nothing running, and the
        ``stream()`` block owns its requests (kept so ``contextlib.aclosing`` works)."""
