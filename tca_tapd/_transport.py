"""The request loop both clients share: auth, limits, retries, logging, decoding.

One call of :meth:`Transport.request` is: build the request → for each attempt:
wait for the rate limiter and a concurrency slot → send it through httpx (which runs
the auth flow, so every attempt is signed afresh) → read the body → ask the
:class:`RetryPolicy` whether (and after how long) to try again → decode the
envelope and return the payload. :meth:`Transport.send` stops before decoding, for
callers that decode later (pagers). Only ``Exception`` is caught, so cancellation
always propagates.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Coroutine, Mapping
from contextlib import nullcontext
from typing import Any, TypeVar
from urllib.parse import urlencode

import anyio

from . import _http, _json
from ._clock import Clock, SystemClock
from ._envelope import Decoder, Expect, RawResponse
from ._ratelimit import RateLimit, TokenBucket
from ._redact import REDACTED, is_secret_name, redact_httpx_logs, redact_url
from ._retry import RetryPolicy
from ._version import __version__
from .errors import (
    ClientClosedError,
    ConnectError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
    TcaTapdError,
    TransportError,
)

__all__ = ["USER_AGENT", "Transport"]

logger = logging.getLogger("tca_tapd")

USER_AGENT = f"tca-tapd/{__version__}"

Params = Mapping[str, str | int | float]
_T = TypeVar("_T")
TimeoutArg = float | _http.Timeout | None


class Transport:
    """Sends requests for one client; owns (or borrows) the ``httpx.AsyncClient``.

    Args:
        base_url: the origin every path is appended to.
        auth: the :class:`httpx.Auth` strategy run on every attempt.
        decode: the API's envelope decoder (pure).
        http_client: an ``httpx.AsyncClient`` to use instead of creating one; the
            caller keeps ownership and closes it.
        transport: an httpx transport for the client we create, or ``"aiohttp"`` for
            the faster aiohttp-based one (asyncio only; the ``fast`` extra), or e.g. an
            ``httpx.ASGITransport`` around a fake server).
        timeout: the default timeout, in seconds or as an ``httpx.Timeout``.
        limits: connection limits for the client we create.
        retry: the retry policy.
        rate_limit: requests per window for every call through this client.
        max_concurrency: the most requests in flight at once through this client.
        clock: time source for backoff and the limiter (tests inject a fake one).
        headers: extra headers sent with every request.
        rand: jitter source in ``[0, 1)`` (tests make it deterministic).
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: _http.Auth | None,
        decode: Decoder,
        http_client: _http.AsyncClient | None = None,
        transport: _http.AsyncBaseTransport | str | None = None,
        timeout: TimeoutArg = None,
        limits: _http.Limits | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
        max_concurrency: int | None = None,
        clock: Clock | None = None,
        headers: Mapping[str, str] | None = None,
        rand: Callable[[], float] = random.random,
    ) -> None:
        if http_client is not None and (transport is not None or limits is not None):
            raise ValueError("pass either http_client or transport/limits, not both")
        if max_concurrency is not None and max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency!r}")
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.decode = decode
        self.retry = retry or RetryPolicy()
        self.clock = clock or SystemClock()
        self.rate_limiter = TokenBucket(rate_limit, clock=self.clock) if rate_limit else None
        self.concurrency = anyio.CapacityLimiter(max_concurrency) if max_concurrency else None
        self._rand = rand
        self._timeout = _http.Timeout(timeout) if timeout is not None else _http.DEFAULT_TIMEOUT
        self._headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        self._headers.update(headers or {})
        if isinstance(transport, str):
            transport = _http.make_transport(transport, limits or _http.DEFAULT_LIMITS)
        self._owns_client = http_client is None
        self._client = http_client or _http.new_client(
            transport=transport,
            limits=limits or _http.DEFAULT_LIMITS,
            timeout=self._timeout,
            follow_redirects=False,
        )
        self._closed = False
        self._waiting: set[anyio.CancelScope] = set()  # requests asleep, woken by aclose
        self._httpx_logs = redact_httpx_logs()

    @property
    def http_client(self) -> _http.AsyncClient:
        """The underlying ``httpx.AsyncClient``."""
        return self._client

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    async def aclose(self) -> None:
        """Close the HTTP client if we created it; further requests fail, and requests
        under way (waiting for the rate limiter, a concurrency slot or a token, in a
        backoff, or in flight) fail at once with :class:`ClientClosedError`."""
        self._closed = True
        for scope in list(self._waiting):
            scope.cancel()
        if self._owns_client:
            await self._client.aclose()

    async def _unless_closed(
        self,
        step: Coroutine[Any, Any, _T],
        method: str,
        url: str,
        *,
        during: str = "waited",
        sent: bool = False,
        sent_before: bool | None = None,
    ) -> _T:
        """Await ``step`` (a sleep, a slot, the request itself), or raise
        :class:`ClientClosedError` as soon as the client closes (``during`` and
        ``sent`` describe what the request was doing then; ``sent_before``, whether it
        may have reached the server if the client is closed already, default
        ``sent``)."""
        if self._closed:
            step.close()
            raise ClientClosedError(
                "the client is closed",
                method=method,
                url=url,
                sent=sent if sent_before is None else sent_before,
            )
        with anyio.CancelScope() as scope:
            self._waiting.add(scope)
            try:
                return await step
            finally:
                self._waiting.discard(scope)
        raise ClientClosedError(
            f"the client was closed while the request {during}", method=method, url=url, sent=sent
        )

    async def pause(self, seconds: float, method: str, path: str) -> None:
        """Sleep ``seconds`` on the client's clock before calling ``method path`` again
        (a poll's interval); :meth:`aclose` ends the pause at once with
        :class:`ClientClosedError` (nothing sent)."""
        await self._unless_closed(
            self.clock.sleep(seconds), method, self.url(path), during="waited to be sent again"
        )

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (which starts with ``/``)."""
        return self.base_url + path

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        expect: Expect = None,
        safe: bool | None = None,
        timeout: TimeoutArg = None,
    ) -> Any:
        """Send a request and return the payload inside the API's envelope.

        Args:
            method: the HTTP method.
            path: the path below ``base_url``, starting with ``/``.
            params: query parameters (``None`` values must already be dropped).
            json: a JSON body.
            data: a form body.
            expect: the payload shape required (``list``, ``dict``, a tuple, or ``None``).
            safe: whether the call may be repeated; default: True for GET and HEAD.
            timeout: this call's timeout, overriding the client's.

        Raises:
            TransportError: no answer (after retries).
            APIError: an error answer (after retries where the policy allows).
            DecodeError: an answer that is not the API's envelope.
        """
        answer = await self.send(
            method, path, params=params, json=json, data=data, safe=safe, timeout=timeout
        )
        return self.decode(answer, expect)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        safe: bool | None = None,
        timeout: TimeoutArg = None,
    ) -> RawResponse:
        """:meth:`request` up to a good answer, not decoded: retries, limits and the rate
        limiter have run, and an error status has raised its API error (at once, in
        the caller's task, so that requests beside it can stop); ``decode(answer,
        expect)`` gives the payload. Pagers decode a page only when it is taken.

        Raises:
            TransportError: no answer (after retries).
            APIError: an error answer (after retries where the policy allows).
        """
        method = method.upper()
        if safe is None:
            safe = method in self.retry.retry_methods
        url = self.url(path)
        shown_url = url  # for logs and errors
        if params:
            query = urlencode(params)
            shown_url = f"{url}?{query}"
            if any(is_secret_name(name) for name in params):
                # Masked only when needed: parsing the URL again costs more than the
                # rest of building the request (base_url never carries user info).
                shown_url = redact_url(shown_url)
            if self._owns_client and _plain_query(params):
                # Encoded once, here: httpx spells these values the same way (checked
                # in the tests) and would otherwise parse the URL twice per request.
                # Not for an injected client: its default params= would replace a
                # query written into the URL instead of merging with it.
                url, params = f"{url}?{query}", None
        content = _json.dumps(json) if json is not None else None
        headers = dict(self._headers)
        if content is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        reached = False  # whether an attempt so far may have reached the server
        while True:
            attempt += 1
            if self._closed:
                raise ClientClosedError(
                    "the client is closed", method=method, url=shown_url, sent=reached
                )
            started = self.clock.monotonic()
            try:
                raw = await self._send_once(
                    method, url, shown_url, params, content, data, headers, timeout
                )
            except TransportError as exc:
                reached = reached or exc.sent
                if isinstance(exc, ClientClosedError):
                    exc.sent = reached
                elif self._closed:
                    raise ClientClosedError(
                        "the client was closed while the request was in flight",
                        method=method,
                        url=shown_url,
                        sent=reached,
                    ) from None
                elapsed = (self.clock.monotonic() - started) * 1000
                logger.debug(
                    "%s %s -> %s attempt=%d elapsed=%.1fms",
                    method,
                    shown_url,
                    type(exc).__name__,
                    attempt,
                    elapsed,
                )
                delay = self.retry.delay(
                    attempt=attempt,
                    method=method,
                    safe=safe,
                    connect_failed=not exc.sent,
                    transport_failed=not isinstance(exc, ClientClosedError),
                    rand=self._rand,
                )
                if delay is None or isinstance(exc, ClientClosedError):
                    raise
                await self._unless_closed(self.clock.sleep(delay), method, shown_url, sent=reached)
                continue
            except (ServerError, RateLimitError) as exc:
                # Raised by an auth strategy's own request (a token endpoint that
                # failed): the request itself was not sent, so any method may go again.
                retry_after = exc.retry_after if isinstance(exc, RateLimitError) else None
                if isinstance(exc, RateLimitError):
                    self._observe_429(retry_after, attempt)
                delay = self.retry.delay(
                    attempt=attempt,
                    method=method,
                    safe=safe,
                    connect_failed=True,
                    retry_after=retry_after,
                    rand=self._rand,
                )
                if delay is None:
                    raise
                await self._unless_closed(self.clock.sleep(delay), method, shown_url, sent=reached)
                continue
            reached = True
            elapsed = (self.clock.monotonic() - started) * 1000
            logger.debug(
                "%s %s -> %d attempt=%d elapsed=%.1fms",
                method,
                shown_url,
                raw.status_code,
                attempt,
                elapsed,
            )
            retry_after = raw.retry_after
            if raw.status_code == 429:
                self._observe_429(retry_after, attempt, raw.headers)
            elif self.rate_limiter is not None:
                self.rate_limiter.observe(raw.status_code, raw.headers)
            if raw.status_code in self.retry.retry_statuses:
                delay = self.retry.delay(
                    attempt=attempt,
                    method=method,
                    safe=safe,
                    status=raw.status_code,
                    retry_after=retry_after,
                    rand=self._rand,
                )
                if delay is not None:
                    await self._unless_closed(self.clock.sleep(delay), method, shown_url, sent=True)
                    continue
            if not 200 <= raw.status_code < 300:
                self.decode(raw, None)  # the API's error for this status
            return raw

    def _observe_429(
        self, retry_after: float | None, attempt: int, headers: Mapping[str, str] | None = None
    ) -> None:
        """Tell the rate limiter the server refused for rate: it pauses for the
        server's ``Retry-After`` (capped), or the backoff of this attempt."""
        if self.rate_limiter is None:
            return
        pause = (
            min(retry_after, self.retry.retry_after_cap)
            if retry_after is not None
            else self.retry.backoff(attempt, self._rand)
        )
        self.rate_limiter.observe(429, headers or {}, pause=pause)

    async def _send_once(
        self,
        method: str,
        url: str,
        shown_url: str,
        params: Params | None,
        content: bytes | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str],
        timeout: TimeoutArg,
    ) -> RawResponse:
        """One attempt: limits, send (auth runs inside), read the whole body."""
        limiter = self.rate_limiter
        if limiter is not None and not limiter.try_acquire():
            await self._unless_closed(limiter.acquire(), method, shown_url)
        request = self._client.build_request(
            method,
            url,
            params=params,
            content=content,
            data=data,
            headers=headers,
            timeout=_http.Timeout(timeout) if timeout is not None else self._timeout,
        )
        # httpx logs the full URL itself: masked there too while the request runs.
        secret = REDACTED in shown_url
        watching = self._httpx_logs.watching(request.url) if secret else nullcontext()
        slots = self.concurrency
        if slots is not None:
            try:
                slots.acquire_nowait()  # without yielding when a slot is free
            except anyio.WouldBlock:
                await self._unless_closed(slots.acquire(), method, shown_url)
        try:
            with watching:
                # In a scope aclose cancels: a request waiting for another task's token
                # fetch, or sent through a client the caller owns, fails at once too.
                response = await self._unless_closed(
                    self._client.send(request, auth=self.auth),
                    method,
                    shown_url,
                    during="was in flight",
                    sent=True,
                    sent_before=False,
                )
        except _http.TimeoutException as exc:
            # Waiting to connect, or for a pooled connection: nothing was sent.
            sent = not isinstance(exc, _http.ConnectTimeout | _http.PoolTimeout)
            raise RequestTimeoutError(
                f"timed out ({type(exc).__name__})", method=method, url=shown_url, sent=sent
            ) from None
        except _http.ConnectError as exc:
            raise ConnectError(
                f"could not connect ({_describe(exc)})", method=method, url=shown_url
            ) from None
        except _http.TransportError as exc:
            raise TransportError(
                f"connection failed ({type(exc).__name__}: {_describe(exc)})",
                method=method,
                url=shown_url,
            ) from None
        except TcaTapdError:
            raise
        except RuntimeError as exc:
            if self._closed or self._client.is_closed:
                raise ClientClosedError(
                    "the client was closed", method=method, url=shown_url
                ) from None
            raise exc
        finally:
            if slots is not None:
                slots.release()
        return RawResponse(
            status_code=response.status_code,
            content=response.content,
            headers={k.lower(): v for k, v in response.headers.items()},
            method=method,
            url=shown_url,
            received_at=self.clock.time(),
        )


def _plain_query(params: Params) -> bool:
    """Whether every value is text or a number that ``urlencode`` writes as httpx
    does (not a bool: httpx writes ``true``, urllib ``True``)."""
    return all(type(value) in (str, int, float) for value in params.values())


def _describe(exc: Exception) -> str:
    """A short reason from an httpx exception, without URLs (they may carry secrets).

    A request httpx refuses to encode is described by its class only: the message
    quotes the offending header, which may be an Authorization value.
    """
    if isinstance(exc, _http.LocalProtocolError):
        return "the request could not be encoded; details withheld, they may quote a header"
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]
