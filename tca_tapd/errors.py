"""The error hierarchy of tca-tapd.

Everything the SDK raises on purpose derives from :class:`TcaTapdError`, so one
``except`` catches it all, and each level below narrows it down:

- :class:`TransportError` the request did not get an HTTP answer
  (:class:`ConnectError`, :class:`RequestTimeoutError`, :class:`ClientClosedError`);
- :class:`APIError` the server answered with an error (by HTTP status:
  :class:`AuthenticationError`, :class:`PermissionDeniedError`, :class:`NotFoundError`,
  :class:`ValidationError`, :class:`RateLimitError`, :class:`ServerError`), or with a
  success status whose envelope reports a failure;
- :class:`DecodeError` the body is not the envelope the API promises (a proxy's HTML
  page, truncated JSON, a string where a list was due);
- :class:`StructureError` the envelope was fine but its payload does not fit the model;
- :class:`PagingDepthError` a listing goes on past the depth its server pages to by
  number, and the query cannot continue by cursor;
- :class:`JobError` a TCA scan job ended badly (:class:`JobFailedError`) or did not
  end in time (:class:`JobTimeoutError`).

Messages and reprs never contain credentials: URLs are passed through
:func:`tca_tapd._redact.redact_url` and request headers are never kept. The raw body
of an error response stays on the exception (``.body``) for inspection but is not
part of ``str()``.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any

from attrs import define

from ._ratelimit import RateLimit

__all__ = [
    "APIError",
    "AuthenticationError",
    "ClientClosedError",
    "ConnectError",
    "DecodeError",
    "FieldError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "PagingDepthError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "StructureError",
    "TcaTapdError",
    "TransportError",
    "ValidationError",
    "error_class_for_status",
]


class TcaTapdError(Exception):
    """Base class of every error raised by tca-tapd."""


class TransportError(TcaTapdError):
    """No HTTP response was received (network failure, timeout, closed client).

    Attributes:
        sent: whether the request may have reached the server. ``False`` when no
            connection was made for it (refused, timed out connecting, or no pooled
            connection free in time): repeating it is then safe for any method, and
            the transport retries it as such.
    """

    def __init__(self, message: str, *, method: str = "", url: str = "", sent: bool = True) -> None:
        self.message = message
        self.method = method
        self.url = url
        self.sent = sent
        where = f" [{method} {url}]" if method else ""
        super().__init__(f"{message}{where}")


class ConnectError(TransportError):
    """The connection could not be established (refused, DNS failure, TLS failure)."""

    def __init__(
        self, message: str, *, method: str = "", url: str = "", sent: bool = False
    ) -> None:
        super().__init__(message, method=method, url=url, sent=sent)


class RequestTimeoutError(TransportError):
    """Connecting, sending, reading or waiting for a pooled connection took too long."""


class ClientClosedError(TransportError):
    """The client was closed before or while the request was in flight."""


@define(frozen=True)
class FieldError:
    """One invalid field reported by the server: its name and the server's messages."""

    field: str
    messages: tuple[str, ...]


class APIError(TcaTapdError):
    """The server answered, and the answer is an error.

    Attributes:
        status_code: the HTTP status (200 when a success status carried a failure code).
        api_code: the API's own code (TCA ``code``, TAPD ``status``), as sent.
        message: the server's message (TCA ``msg``, TAPD ``info``), or the reason phrase.
        method, url: the request, with secret query values redacted.
        request_id: the server's request id when it sent one.
        body: the raw response body, for inspection; not shown in ``str()``.
        hint: what the SDK knows about the likely cause (a skewed clock for an
            expired TCA ticket), shown at the end of ``str()``; ``None`` when nothing.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        api_code: int | str | None = None,
        method: str = "",
        url: str = "",
        request_id: str | None = None,
        body: bytes = b"",
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.status_code = status_code
        self.api_code = api_code
        self.method = method
        self.url = url
        self.request_id = request_id
        self.body = body
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"HTTP {self.status_code}: {self.message}"
        if self.api_code is not None:
            text += f" (API code {self.api_code})"
        if self.method:
            text += f" [{self.method} {self.url}]"
        if self.request_id:
            text += f" request_id={self.request_id}"
        if self.hint:
            text += f"; hint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, "
            f"api_code={self.api_code!r}, message={self.message!r})"
        )


class AuthenticationError(APIError):
    """401, or TAPD's 422 "The access token provided is invalid": credentials were refused."""


class PermissionDeniedError(APIError):
    """403: the credentials are valid but may not do this."""


class NotFoundError(APIError):
    """404: the object (or its parent workspace, team, repo) does not exist."""


class ValidationError(APIError):
    """400 or 422: the request was refused as invalid.

    ``invalid_fields`` lists each field the server named (TCA ``invalid_fields``).
    """

    def __init__(
        self, message: str, *, invalid_fields: tuple[FieldError, ...] = (), **kwargs: Any
    ) -> None:
        self.invalid_fields = invalid_fields
        super().__init__(message, **kwargs)

    def _describe(self) -> str:
        text = super()._describe()
        if self.invalid_fields:
            fields = "; ".join(f"{f.field}: {' '.join(f.messages)}" for f in self.invalid_fields)
            text += f" invalid fields: {fields}"
        return text


