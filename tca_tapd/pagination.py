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
            ValueError: the listing cannot go on past that depth (the message says what
                to change).
        """

    def position(self, item: Any, after: Any) -> int:
        """Where ``item``, on the page asked for with ``params_after(after)``, lies in
        the listing's order: above 0 after ``after``, 0 ``after`` itself (a server
        whose cursor includes its boundary), below 0 before it (a server that did not
        follow the cursor).

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
        raise ValueError("offset paging reaches every page by its offset")

    def position(self, item: Any, after: Any) -> int:
        """Never needed."""
        return 1


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
        """Until a short page, or the known total."""
        if len(page.items) < self.limit:
            return False
        return page.total is None or seen < page.total

    def by_number(self, index: int) -> bool:
        """While ``page * limit`` stays within ``max_depth``."""
        return self.max_depth is None or (index + 1) * self.limit <= self.max_depth

    def params_after(self, item: Any) -> dict[str, Any]:
        """``limit`` and ``cursor`` (the item's, as :attr:`cursor` reads it).

        Raises:
            ValueError: there is no ``cursor``.
        """
        if self.cursor is None:
            raise ValueError(self.beyond_depth or "the server offers no way past it")
        return {"limit": self.limit, "cursor": str(self.cursor(item))}

    def position(self, item: Any, after: Any) -> int:
        """By the two items' cursors, in the listing's direction (whether TAPD's cursor
        page includes its boundary item is not documented: either is understood)."""
        if self.cursor is None:
            return 1
        difference = self.cursor(item) - self.cursor(after)
        return -difference if self.descending else difference


