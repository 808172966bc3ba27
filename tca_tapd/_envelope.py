"""What the envelope decoders share: the response as plain data, JSON parsing, shape checks.

An envelope decoder is a pure function ``(RawResponse, expect) -> payload`` that
either returns the payload inside the API's envelope or raises a typed error. The
TCA and TAPD decoders (``tca/_envelope.py``, ``tapd/_envelope.py``) differ only in
how they read their envelope; everything else is here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from attrs import define, field

from . import _json
from ._ratelimit import RateLimit
from ._retry import parse_retry_after
from .errors import (
    APIError,
    DecodeError,
    FieldError,
    RateLimitError,
    ValidationError,
    error_class_for_status,
)

__all__ = [
    "Decoder",
    "Expect",
    "RawResponse",
    "api_error",
    "decode_json",
    "html_title",
    "require_shape",
    "try_json",
]

# The payload shape a call expects: ``list``, ``dict``, ``(list, dict)``, or ``None`` for any.
Expect = type | tuple[type, ...] | None


@define(frozen=True)
class RawResponse:
    """An HTTP response reduced to what decoding needs; no I/O, no client objects.

    ``headers`` has lower-case names. ``url`` is already redacted.
    """

    status_code: int
    content: bytes = field(repr=False)
    headers: Mapping[str, str] = field(factory=dict, repr=False)
    method: str = "GET"
    url: str = ""
    received_at: float = 0.0
    """Wall-clock time (epoch seconds) the response arrived; dates are measured from it."""

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if sent."""
        return self.headers.get("content-type")

    @property
    def reason(self) -> str:
        """A short phrase for the status when the body has no message."""
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return f"HTTP {self.status_code}"

    @property
    def retry_after(self) -> float | None:
        """The ``Retry-After`` header in seconds (an HTTP date counts from ``received_at``)."""
        return parse_retry_after(self.headers.get("retry-after"), now=self.received_at)

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` header, if sent."""
        return self.headers.get("x-request-id")

    def decode_error(self, reason: str) -> DecodeError:
        """A :class:`DecodeError` about this response, keeping its body."""
        return DecodeError(
            reason,
            body=self.content,
            content_type=self.content_type,
            status_code=self.status_code,
            method=self.method,
            url=self.url,
        )


def decode_json(response: RawResponse) -> Any:
    """The body as JSON; raises :class:`DecodeError` (keeping the body) when it is not."""
    try:
        return _json.loads(response.content)
    except ValueError:
        pass
    if not response.content:
        reason = "empty body where JSON was expected"
    elif response.content.lstrip()[:1] in (b"{", b"["):
        reason = "truncated or malformed JSON"
    else:
        reason = "body is not JSON"
    raise response.decode_error(reason)


def try_json(response: RawResponse) -> Any:
    """The body as JSON, or ``None`` when it is not JSON (used for error bodies)."""
    try:
        return _json.loads(response.content)
    except ValueError:
        return None


def html_title(content: bytes) -> str | None:
    """The ``<title>`` of an HTML error page (nginx: "401 Authorization Required")."""
    text = content[:2048].decode("utf-8", "replace")
    start = text.lower().find("<title>")
    end = text.lower().find("</title>")
    if start == -1 or end <= start:
        return None
    return text[start + len("<title>") : end].strip() or None


def _shape_name(expect: type | tuple[type, ...]) -> str:
    types = expect if isinstance(expect, tuple) else (expect,)
    names = {list: "a list", dict: "an object", str: "a string", bool: "a boolean"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def require_shape(response: RawResponse, data: Any, expect: Expect) -> Any:
    """Return ``data`` if it has the expected shape, else raise :class:`DecodeError`."""
    if expect is None or isinstance(data, expect):
        return data
    raise response.decode_error(
        f"expected {_shape_name(expect)} in the envelope's data, got {type(data).__name__}"
    )


Decoder = Callable[[RawResponse, Expect], Any]
"""The signature of an API's envelope decoder."""


def api_error(
    response: RawResponse,
    message: str,
    *,
    api_code: int | str | None = None,
    request_id: str | None = None,
    error_class: type[APIError] | None = None,
    invalid_fields: tuple[FieldError, ...] = (),
    limit: RateLimit | None = None,
    hint: str | None = None,
) -> APIError:
    """The typed error for an error answer; the class follows the HTTP status unless given."""
    cls = error_class or error_class_for_status(response.status_code)
    common: dict[str, Any] = {
        "status_code": response.status_code,
        "api_code": api_code,
        "method": response.method,
        "url": response.url,
        "request_id": request_id or response.request_id,
        "body": response.content,
        "hint": hint,
    }
    if issubclass(cls, ValidationError):
        return cls(message, invalid_fields=invalid_fields, **common)
    if issubclass(cls, RateLimitError):
        return cls(message, retry_after=response.retry_after, limit=limit, **common)
    return cls(message, **common)
