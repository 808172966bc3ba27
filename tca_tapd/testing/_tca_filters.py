"""django-filter, as the fake TCA applies it: csv choices, ranges, contains, times.

A bad value raises :class:`BadFilterError`, which the fake answers with a 400 and
``invalid_fields`` as the real servers do. :class:`Selections` remembers the rows a
query selects, so that paging through a large listing filters it once, not once a page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import datetime
from typing import Any

from ._asgi import Request
from ._tca_data import CHINA

__all__ = [
    "BadFilterError",
    "Selections",
    "apply_filters",
    "contains",
    "csv_in",
    "exact",
    "parse_time",
    "range_of",
]

Item = dict[str, Any]
Filter = Callable[[Request, list[Item]], list[Item]]


class BadFilterError(Exception):
    """A query value the server refuses: ``field`` and the Chinese message."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def _choice_error(value: str) -> str:
    return f"选择一个有效的选项。 {value} 不在可用的选项中。"


def csv_in(param: str, key: str | None = None, *, numeric: bool = True) -> Filter:
    """``param=1,2``: the item's ``key`` is one of the values."""

    def apply(request: Request, items: list[Item]) -> list[Item]:
        raw = request.arg(param)
        if not raw:
            return items
        values: set[Any] = set()
        for part in raw.split(","):
            if numeric and not part.strip().lstrip("-").isdigit():
                raise BadFilterError(param, _choice_error(part))
            values.add(int(part) if numeric else part)
        return [i for i in items if i.get(key or param) in values]

    return apply


def exact(param: str, key: str | None = None, *, numeric: bool = False) -> Filter:
    """``param=value``: equality (numbers compared as numbers when ``numeric``)."""

    def apply(request: Request, items: list[Item]) -> list[Item]:
        raw = request.arg(param)
        if raw is None or raw == "":
            return items
        value: Any = raw
        if numeric:
            if not raw.isdigit():
                raise BadFilterError(param, "请输入一个整数。")
            value = int(raw)
        elif raw in ("true", "false"):
            value = raw == "true"
        return [i for i in items if i.get(key or param) == value]

    return apply


def contains(param: str, *keys: str) -> Filter:
    """``param=text``: any of ``keys`` contains the text (case-insensitive)."""

    def apply(request: Request, items: list[Item]) -> list[Item]:
        needle = (request.arg(param) or "").lower()
        if not needle:
            return items
        return [
            i for i in items if any(needle in str(i.get(k) or "").lower() for k in keys or (param,))
        ]

    return apply


def parse_time(param: str, raw: str) -> datetime:
    """``YYYY-MM-DD[ HH:MM:SS]``, zone-less values in China time (the server's zone)."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise BadFilterError(param, "输入一个有效的日期/时间。") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


def range_of(key: str, *, gte: str, lte: str, kind: str = "number") -> Filter:
    """``{key}`` between the ``gte`` and ``lte`` parameters (numbers or times)."""

    def convert(param: str, raw: str) -> Any:
        if kind == "time":
            return parse_time(param, raw)
        try:
            return float(raw)
        except ValueError:
            raise BadFilterError(param, "请输入一个数字。") from None

    def value_of(item: Item) -> Any:
        value = item.get(key)
        if value is None:
            return None
        return datetime.fromisoformat(value) if kind == "time" and isinstance(value, str) else value

    def apply(request: Request, items: list[Item]) -> list[Item]:
        low, high = request.arg(gte), request.arg(lte)
        if low:
            bound = convert(gte, low)
            items = [i for i in items if value_of(i) is not None and value_of(i) >= bound]
        if high:
            bound = convert(lte, high)
            items = [i for i in items if value_of(i) is not None and value_of(i) <= bound]
        return items

    return apply


def apply_filters(request: Request, items: Iterable[Item], filters: Iterable[Filter]) -> list[Item]:
    """Every filter in turn."""
    out = list(items)
    for apply in filters:
        out = apply(request, out)
    return out


_PAGING = frozenset({"limit", "offset"})


class Selections:
    """Rows selected by a listing's path and filters, remembered until the data changes.

    The key is the path and the query without ``limit``/``offset`` (and any ``extra``
    the rows depend on, such as the caller), so every page of one listing is cut from
    the same list: filtering, ordering and trimming happen once per listing instead of
    once per page. Only for listings that depend on nothing else (not on the clock);
    :meth:`clear` must be called whenever the data changes. At most ``size`` listings
    are remembered (all are forgotten when it is reached).
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._rows: dict[Hashable, list[Item]] = {}

    def __len__(self) -> int:
        """How many listings are remembered."""
        return len(self._rows)

    def clear(self) -> None:
        """Forget every remembered listing (the data changed)."""
        self._rows.clear()

    def rows(
        self, request: Request, build: Callable[[], list[Item]], *extra: Hashable
    ) -> list[Item]:
        """The rows of this listing: remembered ones, or ``build()`` (then remembered).

        A :class:`BadFilterError` from ``build`` is raised and nothing is remembered.
        """
        selecting = tuple(sorted((k, v) for k, v in request.query if k not in _PAGING))
        key = (request.path, selecting, extra)
        found = self._rows.get(key)
        if found is None:
            found = build()
            if len(self._rows) >= self.size:
                self._rows.clear()
            self._rows[key] = found
        return found
