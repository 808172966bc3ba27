"""Authentication strategies, each an :class:`httpx.Auth`.

httpx runs an auth flow for every request it sends, so every retry is signed again:
the TCA ticket carries a fresh timestamp on each attempt, and an expired TAPD app
token is replaced before the request that needs it.

Secrets are kept in private attributes, never shown by ``repr`` and never put into
an error message.

==============================  ===================================================
Strategy                        Where it applies
==============================  ===================================================
:class:`TCATicketAuth`          hosted TCA (tca.tencent.com): ``TCA-USERID``,
                                ``TCA-TIMESTAMP``, ``TCA-TICKET`` headers
:class:`TCATokenAuth`           self-hosted (open-source) TCA: ``Authorization: Token``
:class:`TAPDBasicAuth`          TAPD company API account (``api_user``/``api_password``)
:class:`TAPDBearerAuth`         TAPD personal access token or OAuth access token
:class:`TAPDClientCredentialsAuth`  TAPD open-platform app: fetches and caches a token
==============================  ===================================================
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import AsyncGenerator, Callable, Generator
from typing import NoReturn

import anyio
import anyio.lowlevel

from . import _json
from ._clock import Clock, SystemClock
from ._http import Auth, Request, Response
from ._redact import redact_url
from ._retry import parse_retry_after
from .errors import AuthenticationError, DecodeError, RateLimitError, ServerError

__all__ = [
    "TAPDBasicAuth",
    "TAPDBearerAuth",
    "TAPDClientCredentialsAuth",
    "TCATicketAuth",
    "TCATokenAuth",
    "tca_ticket",
]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _require_str(name: str, value: object) -> str:
    """Validate a credential argument; the error names the argument, never the value.

    A control character (most often the line break of a file the value was read
    from) is refused here: sent on, it would make the HTTP library refuse the
    header with an error that quotes it.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if _CONTROL.search(value):
        raise ValueError(
            f"{name} contains a control character (a line break read from a file?); "
            "the value is not shown"
        )
    return value


def _require_header_str(name: str, value: object) -> str:
    """:func:`_require_str` for a value sent as is in a header, which must be ASCII:
    httpx would otherwise fail with a UnicodeEncodeError that holds the whole value."""
    text = _require_str(name, value)
    if not text.isascii():
        raise ValueError(
            f"{name} must be ASCII text (it is sent in a header); the value is not shown"
        )
    return text


def tca_ticket(timestamp: int, user_id: str, token: str) -> str:
    """The hosted TCA ticket: upper-case hex SHA-256 of ``{ts}{user}#{token}#{user}{ts}``.

    This is the formula of TCA's API documentation (the "Python Example" of the
    authentication section), byte for byte.
    """
    signature = f"{timestamp}{user_id}#{token}#{user_id}{timestamp}"
    return hashlib.sha256(signature.encode("utf-8")).hexdigest().upper()


class TCATicketAuth(Auth):
    """Hosted TCA signature headers, computed afresh for every attempt.

    Args:
        user_id: the user id from TCA's Personal Center → Personal Token.
        token: the personal token shown beside it.
        clock: a zero-argument callable giving epoch seconds (default ``time.time``);
            inject one in tests to get known tickets.
        clock_offset: seconds added to the clock, to correct a known skew against
            the server (the server rejects tickets whose timestamp is too far off).
    """

    def __init__(
        self,
        user_id: str,
        token: str,
        *,
        clock: Callable[[], float] | None = None,
        clock_offset: float = 0.0,
    ) -> None:
        self.user_id = _require_header_str("user_id", user_id)
        self._token = _require_str("token", token)
        if clock is not None and not callable(clock):
            raise TypeError(f"clock must be a callable returning epoch seconds, got {clock!r}")
        self._clock = clock or SystemClock().time
        if not isinstance(clock_offset, int | float) or isinstance(clock_offset, bool):
            raise TypeError(f"clock_offset must be a number of seconds, got {clock_offset!r}")
        self.clock_offset = float(clock_offset)

    def headers(self) -> dict[str, str]:
        """The three TCA headers for a request sent now."""
        timestamp = int(self._clock() + self.clock_offset)
        return {
            "TCA-USERID": self.user_id,
            "TCA-TIMESTAMP": str(timestamp),
            "TCA-TICKET": tca_ticket(timestamp, self.user_id, self._token),
        }

    def auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        """Sign the request (httpx calls this once per attempt)."""
        request.headers.update(self.headers())
        yield request

    def __repr__(self) -> str:
        return f"TCATicketAuth(user_id={self.user_id!r}, token=<hidden>)"


