"""The TCA envelope: ``{"data", "code", "msg", "status_code"}`` (pure; no I/O).

Success (HTTP 2xx) carries ``code`` 0, sent as an int or a numeric string; a 2xx
with another code is a failure (the hosted server may send one; the open-source
one does not). Errors (HTTP >= 400) carry ``code`` (1000 generic on main, 100 on
analysis, 1040 "repo already registered", …), ``msg`` and, for validation errors,
``invalid_fields: [{field, message}]`` where ``message`` is a list or a string. The
nginx in front of the analysis server answers 401/403 with an HTML page; those
still map to the typed auth errors. An expired ticket (401, ``code`` -3) says on its
error that the local clock may be skewed.
"""

from __future__ import annotations

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
from .._validate import parse_int
from ..errors import APIError, FieldError

__all__ = ["TICKET_EXPIRED_HINT", "decode_tca"]

TICKET_EXPIRED_CODE = -3
TICKET_EXPIRED_HINT = (
    "the ticket's TCA-TIMESTAMP is outside the server's window, so this machine's clock "
    "may be skewed against the server's: correct the clock, or pass the difference as "
    "TCATicketAuth(..., clock_offset=seconds)"
)
"""Added to the error when the server says the ticket expired (``code`` -3, "ticket过期"):
a ticket is signed the moment it is sent, so "expired" means the clocks disagree."""


def _ticket_expired(code: int | str | None, message: str) -> bool:
    lowered = message.lower()
    return code == TICKET_EXPIRED_CODE or (
        "ticket" in lowered and ("过期" in message or "expire" in lowered)
    )


def _code(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and (number := parse_int(value, signed=True)) is not None:
        return number
    return value if isinstance(value, str) else None


def _invalid_fields(body: dict[str, Any]) -> tuple[FieldError, ...]:
    raw = body.get("invalid_fields")
    if not isinstance(raw, list):
        return ()
    fields = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        message = entry.get("message")
        messages = [str(m) for m in message] if isinstance(message, list) else [str(message or "")]
        fields.append(FieldError(field=str(entry.get("field", "")), messages=tuple(messages)))
    return tuple(fields)


def decode_tca(response: RawResponse, expect: Expect) -> Any:
    """The ``data`` of a TCA answer, or the typed error it stands for."""
    if 200 <= response.status_code < 300:
        # The servers' renderer sends no body at all for no data, whatever the status
        # (TCA.md §2): fine for a 204, or for a call that wants no particular payload.
        if not response.content and (response.status_code == 204 or expect is None):
            return None
        body = decode_json(response)
        if not isinstance(body, dict) or "data" not in body or "code" not in body:
            raise response.decode_error("not a TCA envelope (no 'data' and 'code')")
        code = _code(body["code"])
        if code != 0:
            raise api_error(
                response,
                str(body.get("msg") or "request failed"),
                api_code=code if code is not None else body["code"],
                error_class=APIError,
            )
        return require_shape(response, body["data"], expect)
    body = try_json(response)
    if isinstance(body, dict):
        message = str(body.get("msg") or body.get("detail") or response.reason)
        code = _code(body.get("code"))
        expired = response.status_code == 401 and _ticket_expired(code, message)
        return_error = api_error(
            response,
            message,
            api_code=code,
            invalid_fields=_invalid_fields(body),
            hint=TICKET_EXPIRED_HINT if expired else None,
        )
    else:
        # An HTML page from nginx (401/403/502) or Django's debug 500 page.
        message = html_title(response.content) or response.reason
        return_error = api_error(response, message)
    raise return_error