FetchPage = Callable[[Mapping[str, Any]], Awaitable[Any]]
ItemKey = Callable[[Any], Any]
DecodeAnswer = Callable[[Any], Any]
StructureItems = Callable[[Sequence[Any]], list[T]]
CountItems = Callable[[], Awaitable[int]]


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
            With it, items a page repeats from the page before are dropped: the
            listing grew ahead of the read position between two requests and later
            items moved down a place (TAPD's default order puts new items first). The
            read then goes on past the total by as many items, so none at the end is
            missed; a warning says so. Pages read one after the other miss nothing
            this way; pages asked for at once can be answered out of step with the
            change, which no client of page numbers can see.
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
        return _Flatten(_Pages(_Cursor(self)))

    async def _page(
        self, index: int, offset: int, total: int | None, seams: _Seams
    ) -> tuple[RawPage, Page[T]]:
        """Page ``index`` by its number: the page as sent, and as handed out."""
        raw = self._read_answer(await self._answer(index, offset), total)
        return raw, self._typed_page(raw, index, offset, seams)

    async def _answer(self, index: int, offset: int) -> Any:
        """The server's answer for page ``index``, not decoded yet."""
        return await self._fetch(self.style.params(index, offset))

    def _read_answer(self, answer: Any, total: int | None) -> RawPage:
        """Decode an answer and take the page out of it (``total``: known already)."""
        raw = self._read(self._decode(answer))
        if raw.total is None and total is not None:
            raw = RawPage(items=raw.items, total=total, final=raw.final)
        return raw

    def _typed_page(self, raw: RawPage, index: int, offset: int, seams: _Seams) -> Page[T]:
        """The page's items as handed out: those it repeats from the page before
        dropped, the rest structured."""
        fresh, keys = seams.fresh(raw.items)
        items = tuple(self._structure(fresh))
        seams.took(keys, len(raw.items) - len(fresh))  # only once the page is typed
        if len(fresh) < len(raw.items):
            logger.warning(
                "%s changed while it was read: %d items at item %d came again (items were "
                "added ahead of them meanwhile) and were handed out once; the read goes on "
                "past the total by as many. Pages asked for at once may still have missed "
                "items: read it again for a consistent copy",
                self.label,
                len(raw.items) - len(fresh),
                offset,
            )
        return Page(items=items, index=index, offset=offset, total=raw.total)

    async def _page_after(
        self, after: Any, index: int, offset: int, total: int | None, seams: _Seams
    ) -> tuple[RawPage, Page[T], bool]:
        """Page ``index``, deeper than the server pages by number: asked for as the page
        after ``after`` (the raw last item before it). Returns the page, without
        ``after`` if the server sends it again, and whether another may follow.

        Raises:
            PagingDepthError: the style has no way past the depth and the listing goes
                on (or, without a count, may go on), or the server's answer does not
                follow the cursor (it would repeat items or never end).
            StructureError: an item without a readable cursor.
        """
        try:
            params = self.style.params_after(after)
        except ValueError as exc:
            if total is None and self._count is not None:
                total = await self._count()  # whether anything lies deeper at all
            if total is not None and total + seams.repeated <= offset:
                raw = RawPage(items=[], total=total)
                return raw, self._typed_page(raw, index, offset, seams), False
            raise PagingDepthError(
                listing=self.label, depth=offset, total=total, hint=str(exc)
            ) from None
        except (KeyError, TypeError) as exc:
            raise self._no_cursor(after, "$[-1]", exc) from None
        sent = self._read_answer(await self._fetch(params), total)
        places = []
        for number, item in enumerate(sent.items):
            try:
                places.append(self.style.position(item, after))
            except (KeyError, TypeError, ValueError) as exc:
                raise self._no_cursor(item, f"$[{number}]", exc) from None
        start = 1 if places and places[0] == 0 else 0  # the cursor's own item again
        if any(place <= 0 for place in places[start:]):
            hint = f"the server's answer to cursor={params.get('cursor')} is not what follows it"
            raise PagingDepthError(listing=self.label, depth=offset, total=total, hint=hint)
        raw = RawPage(items=sent.items[start:], total=sent.total, final=sent.final)
        page = self._typed_page(raw, index, offset, seams)
        # Full or short as sent; the total compared with the items that are new.
        seen = offset + len(raw.items) - seams.repeated
        more = bool(raw.items) and self.style.has_more(sent, seen)
        return raw, page, more

    @staticmethod
    def _no_cursor(item: Any, path: str, exc: Exception) -> StructureError:
        return StructureError(
            model="page", path=path, value=item, reason=f"no cursor in the item ({exc!r})"
        )

    def pages(self) -> AsyncIterator[Page[T]]:
        """Every page in order, as :class:`Page` objects (``async for page in …``)."""
        return _Pages(_Cursor(self))

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
        """Like :meth:`stream`, page by page (for progress reporting)."""
        with single_errors():
            async with anyio.create_task_group() as tg:
                async with aclosing(self._pages(tg)) as pages:
                    yield pages
                tg.cancel_scope.cancel()

    async def _pages(self, tg: anyio.abc.TaskGroup) -> AsyncGenerator[Page[T], None]:
        """The pages for :meth:`stream_pages`: the first as plain iteration takes it (with
        the count beside it), then a sliding window in ``tg`` once the total is known."""
        cursor = _Cursor(self)
        first = await cursor.next_page()
        if first is None:
            return
        if self.prefetch > 1 and cursor.windowable:
            # The window starts filling before the caller gets the first page.
            rest = self._windowed(tg, cursor)
            yield first
            async with aclosing(rest) as pages:
                async for page in pages:
                    yield page
            return
        yield first
        while (following := await cursor.next_page()) is not None:
            yield following

    def _windowed(
        self, tg: anyio.abc.TaskGroup, cursor: _Cursor[T]
    ) -> AsyncGenerator[Page[T], None]:
        """Start requesting the pages after those ``cursor`` has read; a new request
        starts whenever the caller takes a page. The requests run in ``tg``, which
        belongs to the caller's ``async with`` block; the returned generator hands the
        pages over in order. Pages past the plan (deeper than the server pages by
        number, or past the total as the listing grew) follow one at a time.

        Taking a page starts the next request before anything else, and the page is
        structured then, by the caller, not by its request's task: when a window's
        answers arrive together, the next requests go out without waiting for every
        answer to be structured first.
        """
        seen, page_size, seams = cursor.seen, cursor.page_size, cursor.seams
        total = cursor.total or 0
        plan = [
            (index, offset)
            for index, offset in enumerate(range(seen, total, page_size), start=seen // page_size)
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
            last, index, offset = cursor.last_item, seen // page_size, seen
            for index, offset in plan:
                await ready[index].wait()
                del ready[index]
                answer = answers.pop(index)
                start_next()  # the window slot this page held
                await anyio.lowlevel.checkpoint()  # let that request go out first
                raw = self._read_answer(answer, total)
                yield self._typed_page(raw, index, offset, seams)
                if len(raw.items) < page_size or not raw.items:
                    # Reached only when the caller asks past this page, as for plain
                    # iteration: a caller that stopped earlier is told nothing.
                    handed_out = offset + len(raw.items) - seams.repeated
                    if handed_out < total:  # the listing shrank meanwhile
                        self._ended_short(handed_out, total)
                    return
                last = raw.items[-1]
                index, offset = index + 1, offset + len(raw.items)
            # Past the plan: the depth the server pages to by number, or the total as
            # the listing grew (items came again).
            more = offset - seams.repeated < total
            while more:
                if self.style.by_number(index):
                    raw, page = await self._page(index, offset, total, seams)
                    more = self.style.has_more(raw, offset + len(raw.items) - seams.repeated)
                else:
                    raw, page, more = await self._page_after(last, index, offset, total, seams)
                yield page
                if raw.items:
                    last = raw.items[-1]
                index, offset = index + 1, offset + len(raw.items)
                if not more and offset - seams.repeated < total:
                    self._ended_short(offset - seams.repeated, total)

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
        cursor = _Cursor(self)
        while (page := await cursor.next_page()) is not None:
            out.extend(page.items)
            if max_items is not None and len(out) >= max_items:
                return out[:max_items]
        return out

    async def count(self) -> int:
        """The listing's total: from the API's count call, or the first page's count."""
        if self._count is not None:
            return await self._count()
        raw = self._read_answer(await self._answer(0, 0), None)
        if raw.total is None:
            raise NotImplementedError("this listing does not report its total")
        return raw.total

    def _read(self, payload: Any) -> RawPage:
        try:
            return self.style.read(payload)
        except TypeError as exc:
            raise StructureError(model="page", path="$", value=payload, reason=str(exc)) from None

    def _ended_short(self, seen: int, total: int) -> None:
        """Say, as a warning on the ``tca_tapd`` logger, that the pages ran out before
        the total the first page (or the count) gave: nothing is lost silently, even
        when the listing only shrank."""
        logger.warning(
            "%s ended after %d items, short of the %d the server counted: items were "
            "removed while it was read, or the server sent short or empty pages early",
            self.label,
            seen,
            total,
        )

    def __repr__(self) -> str:
        return f"AsyncPager(style={self.style!r}, prefetch={self.prefetch})"


class _Cursor(Generic[T]):
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
        """The next page, or ``None`` after the last."""
        if self._ready:
            return self._ready.popleft()
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
        if self._done:
            handed_out = self.seen - self.seams.repeated
            if self.total is not None and handed_out < self.total and not self._reported:
                self._reported = True  # said once, when the caller reaches the end
                self._pager._ended_short(handed_out, self.total)
            return None
        pager = self._pager
        if not self._started:
            self._started = True
            if pager._count is not None and pager.prefetch > 1:
                # The count and the first page at once (the first page is asked for
                # whatever the count says): a listing of one page takes one round
                # trip, and the first items of any listing come one round trip sooner.
                total, answer = await _both(pager._count, partial(pager._answer, 0, 0))
                raw = pager._read_answer(answer, total)
                page = pager._typed_page(raw, 0, 0, self.seams)
            else:
                raw, page = await pager._page(0, 0, None, self.seams)
            self.total = raw.total
            self.page_size = len(raw.items)  # what the server serves, if it caps our limit
            self._advance(raw)
            return page
        if pager.prefetch == 1 or self.total is None or not pager.style.by_number(self._index):
            return await self._next_alone()
        await self._fetch_batch(self.total)
        return await self.next_page()  # its first page, its failure, or the end

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
            more = self._pager.style.has_more(raw, self.seen - self.seams.repeated)
        if not more:
            self._done = True

    async def _fetch_batch(self, total: int) -> None:
        """The next ``prefetch`` pages at once; they are queued in order, up to a page
        that fails (kept in ``_failure``, the cursor left at that page). The total
        stretches by the items that came again (the listing grew)."""
        by_number = self._pager.style.by_number
        end = total + self.seams.repeated
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
                raw = self._pager._read_answer(answer, total)
                self._ready.append(self._pager._typed_page(raw, index, offset, self.seams))
            except Exception as exc:
                self._failure = exc
                break
            self._index += 1
            self.seen += len(raw.items)
            if len(raw.items) < self.page_size or not raw.items:
                self._done = True  # the listing shrank while we read it
                break
            self.last_item = raw.items[-1]
        if self.seen - self.seams.repeated >= total or not plan:
            self._done = True


class _Seams:
    """What one read of a listing remembers to hand each item out once: the keys of
    the page before. Items a page repeats from it are dropped; the listing grew ahead
    of the read position between the two requests (later items moved down a place),
    by at least as many as ``repeated`` counts, so the read goes on as far past the
    total. Memory: one page of keys."""

    def __init__(self, key: ItemKey | None) -> None:
        self._key = key
        self._before: frozenset[Any] = frozenset()
        self.repeated = 0

    def fresh(self, items: Sequence[Any]) -> tuple[Sequence[Any], frozenset[Any]]:
        """The items not on the page before, and this page's keys (for :meth:`took`)."""
        if self._key is None:
            return items, frozenset()
        keys = [self._key(item) for item in items]
        mine = frozenset(keys).difference((None,))
        if self._before.isdisjoint(mine):
            return items, mine
        before = self._before
        kept = [item for item, key in zip(items, keys, strict=True) if key not in before]
        return kept, mine

    def took(self, keys: frozenset[Any], repeated: int) -> None:
        """A page was handed out: its keys are now the page before."""
        self._before = keys
        self.repeated += repeated


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

    def __init__(self, cursor: _Cursor[T]) -> None:
        self._cursor = cursor

    def __aiter__(self) -> _Pages[T]:
        return self

    async def __anext__(self) -> Page[T]:
        page = await self._cursor.next_page()
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
