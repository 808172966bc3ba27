"""The one module that imports the HTTP library.

Every other module reaches httpx through these names, so moving to a fork (or a
different transport) is a change here and nowhere else.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import urllib.request
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import httpx

AsyncClient = httpx.AsyncClient
AsyncBaseTransport = httpx.AsyncBaseTransport
ASGITransport = httpx.ASGITransport
Auth = httpx.Auth
Headers = httpx.Headers
Limits = httpx.Limits
Request = httpx.Request
Response = httpx.Response
Timeout = httpx.Timeout
URL = httpx.URL

HTTPError = httpx.HTTPError
TransportError = httpx.TransportError
ConnectError = httpx.ConnectError
TimeoutException = httpx.TimeoutException
PoolTimeout = httpx.PoolTimeout
ConnectTimeout = httpx.ConnectTimeout
RemoteProtocolError = httpx.RemoteProtocolError
LocalProtocolError = httpx.LocalProtocolError

# Chosen deliberately: enough connections for a bulk crawl with prefetch on a small
# machine, keep-alive for all of them (reconnecting costs more than the page), and a
# pool timeout so a saturated pool fails loudly instead of hanging.
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=30)
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0, pool=60.0)


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """httpx's default certificate verification, built once per process.

    httpx builds one for every client it creates, and loading the CA bundle costs
    about 15 ms here: a script or a benchmark opening many clients paid it each time.
    Environment settings (``SSL_CERT_FILE``…) are read on the first call.
    """
    return httpx.create_ssl_context()


class _NoCookies(httpx.Cookies):
    """A cookie store that keeps nothing from responses.

    Both APIs authenticate every request, so cookies serve no purpose, and a jar
    shared by every task of an application would carry one answer's cookies into
    unrelated calls. Not reading ``Set-Cookie`` also saves httpx's cookielib
    round trip on every response (about a tenth of a millisecond here).
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Ignore the response's cookies."""


