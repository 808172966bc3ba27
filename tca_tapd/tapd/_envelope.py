"""The TAPD envelope: ``{"status", "data", "info"}`` (pure; no I/O).

``status`` 1 (HTTP 200) is success, and ``data`` may then be a list, an object, a
string, ``true`` or ``null`` depending on the endpoint; callers say which shape they
need, and anything else (an unknown path answers 200 with the string "Hello world
from TAPD API…") is a :class:`~tca_tapd.errors.DecodeError`. Error answers repeat the
HTTP status in ``status``, explain in ``info`` and may carry ``meta.request_id``:

- 401 (with ``WWW-Authenticate: Basic``) and 422 "The access token provided is
  invalid" are authentication errors;
- other 422s are validation errors; 404 "workspace … not existed" is not-found;
- 429 "To many requests, api account X max request rates is 6000req/10min" is a rate
  limit error carrying the limit it states.
"""

from __future__ import annotations

import re
from typing import Any

from .._envelope import (
    Expect,
    RawResponse,
    api_error,
    decode_json,
    html_title,
    require_shape,
    try_json,
)
from .._ratelimit import RateLimit
from .._validate import parse_int
from ..errors import APIError, AuthenticationError, error_class_for_status

__all__ = ["decode_tapd", "parse_rate_limit"]

_RATE = re.compile(r"(\d+)\s*req\s*/\s*(\d*)\s*(s|sec|second|min|minute|h|hour)", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate_limit(info: str) -> RateLimit | None:
    """The limit stated in a 429's ``info`` ("max request rates is 6000req/10min")."""
    match = _RATE.search(info)
    if match is None:
        return None
    requests_text, count_text, unit = match.groups()
    requests = parse_int(requests_text)
    count = parse_int(count_text) if count_text else 1
    if requests is None or count is None:  # digits int() refuses, or far too many
        return None
    window = count * _UNIT_SECONDS[unit.lower()]
    if requests < 1 or window <= 0:  # "0req/10min" states no usable limit
        return None
    return RateLimit(requests, float(window))


def _request_id(body: dict[str, Any]) -> str | None:
    meta = body.get("meta")
    value = meta.get("request_id") if isinstance(meta, dict) else None
    return str(value) if value is not None else None


def _status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return parse_int(value)
    return None


def decode_tapd(response: RawResponse, expect: Expect) -> Any:
    """The ``data`` of a TAPD answer, or the typed error it stands for."""
    if response.status_code < 400:
        body = decode_json(response)
        if not isinstance(body, dict) or "status" not in body:
            raise response.decode_error("not a TAPD envelope (no 'status')")
    else:
        body = try_json(response)
        if not isinstance(body, dict):
            raise api_error(response, html_title(response.content) or response.reason)
    status = _status(body.get("status"))
    info = body.get("info")
    message = str(info) if info not in (None, "") else response.reason
    if response.status_code == 200 and status == 1:
        return require_shape(response, body.get("data"), expect)
    request_id = _request_id(body)
    error_class: type[APIError] | None = None
    if response.status_code < 400:
        # An error reported inside a success status: classify by the envelope's status.
        error_class = (
            error_class_for_status(status) if status is not None and status >= 400 else APIError
        )
    if (response.status_code == 422 or status == 422) and "access token" in message.lower():
        error_class = AuthenticationError
    limit = parse_rate_limit(message) if response.status_code == 429 or status == 429 else None
    raise api_error(
        response,
        message,
        api_code=status if status is not None else body.get("status"),
        request_id=request_id,
        error_class=error_class,
        limit=limit,
    )
