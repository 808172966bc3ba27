"""The one module that imports the HTTP library.

Every other module reaches httpx through these names, so moving to a fork (or a
different transport) is a change here and nowhere else.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from typing import Any

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
    user injects is used as it is)."""
    client = httpx.AsyncClient(verify=default_ssl_context(), **options)
    client._cookies = _NoCookies()  # the store httpx reads on every request and answer
    return client


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
        except httpx.ConnectTimeout as exc:
            # httpx-aiohttp reports every aiohttp connection error as a connect
            # timeout; a refused connection is a connect error like on httpx's own.
            if type(exc.__cause__).__name__ == "ClientConnectorError":
                raise httpx.ConnectError(str(exc)) from exc.__cause__
            raise
        return response

    async def aclose(self) -> None:
        """Close the aiohttp session."""
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
    "Timeout",
    "TimeoutException",
    "TransportError",
    "default_ssl_context",
    "make_transport",
    "new_client",
]
