"""What TCAClient and TAPDClient share: lifetime, options, the transport, list plumbing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import cattrs

from . import _http
from ._aclose import AsyncCloseable
from ._clock import Clock
from ._convert import Structurer
from ._envelope import Decoder, RawResponse
from ._ratelimit import RateLimit
from ._redact import redact_url
from ._retry import RetryPolicy
from ._transport import Params, TimeoutArg, Transport
from .pagination import AsyncPager, PageStyle

__all__ = ["BaseClient"]

T = TypeVar("T")
C = TypeVar("C", bound="BaseClient")


_ID_TYPES = (str, int)
"""What an item's ``id`` may be to tell items apart (not a bool, a list or a dict)."""


class BaseClient(AsyncCloseable):
    """An API client: owns a :class:`Transport` and a converter; resources hang off it.

    Use it as an async context manager (``async with TCAClient(...) as tca:``) or call
    :meth:`aclose` when done. One client is meant to live as long as the application
    and be shared by every task: connections, rate limit and concurrency limit are
    per client.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: _http.Auth | None,
        decode: Decoder,
        converter: Callable[..., cattrs.Converter],
        http_client: _http.AsyncClient | None = None,
        transport: _http.AsyncBaseTransport | str | None = None,
        timeout: TimeoutArg = None,
        limits: _http.Limits | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
        max_concurrency: int | None = None,
        clock: Clock | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if auth is not None and not isinstance(auth, _http.Auth):
            raise TypeError(f"auth must be an httpx.Auth strategy, got {type(auth).__name__}")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, got {redact_url(str(base_url))!r}")
        try:
            parts = urlsplit(base_url)
        except ValueError:
            raise ValueError(f"base_url is not a URL: {redact_url(base_url)!r}") from None
        if "@" in parts.netloc:
            # httpx would turn it into Basic auth and log it at INFO: credentials belong in auth=.
            raise ValueError(
                f"base_url must not carry credentials, got {redact_url(base_url)!r}; use auth="
            )
        if parts.query or parts.fragment or base_url.endswith(("?", "#")):
            # Paths are appended to it: a query would swallow them (and show in every
            # log line and error, whatever it holds).
            raise ValueError(
                f"base_url must be an origin, with a path at most, got {redact_url(base_url)!r}"
            )
        self._transport = Transport(
            base_url=base_url,
            auth=auth,
            decode=decode,
            http_client=http_client,
            transport=transport,
            timeout=timeout,
            limits=limits,
            retry=retry,
            rate_limit=rate_limit,
            max_concurrency=max_concurrency,
            clock=clock,
            headers=headers,
        )
        self._structurer = Structurer.shared(converter)
        self._request = self._transport.request
        """Send a request, return the envelope's payload (used by the resource modules)."""

    @property
    def base_url(self) -> str:
        """The origin requests go to."""
        return self._transport.base_url

    @property
    def transport(self) -> Transport:
        """The request loop (retry policy, limiters, the underlying httpx client)."""
        return self._transport

    async def aclose(self) -> None:
        """Close the connections (an injected ``http_client`` is left to its owner)."""
        await self._transport.aclose()

    def __repr__(self) -> str:
        # redact_url drops user info: ``https://user:password@host`` is a valid base URL.
        return f"{type(self).__name__}(base_url={redact_url(self.base_url)!r})"

    # -- plumbing used by the resource modules -------------------------------------

    def _one(self, data: Any, cls: type[T]) -> T:
        return self._structurer.one(data, cls)

    def _pager(
        self,
        path: str,
        params: Params,
        model: type[T],
        style: PageStyle,
        *,
        unwrap: Callable[[Any], Any] | None = None,
        count: Callable[[], Any] | None = None,
        prefetch: int = 1,
        timeout: TimeoutArg = None,
    ) -> AsyncPager[T]:
        """A pager over ``GET path`` with ``params`` plus each page's parameters."""

        transport = self._transport

        async def fetch(page_params: Mapping[str, Any]) -> RawResponse:
            return await transport.send(
                "GET", path, params={**params, **page_params}, timeout=timeout
            )

        def decode(answer: RawResponse) -> Any:
            return transport.decode(answer, (list, dict))

        def structure(items: Sequence[Any]) -> list[T]:
            raw_items = [unwrap(item) for item in items] if unwrap is not None else items
            return self._structurer.many(list(raw_items), model)

        def item_id(item: Any) -> Any:
            # Both APIs' items carry an ``id``: a page's repeats of items handed
            # out before are recognised by it (see AsyncPager's ``key``). Read for every item of
            # a page on TCA: kept to one lookup.
            try:
                value = (unwrap(item) if unwrap is not None else item)["id"]
            except (KeyError, TypeError, IndexError):
                return None
            return value if value.__class__ in _ID_TYPES else None

        return AsyncPager(
            fetch,
            style,
            structure,
            count=count,
            prefetch=prefetch,
            decode=decode,
            label=f"GET {path}",
            key=item_id,
        )
