"""Fan-out crawls: many list calls under one concurrency budget, items streamed as they come.

::

    from tca_tapd import crawl

    pagers = {ws: tapd.stories.list(ws) for ws in workspace_ids}
    async with crawl(pagers, concurrency=8, on_error="continue") as results:
        async for workspace_id, story in results:
            ...
    for failure in results.errors:
        print(failure.source, failure.error)

At most ``concurrency`` requests (pages and TAPD's counts, of every source) are in
flight at once, and at most ``concurrency`` sources are read at once, on top of
whatever rate limit and concurrency limit the clients themselves enforce. Each
source is read as its pager says: one page at a time, or with its ``prefetch``
pages asked for together (a few large sources then share the whole budget). Items
of one source arrive in that source's order; sources interleave. The buffer between
the crawl and the caller holds at most ``concurrency`` pages, and each source being
read at most its ``prefetch`` pages more, so a slow consumer slows the crawl down
instead of filling memory.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from typing import Generic, Literal, TypeVar

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from attrs import define, evolve

from ._taskgroup import single_errors
from .pagination import AsyncPager, Page

__all__ = ["Crawl", "CrawlError", "CrawlProgress", "crawl"]

K = TypeVar("K")
T = TypeVar("T")

OnError = Literal["raise", "continue"]


@define(frozen=True)
class CrawlProgress:
    """Where a crawl stands; passed to the progress callback after every page or failure.

    Attributes:
        sources: how many sources the crawl has.
        sources_done: sources finished (read to the end, or failed).
        pages: pages received so far.
        pages_expected: pages expected in all, from the sources whose total is known
            (their first page says so) or that are done; it grows as sources start, and
            is ``None`` until one is known.
        items: items received so far.
        errors: sources that failed.
    """

    sources: int
    sources_done: int = 0
    pages: int = 0
    pages_expected: int | None = None
    items: int = 0
    errors: int = 0


@define(frozen=True)
class CrawlError(Generic[K]):
    """A source that failed (with ``on_error="continue"``), and the error it raised.

    ``items_before`` says how many of its items had been delivered before it failed.
    """

    source: K
    error: Exception
    items_before: int


class Crawl(Generic[K, T]):
    """A running crawl: iterate it for ``(source, item)`` pairs.

    Attributes:
        errors: the sources that failed, when the crawl records errors.
        progress: the latest :class:`CrawlProgress`.
    """

    def __init__(self, receive: MemoryObjectReceiveStream[tuple[K, Page[T]]], sources: int) -> None:
        # One iterator for the crawl's life: a second ``async for`` (after a ``break``)
        # goes on from the item after the last one taken, mid-page included.
        self._items: _CrawlItems[K, T] = _CrawlItems(receive)
        self.errors: list[CrawlError[K]] = []
        self.progress = CrawlProgress(sources=sources)

    def __aiter__(self) -> AsyncIterator[tuple[K, T]]:
        # A plain iterator object, not an async generator: leaving ``async for`` early
        # (``break``) then leaves nothing to finalize (trio warns about an async
        # generator left to the garbage collector).
        return self._items


class _CrawlItems(Generic[K, T]):
    """The ``(source, item)`` pairs of a crawl, page by page from its stream."""

    def __init__(self, receive: MemoryObjectReceiveStream[tuple[K, Page[T]]]) -> None:
        self._receive = receive
        self._source: K  # set with the first page, before any item is read
        self._items: Iterator[T] = iter(())

    def __aiter__(self) -> _CrawlItems[K, T]:
        return self

    async def __anext__(self) -> tuple[K, T]:
        while True:
            for item in self._items:
                return self._source, item
            try:
                self._source, page = await self._receive.receive()
            except anyio.EndOfStream:
                raise StopAsyncIteration from None
            self._items = iter(page.items)


ProgressCallback = Callable[[CrawlProgress], object]


@asynccontextmanager
async def crawl(
    sources: Mapping[K, AsyncPager[T]] | Iterable[tuple[K, AsyncPager[T]]],
    *,
    concurrency: int = 8,
    on_error: OnError = "raise",
    progress: ProgressCallback | None = None,
) -> AsyncIterator[Crawl[K, T]]:
    """Run many list calls at once; yields a :class:`Crawl` to iterate.

    Args:
        sources: ``{key: pager}`` (or ``(key, pager)`` pairs); the key says where each
            item came from (a workspace id, a ``(repo, project)`` pair…).
        concurrency: how many requests may be in flight at once, over all sources
            (and how many sources are read at once).
        on_error: ``"raise"`` stops everything at the first failure and raises it
            from the ``async with``; ``"continue"`` records it in ``crawl.errors``
            (and the progress), and the other sources go on.
        progress: called with a :class:`CrawlProgress` after every page and failure.

    Leaving the ``async with`` block early cancels every request still in flight.
    """
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
    if on_error not in ("raise", "continue"):
        raise ValueError(f"on_error must be 'raise' or 'continue', got {on_error!r}")
    pairs = list(sources.items() if isinstance(sources, Mapping) else sources)
    for key, pager in pairs:
        if not isinstance(pager, AsyncPager):
            raise TypeError(f"source {key!r} must be an AsyncPager, got {type(pager).__name__}")
    send, receive = anyio.create_memory_object_stream[tuple[K, Page[T]]](concurrency)
    result: Crawl[K, T] = Crawl(receive, len(pairs))
    budget = anyio.Semaphore(concurrency)  # sources being read
    requests = anyio.Semaphore(concurrency)  # requests in flight, of every source
    expected: dict[int, int] = {}

    def report(**changes: int) -> None:
        state = result.progress
        updated = {name: getattr(state, name) + step for name, step in changes.items()}
        result.progress = evolve(
            state, **updated, pages_expected=sum(expected.values()) if expected else None
        )
        if progress is not None:
            progress(result.progress)

    async def read(
        slot: int, key: K, pager: AsyncPager[T], out: MemoryObjectSendStream[tuple[K, Page[T]]]
    ) -> None:
        delivered = pages = 0
        failure: Exception | None = None
        async with out:
            try:
                # Holds no generator: nothing to close.
                reading = pager._within(requests).pages().__aiter__()
                while True:
                    # Only the source's own failures are the source's: one raised by
                    # the progress callback, or by the caller leaving, is not.
                    try:
                        page = await reading.__anext__()
                    except StopAsyncIteration:
                        break
                    except Exception as exc:
                        failure = exc
                        break
                    if page.total is not None and page.index == 0 and page.items:
                        expected[slot] = max(1, math.ceil(page.total / len(page.items)))
                    await out.send((key, page))
                    delivered += len(page.items)
                    pages += 1
                    report(pages=1, items=len(page.items))
            finally:
                budget.release()
            expected[slot] = pages  # exact now, whether or not a total was known
            if failure is None:
                report(sources_done=1)
                return
            if on_error == "continue":
                result.errors.append(CrawlError(key, failure, delivered))
            report(errors=1, sources_done=1)
            if on_error == "raise":
                raise failure

    async def schedule(tg: anyio.abc.TaskGroup) -> None:
        # Sources start in the order given, each as soon as the budget has room.
        async with send:
            for slot, (key, pager) in enumerate(pairs):
                await budget.acquire()
                tg.start_soon(read, slot, key, pager, send.clone())

    with single_errors():
        async with anyio.create_task_group() as tg:
            tg.start_soon(schedule, tg)
            try:
                yield result
            finally:
                tg.cancel_scope.cancel()
                receive.close()
