"""Fault injection for the fake servers: scripted misbehaviour, as plain data.

A :class:`Fault` hits the next ``times`` requests matching its ``method`` and
``path`` (a regular expression searched in the path). Faults are JSON-serialisable,
so a test can script a fake running in another process through its control API
(``POST /__fake__/faults``) exactly as it scripts one in-process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attrs import asdict, define, field

__all__ = ["HTML_UTF8", "Fault", "FaultPlan"]

HTML_UTF8 = "text/html; charset=utf-8"
"""The content type of the captured nginx error pages (and of Django's redirects)."""


@define(frozen=True)
class Fault:
    """One scripted misbehaviour of a fake server.

    Attributes:
        status: answer with this HTTP status instead of serving the request; the
            body is the API's own error body for it unless ``body`` is given.
        body: the body to send with ``status`` (text; e.g. an nginx HTML page).
        content_type: the content type of ``body``.
        headers: extra response headers (``Retry-After``…).
        delay: seconds to wait before answering (to provoke read timeouts).
        drop: serve the request but break the connection half-way through the body.
        truncate: serve the request but cut the JSON body in half (a well-formed
            HTTP response whose body is broken JSON).
        times: how many matching requests the fault hits.
        method: only requests with this method (any when ``None``).
        path: only paths matching this regular expression (any when ``None``).
    """

    status: int | None = None
    body: str | None = None
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(factory=dict)
    delay: float = 0.0
    drop: bool = False
    truncate: bool = False
    times: int = 1
    method: str | None = None
    path: str | None = None

    @classmethod
    def http(cls, status: int, *, retry_after: str | float | None = None, **kwargs: Any) -> Fault:
        """Answer ``status`` (with the API's error body), optionally with ``Retry-After``."""
        headers = dict(kwargs.pop("headers", {}))
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        return cls(status=status, headers=headers, **kwargs)

    @classmethod
    def html(cls, status: int, **kwargs: Any) -> Fault:
        """Answer ``status`` with an nginx-style HTML page, as a proxy does.

        Typed ``text/html; charset=utf-8`` as the captured nginx 401/403 pages are
        (``content_type=`` overrides it).
        """
        title = {401: "401 Authorization Required", 403: "403 Forbidden", 502: "502 Bad Gateway"}
        text = title.get(status, f"{status} Error")
        page = (
            f"<html>\r\n<head><title>{text}</title></head>\r\n<body>\r\n"
            f"<center><h1>{text}</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n"
            "</body>\r\n</html>\r\n"
        )
        kwargs.setdefault("content_type", HTML_UTF8)
        return cls(status=status, body=page, **kwargs)

    @classmethod
    def reset(cls, **kwargs: Any) -> Fault:
        """Break the connection in the middle of the response body."""
        return cls(drop=True, **kwargs)

    @classmethod
    def truncated(cls, **kwargs: Any) -> Fault:
        """Send a complete response whose JSON body is cut in half."""
        return cls(truncate=True, **kwargs)

    @classmethod
    def slow(cls, seconds: float, **kwargs: Any) -> Fault:
        """Wait ``seconds`` before answering."""
        return cls(delay=seconds, **kwargs)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def to_json(self) -> dict[str, Any]:
        """The fault as JSON-ready data (for the control API)."""
        data = asdict(self)
        data["headers"] = dict(self.headers)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """The inverse of :meth:`to_json`; unknown keys are refused."""
        unknown = set(data) - {a.name for a in cls.__attrs_attrs__}
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        return cls(**data)


class FaultPlan:
    """The faults still pending, consumed in the order they were added."""

    def __init__(self) -> None:
        self._pending: list[list[Any]] = []  # [fault, remaining]

    def add(self, *faults: Fault) -> None:
        """Queue faults."""
        for fault in faults:
            if fault.times < 1:
                raise ValueError(f"times must be >= 1, got {fault.times!r}")
            self._pending.append([fault, fault.times])

    def take(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any (using up one of its ``times``)."""
        for entry in self._pending:
            fault, remaining = entry
            if remaining > 0 and fault.matches(method, path):
                entry[1] = remaining - 1
                return fault  # type: ignore[no-any-return]
        return None

    def clear(self) -> None:
        """Drop every pending fault."""
        self._pending.clear()

    @property
    def pending(self) -> int:
        """How many fault hits are left."""
        return sum(remaining for _, remaining in self._pending)
