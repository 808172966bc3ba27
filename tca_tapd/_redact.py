"""Keeping secrets out of logs, reprs and error messages."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

# Query or field names whose values are never shown. Matched as substrings,
# case-insensitively: "access_token", "api_password", "X-Ticket" all match.
_SECRET_NAME = re.compile(r"token|passw|secret|ticket|auth|key|signature|sig$|cookie|session", re.I)
REDACTED = "[redacted]"


def is_secret_name(name: str) -> bool:
    """Whether a header, query or form field with this name carries a secret."""
    return bool(_SECRET_NAME.search(name))


_USER_INFO = re.compile(r"(?<=://)[^/?#]*@")
_QUERY_PAIR = re.compile(r"([?&;])([^=&;#]*)=([^&;#]*)")


def redact_url(url: str) -> str:
    """The URL with user info removed and secret-looking query values masked (text
    that does not parse as a URL loses them by pattern instead)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return _QUERY_PAIR.sub(
            lambda m: f"{m[1]}{m[2]}={REDACTED if is_secret_name(m[2]) else m[3]}",
            _USER_INFO.sub("", url),
        )
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = "&".join(
            f"{quote(k)}={REDACTED if is_secret_name(k) else quote(v)}" for k, v in pairs
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_repo_url(url: str) -> str:
    """A repository URL without credentials: :func:`redact_url` for ``scheme://`` URLs;
    an scp-like one (``user:password@host:path``, ``git@user:password@host:path``)
    loses everything before its host unless that is a plain user name (``git@``)."""
    if "://" in url:
        return redact_url(url)
    head, at, rest = url.rpartition("@")
    if at and (":" in head or "@" in head):
        return f"{REDACTED}@{rest}"
    return url


def url_repr(value: str | None) -> str:
    """The ``repr`` of a URL field of a model: credentials and secret query values
    hidden (a server may echo back the URL a user registered with a password in it)."""
    return repr(value if value is None else redact_repo_url(value))


def mask(value: str) -> str:
    """A secret shown only as its length, for reprs that must say a value is set."""
    return f"<{len(value)} chars>"


class HttpxLogRedactor(logging.Filter):
    """Masks secret query values in httpx's own ``HTTP Request: GET <url> …`` INFO line.

    httpx logs every request's full URL; the SDK redacts its own log lines, but a
    query value such as ``access_token=…`` would still show in httpx's. Installed on
    the ``httpx`` logger (:func:`redact_httpx_logs`), it rewrites only the URLs the
    SDK is sending (:meth:`watching`): other clients' lines pass unchanged.

    URLs are held by their text, counted, for exactly as long as their requests run.
    (A weak set of URL objects lost a retry's URL: adding an equal URL kept the first
    attempt's entry, and collecting that attempt's request then removed it.)
    """

    def __init__(self) -> None:
        super().__init__("tca_tapd")
        self._urls: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def watching(self, url: object) -> Iterator[None]:
        """Redact ``url`` (an ``httpx.URL``) wherever httpx logs it inside the block."""
        text = str(url)
        with self._lock:
            self._urls[text] = self._urls.get(text, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._urls.pop(text) - 1
                if left:
                    self._urls[text] = left

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace watched URLs among the record's arguments by their redacted form."""
        args = record.args
        if isinstance(args, tuple) and self._urls:
            urls = self._urls
            record.args = tuple(redact_url(str(arg)) if str(arg) in urls else arg for arg in args)
        return True


_HTTPX_REDACTOR = HttpxLogRedactor()


def redact_httpx_logs() -> HttpxLogRedactor:
    """Install the redactor on the ``httpx`` logger (once) and return it."""
    httpx_logger = logging.getLogger("httpx")
    if _HTTPX_REDACTOR not in httpx_logger.filters:
        httpx_logger.addFilter(_HTTPX_REDACTOR)
    return _HTTPX_REDACTOR