class _StaticHeaderAuth(Auth):
    """An ``Authorization`` header that does not change between requests."""

    def __init__(self, header_value: str) -> None:
        self._header_value = header_value

    def auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        """Set the ``Authorization`` header."""
        request.headers["Authorization"] = self._header_value
        yield request


class TCATokenAuth(_StaticHeaderAuth):
    """``Authorization: Token <token>``, the API auth of self-hosted (open-source) TCA.

    The token is the 40-hex key from the user's token page (or
    ``GET /server/main/api/v3/authen/userinfo/token/``).
    """

    def __init__(self, token: str) -> None:
        super().__init__(f"Token {_require_header_str('token', token)}")

    def __repr__(self) -> str:
        return "TCATokenAuth(token=<hidden>)"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


class TAPDBasicAuth(_StaticHeaderAuth):
    """HTTP Basic with a TAPD company API account (公司管理 › 开放集成 › API账号管理)."""

    def __init__(self, api_user: str, api_password: str) -> None:
        self.api_user = _require_str("api_user", api_user)
        super().__init__(_basic(api_user, _require_str("api_password", api_password)))

    def __repr__(self) -> str:
        return f"TAPDBasicAuth(api_user={self.api_user!r}, api_password=<hidden>)"


class TAPDBearerAuth(_StaticHeaderAuth):
    """``Authorization: Bearer <token>``: a TAPD personal access token or OAuth token."""

    def __init__(self, access_token: str) -> None:
        super().__init__(f"Bearer {_require_header_str('access_token', access_token)}")

    def __repr__(self) -> str:
        return "TAPDBearerAuth(access_token=<hidden>)"


def token_rejected(response: Response) -> bool:
    """Whether TAPD refused the bearer token: 401, or 422 saying the token is invalid."""
    if response.status_code == 401:
        return True
    if response.status_code != 422:
        return False
    try:
        info = _json.loads(response.content).get("info", "")
    except (ValueError, AttributeError):
        return False
    return isinstance(info, str) and "access token" in info.lower()


