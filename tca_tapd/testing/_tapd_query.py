"""How the TAPD fake answers list queries: filters, ordering, paging, ``fields`` (pure).

Paging: ``page`` and ``limit`` to a depth of ``page * limit`` <= 20000, then
``cursor=<id>`` (:func:`page_of`). TAPD's filter syntax (使用必读): ``a|b`` any
of, ``<>x`` not equal, ``a~b`` a range (either end may be empty), ``<x`` / ``>x``
bounds (taken as inclusive: not documented; an empty or null value is within no
bound or range, open-ended ones included: inferred), ``id=1,2`` several ids, people
fields ``A|B`` (OR) and ``A;B`` (AND) and ``<>A`` (inferred: A is not among them, the
value's stray ``;`` aside), ``name``/``title`` LIKE,
``CONTAINS<a|b>`` / ``CONTAINS_OR<a|b>`` for multi-select custom fields (values
stored as ``a|b``). Dates compare as text cut to the bound's length, so
``2025-06-16 14:42:59`` is within ``~2025-06-16``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "PAGING",
    "PAGING_DEPTH",
    "PagingError",
    "filtered",
    "matches_filter",
    "ordered",
    "page_of",
    "parse_order",
    "trimmed",
]

PAGING = frozenset(
    {
        "workspace_id",
        "page",
        "limit",
        "cursor",
        "order",
        "fields",
        "with_v_status",
        "include_sub_iteration",
    }
)
"""Query parameters that are not filters."""
_PEOPLE = frozenset(
    {
        "owner",
        "cc",
        "developer",
        "creator",
        "current_owner",
        "participator",
        "de",
        "te",
        "author",
        "reporter",
    }
)
_LIKE = frozenset({"name", "title"})


def _as_number(text: str) -> float | None:
    # Integers stay exact: 19-digit ids are beyond a float's precision.
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return None


def _compare(value: str, bound: str) -> int:
    """Numerically if both are numbers, else as text cut to the bound's length."""
    a, b = _as_number(value), _as_number(bound)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    cut = value[: len(bound)]
    return (cut > bound) - (cut < bound)


def _contains(text: str, spec: str) -> bool | None:
    for operator, any_ in (("CONTAINS_OR<", True), ("CONTAINS<", False)):
        if spec.startswith(operator) and spec.endswith(">"):
            wanted = [v for v in spec[len(operator) : -1].split("|") if v]
            held = {v for v in text.split("|") if v}
            return any(v in held for v in wanted) if any_ else all(v in held for v in wanted)
    return None


def _people(text: str) -> set[str]:
    """The nicknames of a people field (``;``- or ``,``-separated, stray ones ignored)."""
    return {p for p in text.replace(",", ";").split(";") if p}


def matches_filter(field: str, value: Any, spec: str) -> bool:
    """Whether a field value passes a TAPD filter expression."""
    text = "" if value is None else str(value)
    contained = _contains(text, spec)
    if contained is not None:
        return contained
    if spec.startswith("<>"):
        if field in _PEOPLE:  # not among the people, whatever stray separators
            people = _people(text)
            return spec[2:] not in people if spec[2:] else bool(people)
        return text != spec[2:]
    if "~" in spec:  # an empty value is in no range, open-ended or not (as with < and >)
        low, high = spec.split("~", 1)
        return (
            bool(text)
            and (not low or _compare(text, low) >= 0)
            and (not high or _compare(text, high) <= 0)
        )
    if spec.startswith("<"):
        return bool(text) and _compare(text, spec[1:].lstrip("=")) <= 0
    if spec.startswith(">"):
        return bool(text) and _compare(text, spec[1:].lstrip("=")) >= 0
    if field in _PEOPLE:
        people = _people(text)
        if "|" in spec:
            return any(p in people for p in spec.split("|"))
        return all(p in people for p in spec.split(";") if p)
    if field in _LIKE:
        return spec in text
    if "," in spec and (field == "id" or field.endswith("_id")):
        return text in spec.split(",")
    if "|" in spec:
        return text in spec.split("|")
    return text == spec


