"""TAPD's filter operators as small typed values, not hand-built strings.

Pass them as filter keyword values of any list or count call; plain values still
work (``status="open"``, ``id=[1, 2, 3]``)::

    from tca_tapd.tapd.filters import after, any_of, between, not_equal

    tapd.stories.list(ws, status=any_of("planning", "developing"),
                      created=between(date(2025, 6, 1), date(2025, 6, 30)),
                      iteration_id=not_equal(0), modified=after(last_sync))

Rendering follows TAPD's 使用必读: ``a~b`` (range), ``<x``, ``>x``, ``a|b`` (any
of; for people fields OR), ``a;b`` (people, all of), ``<>x`` (not equal),
``a,b,c`` (several ids), ``CONTAINS<a|b>``/``CONTAINS_OR<a|b>`` (multi-select
custom fields). Dates are ``YYYY-MM-DD``; datetimes ``YYYY-MM-DD HH:MM:SS`` in
Asia/Shanghai (aware ones are converted, naive ones are taken as already there).
Whether TAPD's ``<``/``>`` include the bound is not documented.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum

from attrs import define

from .._convert import CHINA_TZ
from .._validate import check_id

__all__ = [
    "Filter",
    "after",
    "all_of",
    "any_of",
    "before",
    "between",
    "contains",
    "ids",
    "not_equal",
    "render_value",
]

Scalar = str | int | date | datetime | Enum
"""What a filter operand may be."""


def render_value(value: object, name: str = "value") -> str:
    """One operand as TAPD expects it (dates and datetimes in TAPD's spelling).

    Raises:
        TypeError: ``value`` is not a str, int, float, date, datetime or enum.
    """
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA_TZ)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(
        f"{name} must be a str, int, date, datetime or a tca_tapd.tapd.filters helper, "
        f"got {type(value).__name__} {value!r}"
    )


_OPERATORS = "<>~"
"""Characters of TAPD's operators: inside an operand they would change the filter
(``any_of("<>a")`` would select everything but ``a``)."""


def _operand(value: object, forbidden: str) -> str:
    text = render_value(value)
    if not text.strip():
        raise ValueError(f"a filter operand must not be empty, got {value!r}")
    bad = [c for c in forbidden + _OPERATORS if c in text]
    if bad:
        raise ValueError(f"a filter operand must not contain {bad[0]!r}, got {value!r}")
    return text


def _operands(values: Iterable[object], forbidden: str) -> tuple[str, ...]:
    rendered = tuple(_operand(v, forbidden) for v in values)
    if not rendered:
        raise ValueError("at least one value is required")
    return rendered


@define(frozen=True)
class Filter:
    """A rendered TAPD filter expression; build one with the functions of this module."""

    expression: str

    def __str__(self) -> str:
        return self.expression


def between(start: Scalar | None, end: Scalar | None) -> Filter:
    """``start~end``: from ``start`` to ``end`` (either may be ``None`` for open-ended).

    Raises:
        ValueError: neither given, or a start after its end (two dates, datetimes or
            numbers: such a range matches nothing).
    """
    if start is None and end is None:
        raise ValueError("between() needs a start or an end")
    if _after(start, end):
        raise ValueError(f"between() got a start after its end: start={start!r}, end={end!r}")
    low = "" if start is None else _operand(start, "~")
    high = "" if end is None else _operand(end, "~")
    return Filter(f"{low}~{high}")


def _after(start: Scalar | None, end: Scalar | None) -> bool:
    """Whether ``start`` comes after ``end``, for values of one comparable kind (text
    is not compared: TAPD's order for it is not known)."""
    if start is None or end is None or type(start) is not type(end):
        return False
    if isinstance(start, str | bool | Enum):
        return False
    try:
        return bool(start > end)  # type: ignore[operator]
    except TypeError:  # a naive and an aware datetime
        return False


def before(value: Scalar) -> Filter:
    """``<value``: earlier (or smaller) than ``value``."""
    return Filter("<" + _operand(value, "<>"))


def after(value: Scalar) -> Filter:
    """``>value``: later (or larger) than ``value``."""
    return Filter(">" + _operand(value, "<>"))


def any_of(*values: Scalar) -> Filter:
    """``a|b``: equal to any of ``values`` (for people fields: any of these people)."""
    return Filter("|".join(_operands(values, "|")))


def all_of(*people: str) -> Filter:
    """``a;b``: a people field holding all of these nicknames."""
    return Filter(";".join(_operands(people, ";|")))


def not_equal(value: Scalar) -> Filter:
    """``<>value``: anything but ``value``."""
    return Filter("<>" + _operand(value, ""))


def ids(*values: int | str) -> Filter:
    """``a,b,c``: one of several ids (a list or tuple as a filter value does the same);
    each a positive id (an int or its digits)."""
    if not values:
        raise ValueError("at least one value is required")
    for value in values:
        if isinstance(value, str) and not value.strip().isdigit():
            raise ValueError(f"ids() takes ids (digits), got {value!r}")
    return Filter(",".join(str(check_id("ids()", v)) for v in values))


def contains(*values: Scalar, any_: bool = False) -> Filter:
    """``CONTAINS<a|b>``: a multi-select custom field holding all of ``values``
    (``any_=True``: ``CONTAINS_OR<a|b>``, any of them)."""
    operator = "CONTAINS_OR" if any_ else "CONTAINS"
    return Filter(f"{operator}<{'|'.join(_operands(values, '|<>'))}>")