class TAPDClientCredentialsAuth(Auth):
    """A TAPD open-platform app (项目态): trades the app's credentials for a token.

    ``POST /tokens/request_token`` with the app's ``client_id:client_secret`` as Basic
    auth and ``grant_type=client_credentials``; the answer's ``access_token`` is used as
    ``Authorization: Bearer`` until ``refresh_margin`` seconds before its
    ``expires_in`` runs out (a token living no longer than twice that margin, for
    half its life). Concurrent requests share one token fetch. When TAPD
    rejects the token anyway (401, or 422 "The access token provided is invalid"), a
    new one is fetched once and the request replayed.

    Args:
        client_id, client_secret: the app's credentials.
        token_url: where to ask for tokens; default ``/tokens/request_token`` on the
            same origin as the request being signed.
        clock: the clock measuring token lifetimes (tests inject a fake one).
        refresh_margin: seconds before expiry at which a token counts as expired.
    """

    requires_response_body = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        token_url: str | None = None,
        clock: Clock | None = None,
        refresh_margin: float = 60.0,
    ) -> None:
        self.client_id = _require_str("client_id", client_id)
        self._basic = _basic(client_id, _require_str("client_secret", client_secret))
        self.token_url = token_url
        self._clock = clock or SystemClock()
        self.refresh_margin = refresh_margin
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = anyio.Lock()
        self.fetch_count = 0
        """How many tokens were fetched; lets tests check single-flight sharing."""

    def _token_request(self, request: Request) -> Request:
        url = self.token_url or str(request.url.copy_with(path="/tokens/request_token", query=None))
        # The request's timeouts (httpx keeps them in its extensions): without them a
        # token endpoint that never answers would hold every request behind the lock.
        timeout = request.extensions.get("timeout")
        return Request(
            "POST",
            url,
            headers={
                "Authorization": self._basic,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": request.headers.get("User-Agent", ""),
            },
            content=b"grant_type=client_credentials",
            extensions={"timeout": timeout} if timeout is not None else None,
        )

    def _store(self, response: Response) -> str:
        """Take the token out of the token endpoint's answer, or raise.

        A token endpoint's body is kept in an error only when it holds no token (a
        proxy's page, not an answer cut short). A 5xx or a 429 raises
        :class:`~tca_tapd.ServerError` or :class:`~tca_tapd.RateLimitError` (the
        transport retries those: the request itself was not sent); any other refusal
        :class:`~tca_tapd.AuthenticationError`.
        """
        url = redact_url(str(response.request.url))
        status = response.status_code
        if status >= 500 or status == 429:
            failed = f"TAPD's token endpoint failed (HTTP {status})"
            if status == 429:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), now=self._clock.time()
                )
                raise RateLimitError(
                    failed, status_code=status, method="POST", url=url, retry_after=retry_after
                )
            raise ServerError(failed, status_code=status, method="POST", url=url)
        try:
            envelope = _json.loads(response.content)
        except ValueError:
            # A proxy's page is kept, to be recognised; an answer cut short is not
            # when it holds a token.
            withheld = b"access_token" in response.content
            raise DecodeError(
                "token endpoint sent no JSON" + (" (body withheld: it holds a token)" * withheld),
                body=b"" if withheld else response.content,
                content_type=response.headers.get("Content-Type"),
                status_code=status,
                method="POST",
                url=url,
            ) from None
        data = envelope.get("data") if isinstance(envelope, dict) else None
        token = data.get("access_token") if isinstance(data, dict) else None
        if (
            response.status_code != 200
            or not isinstance(token, str)
            or not token
            or _CONTROL.search(token)  # unusable in a header (and never quoted)
            or not token.isascii()
        ):
            info = envelope.get("info") if isinstance(envelope, dict) else None
            raise AuthenticationError(
                f"TAPD refused the app credentials of client_id {self.client_id!r}: {info}",
                status_code=response.status_code,
                api_code=envelope.get("status") if isinstance(envelope, dict) else None,
                method="POST",
                url=url,
                body=b"",  # a token endpoint's body is not kept: it may hold a token
            )
        expires_in = data.get("expires_in") if isinstance(data, dict) else None
        try:
            lifetime = float(expires_in) if isinstance(expires_in, int | float | str) else 7200.0
        except ValueError:
            lifetime = 7200.0
        if not math.isfinite(lifetime) or lifetime <= 0:  # an odd expires_in: TAPD's two hours
            lifetime = 7200.0
        # A short-lived token is still used for half its life, not fetched per request.
        margin = min(self.refresh_margin, lifetime / 2)
        self._token = token
        self._expires_at = self._clock.monotonic() + lifetime - margin
        self.fetch_count += 1
        return token

    def _valid_token(self) -> str | None:
        if self._token is not None and self._clock.monotonic() < self._expires_at:
            return self._token
        return None

    async def async_auth_flow(self, request: Request) -> AsyncGenerator[Request, Response]:
        """Attach a valid token, fetching one first if needed; replay once if it is refused."""
        # This flow replaces httpx's default ``async_auth_flow``, which is what honours
        # ``requires_response_body``; so the bodies are read here, before looking at them.
        #
        # Before each request goes out, a cancellation that came while this flow waited
        # (for the lock, the token's answer) is taken: a task woken by either is already
        # scheduled, and a cancel scope cancelled then (the client closed) only reaches
        # it at its next checkpoint, which an in-process transport may not have before
        # the request arrives.
        async with self._lock:
            token = self._valid_token()
            if token is None:
                await anyio.lowlevel.checkpoint_if_cancelled()
                token_response = yield self._token_request(request)
                await token_response.aread()
                token = self._store(token_response)
        request.headers["Authorization"] = f"Bearer {token}"
        await anyio.lowlevel.checkpoint_if_cancelled()
        response = yield request
        await response.aread()
        if not token_rejected(response):
            return
        async with self._lock:
            fresh = self._valid_token()
            if fresh is None or fresh == token:  # nobody refreshed it meanwhile
                self._token = None
                await anyio.lowlevel.checkpoint_if_cancelled()
                token_response = yield self._token_request(request)
                await token_response.aread()
                fresh = self._store(token_response)
        request.headers["Authorization"] = f"Bearer {fresh}"
        await anyio.lowlevel.checkpoint_if_cancelled()
        yield request

    def sync_auth_flow(self, request: Request) -> NoReturn:
        """Not supported: tca-tapd is async-only."""
        raise RuntimeError("TAPDClientCredentialsAuth works with httpx.AsyncClient only")

    def __repr__(self) -> str:
        return f"TAPDClientCredentialsAuth(client_id={self.client_id!r}, client_secret=<hidden>)"