def new_client(**options: Any) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` a client creates for itself: ``options`` as given,
    with the shared certificate context and no cookie persistence (a client the
    user injects is used as it is).

    Without a ``transport``, httpx's own goes through :class:`ShardedTransport`,
    unless the environment sets an HTTP(S) proxy: httpx applies environment proxies
    only to the transport it builds itself, so it keeps that job then.
    """
    if options.get("transport") is None and not _environment_proxy():
        limits = options.pop("limits", DEFAULT_LIMITS)
        options["transport"] = ShardedTransport(limits, verify=default_ssl_context())
    client = httpx.AsyncClient(verify=default_ssl_context(), **options)
    client._cookies = _NoCookies()  # the store httpx reads on every request and answer
    return client


def _environment_proxy() -> bool:
    """Whether the environment sets a proxy httpx would use (``HTTP_PROXY``,
    ``HTTPS_PROXY``, ``ALL_PROXY``; ``NO_PROXY`` alone and other ``*_PROXY``
    variables set none)."""
    proxies = urllib.request.getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


def _split(total: int | None, parts: int) -> list[int | None]:
    """``total`` spread over ``parts`` as evenly as whole numbers allow (``None``:
    no limit, for every part)."""
    if total is None:
        return [None] * parts
    return [total // parts + (1 if part < total % parts else 0) for part in range(parts)]


class ShardedTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, split into up to eight connection pools.

    httpcore's pool looks over all its connections whenever a request starts or
    ends (asking each idle one whether its socket is readable, and counting the
    idle ones once per idle connection), so its work per request grows with the
    square of the connections. With 16 requests in flight that was about a third of
    a crawl's CPU on a 2-core machine; four pools of a quarter of the connections
    each made the SDK's crawl of TCA lint issues about a fifth faster (TAPD's larger
    pages, a few percent); eight pools were 3–5% faster again for both in interleaved
    runs (sixteen, no faster).

    ``limits`` bound the whole, as they bound one pool: a request waits (up to the
    pool timeout, then ``httpx.PoolTimeout``) while every connection is taken, for
    whichever frees first, in the order the requests came; it then goes to a pool
    that has an idle connection to reuse, else to the one with the most room left
    (without a limit, the fewest requests in flight).

    Args:
        limits: the connection limits of the whole.
        options: keyword arguments for each ``httpx.AsyncHTTPTransport``.
    """

    POOLS = 8
    """How many pools, at most (never more than ``max_connections``)."""

    def __init__(self, limits: httpx.Limits, **options: Any) -> None:
        most = limits.max_connections
        count = self.POOLS if most is None else max(1, min(self.POOLS, most))
        self._capacity = _split(most, count)
        keepalive = _split(limits.max_keepalive_connections, count)
        self._pools = [
            httpx.AsyncHTTPTransport(
                limits=httpx.Limits(
                    max_connections=capacity,
                    max_keepalive_connections=idle,
                    keepalive_expiry=limits.keepalive_expiry,
                ),
                **options,
            )
            for capacity, idle in zip(self._capacity, keepalive, strict=True)
        ]
        self._busy = [0] * count
        # The most requests each pool has had at once: roughly the connections it has
        # opened, so a pool below it has one idle to reuse.
        self._opened = [0] * count
        self._limit = most
        # Made on the first request: anyio's primitives belong to a running event loop.
        self._room: anyio.Semaphore | None = None
        self._closed = False

    @property
    def in_flight(self) -> tuple[int, ...]:
        """Requests in flight, pool by pool (a request ends when its answer is closed)."""
        return tuple(self._busy)

    def _rank(self, pool: int) -> tuple[bool, float, int]:
        # A pool with an idle connection first (no new connection to open), then the
        # one with the most room, then the least busy.
        busy, capacity = self._busy[pool], self._capacity[pool]
        room = float("inf") if capacity is None else capacity - busy
        return busy < self._opened[pool], room, -busy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a free connection if every one is taken, then send through a pool
        (one with an idle connection first, else the one with the most room)."""
        if self._closed:
            raise httpx.TransportError("the transport is closed")
        if self._limit is not None:
            if self._room is None:
                self._room = anyio.Semaphore(self._limit)
            await self._wait_for_room(self._room, request)
            if self._closed:  # closed while this request waited: it must not go out
                self._room.release()
                raise httpx.TransportError("the transport was closed")
        pool = max(range(len(self._pools)), key=self._rank)
        self._busy[pool] += 1
        self._opened[pool] = max(self._opened[pool], self._busy[pool])
        try:
            response = await self._pools[pool].handle_async_request(request)
        except BaseException:
            self._release(pool)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Released(response.stream, functools.partial(self._release, pool))
        return response

    @staticmethod
    async def _wait_for_room(room: anyio.Semaphore, request: httpx.Request) -> None:
        try:
            # Without yielding when a connection is free: the request goes out at once
            # (a yield here would let the caller's other work, like typing a page, go
            # first and delay every request behind it).
            room.acquire_nowait()
            return
        except anyio.WouldBlock:
            pass
        timeout = request.extensions.get("timeout", {}).get("pool")
        try:
            with anyio.fail_after(timeout):
                await room.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection became free in time") from None

    def _release(self, pool: int) -> None:
        self._busy[pool] -= 1
        if self._room is not None:
            self._room.release()

    async def aclose(self) -> None:
        """Close every pool (all of them, even if one fails; its error is raised after).
        Requests still waiting for a connection then fail instead of opening one."""
        self._closed = True
        failure: BaseException | None = None
        for pool in self._pools:
            try:
                await pool.aclose()
            except BaseException as exc:
                failure = failure or exc
        if failure is not None:
            raise failure


class _Released(httpx.AsyncByteStream):
    """An answer's body that calls ``release`` once, when the answer is closed."""

    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        """Close the body, then release its request's place."""
        try:
            await self._inner.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


_AIOHTTP_CONNECT_TIMEOUTS = frozenset({"ConnectionTimeoutError"})
"""aiohttp errors of a connection that was never made in time (nothing sent)."""


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx over aiohttp's connection handling (the ``fast`` extra), asyncio only.

    Chosen with ``transport="aiohttp"`` on a client. Measured on a 2-core machine
    with 250 KB pages on loopback, 16 in flight: httpx's own transport reached 0.25×
    the pages/s of raw aiohttp, httpx over this transport 0.76×. The aiohttp session
    is created on the first request, inside the running event loop.
    """

    def __init__(self, limits: httpx.Limits) -> None:
        try:
            from httpx_aiohttp import AiohttpTransport as _Inner
        except ImportError:
            raise ImportError(
                "transport='aiohttp' needs the fast extra: pip install 'tca-tapd[fast]'"
            ) from None
        self._inner = _Inner(limits=limits, verify=default_ssl_context())
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through aiohttp; refuses to run outside asyncio."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                "transport='aiohttp' runs on asyncio only; under trio use the default transport"
            ) from None
        try:
            response: httpx.Response = await self._inner.handle_async_request(request)
        except asyncio.CancelledError:
            # Closing the session cancels the requests waiting for a connection; in a
            # task nobody cancelled, that is the closed client's error, not a cancellation.
            task = asyncio.current_task()
            cancelling = getattr(task, "cancelling", None)  # Python 3.11+
            # Python 3.10 cannot tell a real cancellation apart: left as it is there.
            if self._closed and cancelling is not None and cancelling() == 0:
                raise httpx.TransportError("the transport was closed") from None
            raise
        except httpx.ConnectTimeout as exc:
            # httpx-aiohttp reports every aiohttp connection error as a connect
            # timeout; a refused connection is a connect error like on httpx's own.
            cause = type(exc.__cause__).__name__
            if cause == "ClientConnectorError":
                raise httpx.ConnectError(str(exc)) from exc.__cause__
            if cause not in _AIOHTTP_CONNECT_TIMEOUTS:
                # A disconnect after the request went out (ServerDisconnectedError,
                # ClientOSError): it may have reached the server, so it is not retried
                # as unsent.
                raise httpx.ReadError(str(exc) or cause) from exc.__cause__
            raise
        return response

    async def aclose(self) -> None:
        """Close the aiohttp session."""
        self._closed = True
        await self._inner.aclose()


def make_transport(name: str, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """A transport chosen by name (``"aiohttp"``), for the ``transport=`` client option."""
    if name == "aiohttp":
        return AiohttpTransport(limits)
    raise ValueError(f"transport must be an httpx transport or 'aiohttp', got {name!r}")


__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_TIMEOUT",
    "URL",
    "ASGITransport",
    "AiohttpTransport",
    "AsyncBaseTransport",
    "AsyncClient",
    "Auth",
    "ConnectError",
    "HTTPError",
    "Headers",
    "Limits",
    "LocalProtocolError",
    "PoolTimeout",
    "RemoteProtocolError",
    "Request",
    "Response",
    "ShardedTransport",
    "Timeout",
    "TimeoutException",
    "TransportError",
    "default_ssl_context",
    "make_transport",
    "new_client",
]