class RateLimitError(APIError):
    """429: too many requests.

    ``retry_after`` is the wait in seconds the server asked for (``Retry-After``), and
    ``limit`` the limit parsed from the message when the server stated one.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        limit: RateLimit | None = None,
        **kwargs: Any,
    ) -> None:
        self.retry_after = retry_after
        self.limit = limit
        super().__init__(message, **kwargs)


class ServerError(APIError):
    """5xx: the server (or a proxy in front of it) failed."""


_BY_STATUS: Mapping[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIError]:
    """The :class:`APIError` subclass that stands for an HTTP status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIError)


class DecodeError(TcaTapdError):
    """The response body is not the envelope the API promises.

    Keeps the HTTP status, the content type and the raw body (``.body``); the message
    shows the first bytes so a proxy's HTML page is recognisable at a glance.
    """

    SNIPPET_BYTES = 200

    def __init__(
        self,
        reason: str,
        *,
        body: bytes,
        content_type: str | None = None,
        status_code: int | None = None,
        method: str = "",
        url: str = "",
    ) -> None:
        self.reason = reason
        self.body = body
        self.content_type = content_type
        self.status_code = status_code
        self.method = method
        self.url = url
        where = f" [{method} {url}]" if method else ""
        super().__init__(
            f"{reason}{where}: HTTP {status_code}, content-type {content_type!r}, "
            f"body starts {self.snippet!r}"
        )

    @property
    def snippet(self) -> str:
        """The first bytes of the body, decoded leniently."""
        return self.body[: self.SNIPPET_BYTES].decode("utf-8", "replace")


class StructureError(TcaTapdError):
    """A payload could not be structured into its model.

    Names the model, the path of the offending field (``$.results[3].created_time``),
    the value found there, and why it was refused.
    """

    def __init__(self, *, model: str, path: str, value: Any, reason: str) -> None:
        self.model = model
        self.path = path
        self.value = value
        self.reason = reason
        shown = _show(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        super().__init__(f"cannot structure {model}: {path} = {shown}: {reason}")


class PagingDepthError(TcaTapdError):
    """A listing goes on (or, its size unknown, may go on) past the deepest item its
    server pages to by number, and this query has no way further (TAPD continues by id
    cursor only in id order).

    Raised when the crawl needs the first page out of reach: plain iteration and
    ``stream()`` have handed out every item before it; ``collect()`` raises instead
    of returning them.

    Attributes:
        listing: the listing's name (``GET /stories``).
        depth: the items before the first page out of reach by number (TAPD:
            ``page * limit`` <= 20000, so 20000 with pages of 200, 19980 with pages of 30).
        total: the listing's size, if the server said.
        hint: what to change.
    """

    def __init__(
        self, *, listing: str, depth: int, total: int | None = None, hint: str = ""
    ) -> None:
        self.listing = listing
        self.depth = depth
        self.total = total
        self.hint = hint
        size = f"has {total} items" if total is not None else f"may have more than {depth} items"
        message = f"{listing} {size}; its server pages by number only to item {depth}"
        super().__init__(f"{message}: {hint}" if hint else message)


_SHORT = reprlib.Repr()
_SHORT.maxlevel = 3


def _show(value: Any) -> str:
    """``repr(value)``; for a value nested too deeply for ``repr`` (a JSON body may nest
    about a thousand levels), a depth-limited one instead of a ``RecursionError``."""
    try:
        return repr(value)
    except RecursionError:
        return _SHORT.repr(value)


class JobError(TcaTapdError):
    """A TCA scan job did not end well; ``job`` is the last job detail seen (or ``None``)."""

    def __init__(self, message: str, *, job: Any = None) -> None:
        self.job = job
        super().__init__(message)


class JobFailedError(JobError):
    """The job closed with ``result_code`` >= 100 (server, node or configuration error).

    ``result_code`` and ``result_msg`` are copied from the job for convenience.
    """

    def __init__(self, job: Any) -> None:
        self.result_code: int | None = getattr(job, "result_code", None)
        self.result_msg: str | None = getattr(job, "result_msg", None)
        super().__init__(
            f"job {getattr(job, 'id', '?')} failed with result_code {self.result_code}: "
            f"{self.result_msg or ''}".rstrip(": "),
            job=job,
        )


class JobTimeoutError(JobError):
    """The job was not closed before the deadline (``timeout`` seconds)."""

    def __init__(self, job_id: int, timeout: float, *, job: Any = None) -> None:
        self.job_id = job_id
        self.timeout = timeout
        state = getattr(job, "state", None)
        seen = f" (last state {state!r})" if state is not None else ""
        super().__init__(f"job {job_id} not closed within {timeout:g} s{seen}", job=job)
