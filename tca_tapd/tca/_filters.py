"""Query-parameter rendering for TCA filters (pure; raises before any request).

The servers use django-filter: multi-valued filters are comma-separated
(``state=1,2``), datetimes are ``YYYY-MM-DD HH:MM:SS`` in the server's zone
(Asia/Shanghai, as the documentation's examples), booleans ``true``/``false``.
Client-side numbers (poll intervals, percentages) are checked by :func:`check_number`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from typing import TypeVar

from .._convert import CHINA_TZ
from .._validate import check_enum, check_int

__all__ = [
    "check_member",
    "check_number",
    "render_bool",
    "render_csv",
    "render_enum",
    "render_int",
    "render_number",
    "render_str",
    "render_time",
    "require_str",
]

E = TypeVar("E", bound=Enum)


def check_member(name: str, value: object, enum: type[E]) -> E:
    """A member of ``enum``; raw values must be known ones.

    An open enum turns any int into an ``UNKNOWN_<n>`` member; as a filter a raw
    unknown number is far more likely a mistake, so it is refused. A value the SDK
    does not know yet (a hosted-only state) can still be passed as ``JobState(6)``.
    """
    if isinstance(value, enum):
        return value
    member = check_enum(name, value, enum)
    if getattr(member, "is_known", True) is False:
        allowed = ", ".join(repr(m.value) for m in enum)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return member


def render_csv(
    name: str,
    value: object,
    enum: type[E] | None = None,
    *,
    number: Callable[[str, object], int] | None = None,
) -> str | None:
    """One value or an iterable of them, as ``"1,2"``.

    Each value is a member of ``enum`` (its value is sent), or a number checked by
    ``number(name, value)`` (e.g. ``check_id``), or else a string (``change_type=add,mod``).
    With ``number`` a string or bytes is refused, not read as a list of its characters.
    """
    if value is None:
        return None
    if number is not None and isinstance(value, str | bytes):
        raise TypeError(f"{name} must be an int or a list of ints, got {value!r}")
    values = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    if not values:
        raise ValueError(f"{name} must not be empty")
    return ",".join(_csv_item(name, item, enum, number) for item in values)


def _csv_item(
    name: str, item: object, enum: type[E] | None, number: Callable[[str, object], int] | None
) -> str:
    if number is not None:
        return str(number(name, item))
    if enum is not None:
        return str(check_member(name, item, enum).value)
    if isinstance(item, str) and item and "," not in item:
        return item
    raise ValueError(f"{name} values must be non-empty strings without ',', got {item!r}")


def check_number(
    name: str,
    value: object,
    *,
    what: str = "a number",
    above: float | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """A finite real number (not a bool) ``> above``, ``>= minimum``, ``<= maximum``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__} {value!r}")
    bounds: list[tuple[str, bool]] = []
    if above is not None:
        bounds.append((f"> {above:g}", value > above))
    if minimum is not None:
        bounds.append((f">= {minimum:g}", value >= minimum))
    if maximum is not None:
        bounds.append((f"<= {maximum:g}", value <= maximum))
    if not math.isfinite(value) or not all(ok for _, ok in bounds):
        rule = " and ".join(["finite", *(text for text, _ in bounds)])
        raise ValueError(f"{name} must be {what}, {rule}, got {value!r}")
    return float(value)


def render_number(
    name: str,
    value: object,
    *,
    what: str = "a number",
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    """An optional number filter (see :func:`check_number`)."""
    if value is None:
        return None
    return check_number(name, value, what=what, minimum=minimum, maximum=maximum)


def render_time(name: str, value: object) -> str | None:
    """A ``datetime`` (aware ones are converted to China time) or a ``date``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA_TZ)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    raise TypeError(f"{name} must be a datetime or a date, got {type(value).__name__} {value!r}")


def render_int(name: str, value: object, *, minimum: int | None = None) -> int | None:
    """An optional integer filter."""
    return None if value is None else check_int(name, value, minimum=minimum)


def render_str(name: str, value: object) -> str | None:
    """An optional non-empty text filter."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__} {value!r}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    return value


def render_bool(name: str, value: object) -> bool | None:
    """An optional boolean filter (rendered ``true``/``false`` by ``clean_params``)."""
    if value is None or isinstance(value, bool):
        return value
    raise TypeError(f"{name} must be a bool, got {type(value).__name__} {value!r}")


def render_enum(name: str, value: object, enum: type[E]) -> object | None:
    """An optional single enum filter, as its value."""
    return None if value is None else check_member(name, value, enum).value


def require_str(name: str, value: object) -> str:
    """A required non-empty text argument."""
    if value is None:
        raise TypeError(f"{name} is required")
    result = render_str(name, value)
    assert result is not None
    return result
