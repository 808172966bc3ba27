"""Pieces every TAPD resource uses: unwrapping ``{"Story": {...}}``, rendering
query parameters and form bodies (checked before anything is sent)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .._validate import check_id
from .filters import Filter, render_value

__all__ = ["form", "query", "render_fields", "unwrapper"]


def unwrapper(key: str) -> Callable[[Any], Any]:
    """A function taking ``{key: {...}}`` to ``{...}`` (and leaving other items alone).

    Leaving a malformed item as is lets the structurer report it with its index.
    """

    def unwrap(item: Any) -> Any:
        if isinstance(item, dict) and len(item) == 1 and key in item:
            return item[key]
        return item

    return unwrap


def _filter_value(name: str, value: Any) -> str:
    if isinstance(value, Filter):
        return value.expression
    if isinstance(value, list | tuple | set | frozenset):
        if not value:
            raise ValueError(f"filter {name} must not be an empty collection")
        parts = [_plain(name, v) for v in value]
        return ",".join(sorted(parts) if isinstance(value, set | frozenset) else parts)
    return _plain(name, value)


def _plain(name: str, value: Any) -> str:
    """One plain filter value: no bool for an id, a positive int ``id``, none blank
    (a string is TAPD's own spelling, operators included)."""
    if isinstance(value, bool) and (name == "id" or name.endswith("_id")):
        raise TypeError(f"filter {name} must be an id, got bool {value!r}")
    if name == "id" and isinstance(value, int):
        check_id(f"filter {name}", value)
    text = render_value(value, f"filter {name}")
    if not text.strip():
        raise ValueError(f"filter {name} must not be blank, got {value!r} (None leaves it out)")
    return text


def query(workspace_id: int | None, filters: Mapping[str, Any]) -> dict[str, str | int | float]:
    """Query parameters: ``workspace_id`` plus the filters that are set.

    Filter helpers render themselves; lists and tuples become TAPD's comma lists
    (``id=1,2,3``); dates and datetimes TAPD's spelling; ``None`` is left out.

    Raises:
        TypeError: a filter value of a type TAPD cannot take (naming the filter).
        ValueError: an empty list.
    """
    rendered: dict[str, str | int | float] = {}
    if workspace_id is not None:
        rendered["workspace_id"] = workspace_id
    for key, value in filters.items():
        if value is not None:
            rendered[key] = _filter_value(key, value)
    return rendered


def form(fields: Mapping[str, Any]) -> dict[str, str]:
    """A form body: every set field rendered as text (``None`` left out).

    Raises:
        TypeError: a value that is not a str, number, date, datetime, bool or enum
            (people are ``"a;b"`` and labels ``"a|b"`` in TAPD's own spelling).
    """
    return {k: render_value(v, k) for k, v in fields.items() if v is not None}


def render_fields(fields: str | Iterable[str] | None) -> str | None:
    """``fields=`` as TAPD's comma list, always including ``id`` (models need it).

    Raises:
        TypeError: not a str or an iterable of str (naming ``fields`` and the value).
        ValueError: an empty name.
    """
    if fields is None:
        return None
    items: Iterable[object]
    if isinstance(fields, str):
        items = fields.split(",")
    elif isinstance(fields, Iterable) and not isinstance(fields, bytes | bytearray):
        items = fields
    else:
        raise TypeError(
            f"fields must be a str or an iterable of str, got {type(fields).__name__} {fields!r}"
        )
    cleaned: list[str] = []
    for name in items:
        if not isinstance(name, str):
            raise TypeError(f"fields must be names (str), got {type(name).__name__} {name!r}")
        cleaned.append(name.strip())
    if not all(cleaned):
        raise ValueError(f"fields must not contain empty names, got {fields!r}")
    if "id" not in cleaned:
        cleaned.insert(0, "id")
    return ",".join(dict.fromkeys(cleaned))