def filtered(
    rows: Iterable[dict[str, Any]], query: Iterable[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The rows passing every filter of the query.

    Paging parameters are not filters, and neither is a parameter naming no field of
    any row (inferred: TAPD's own MCP server, mcp-server-tapd, sends ``s=mcp`` and
    ``entity_type=stories`` with every listing, so the real server must ignore them).
    """
    rows = list(rows)
    filters = [
        (k, v)
        for k, v in query
        if k not in PAGING and v != "" and any(k in row for row in rows)  # a field: stops early
    ]
    return [r for r in rows if all(matches_filter(k, r.get(k), v) for k, v in filters)]


def parse_order(order: str) -> tuple[str, bool]:
    """``<field> asc|desc`` → (field, descending). Field names and the direction are
    taken in any case and with any blanks around them (inferred: TAPD's fields are
    lower-case names; ascending unless ``desc``, as in SQL). The server's reading: the
    SDK decides for itself which orders it can follow by cursor (``tapd._collection``),
    on the same inference."""
    field, *rest = order.split() or [""]
    return field.lower(), bool(rest) and rest[0].lower() == "desc"


def ordered(items: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    """``order=<field> asc|desc``: numbers numerically, the rest as text."""
    field, descending = parse_order(order)

    def key(item: dict[str, Any]) -> tuple[int, float, str]:
        value = item.get(field)
        text = "" if value is None else str(value)
        number = _as_number(text)
        return (0, number, "") if number is not None else (1, 0.0, text)

    return sorted(items, key=key, reverse=descending)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


PAGING_DEPTH = 20000
"""The deepest ``page * limit`` TAPD serves (使用必读 as summarised in 2026-09; not in
the older copy of the page). The fake keeps its own copy: it models the server, apart
from what the SDK assumes (``tca_tapd.tapd._collection.PAGING_DEPTH``)."""


class PagingError(ValueError):
    """A page the server refuses to serve (answered 422 with this message)."""


def page_of(
    items: list[Any],
    args: Mapping[str, str],
    max_limit: int = 200,
    *,
    max_depth: int = PAGING_DEPTH,
    order: str = "id desc",
) -> list[Any]:
    """The page asked for: ``page`` from 1, ``limit`` default 30, capped at ``max_limit``;
    ``page * limit`` at most ``max_depth``. Deeper, ``cursor=<id>`` asks for the items
    after that id in ``items`` (which are in ``order``), with no ``page``.

    Documented (the summary of 使用必读): the depth limit, that the cursor is the last
    id of the page before, that it needs id order (the default ``id desc``, or
    ``id asc``). Inferred: the refusals' status (422) and wording, that ``page`` is
    ignored beside a cursor, and that the page starts after the cursor's item (whether
    it includes that item is not documented).

    Raises:
        PagingError: a page past the depth, or a cursor the server cannot follow.
    """
    limit = min(max_limit, max(1, _int(args.get("limit"), 30)))
    cursor = args.get("cursor")
    if cursor:
        field, descending = parse_order(order)
        after = _as_number(cursor)
        if field != "id":
            raise PagingError("cursor works only with order by id")
        if not isinstance(after, int):
            raise PagingError("cursor must be an id")
        if descending:  # the first id below the cursor's
            start = bisect_right(items, -after, key=lambda item: -int(item["id"]))
        else:
            start = bisect_right(items, after, key=lambda item: int(item["id"]))
        return items[start : start + limit]
    page = max(1, _int(args.get("page"), 1))
    if page * limit > max_depth:
        raise PagingError(
            f"page*limit must not exceed {max_depth}; past it, page with cursor=<last id>"
        )
    return items[(page - 1) * limit : page * limit]


def trimmed(row: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Only the ``fields=`` asked for (every field without it)."""
    names = [f for f in (fields or "").split(",") if f]
    return {k: row[k] for k in names if k in row} if names else row
