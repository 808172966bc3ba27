"""TAPD filter helpers: how they render, what they refuse, and what they select (by content)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from tca_tapd import TAPDBasicAuth, TAPDClient
from tca_tapd._convert import CHINA_TZ
from tca_tapd.tapd import Bug, Story, ThirdType
from tca_tapd.tapd.filters import (
    after,
    all_of,
    any_of,
    before,
    between,
    contains,
    ids,
    not_equal,
    render_value,
)
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, FakeTAPD

from .conftest import Target

WS = 10104801


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (between(date(2025, 6, 1), date(2025, 6, 30)), "2025-06-01~2025-06-30"),
        (between(None, "2025-06-30"), "~2025-06-30"),
        (between(datetime(2025, 6, 1, 8), None), "2025-06-01 08:00:00~"),
        (before(date(2016, 1, 1)), "<2016-01-01"),
        (after(datetime(2025, 6, 1, 0, 0, tzinfo=timezone.utc)), ">2025-06-01 08:00:00"),
        (any_of("planning", "developing"), "planning|developing"),
        (any_of(ThirdType.TGIT), "tgit"),
        (all_of("alice", "bob"), "alice;bob"),
        (not_equal(0), "<>0"),
        (ids(1, "2", 3), "1,2,3"),
        (contains("a", "b"), "CONTAINS<a|b>"),
        (contains("a", "b", any_=True), "CONTAINS_OR<a|b>"),
    ],
)
def test_helpers_render_tapd_syntax(made: Any, expected: str) -> None:
    assert made.expression == expected
    assert str(made) == expected


def test_datetimes_render_in_shanghai_time() -> None:
    aware = datetime(2025, 6, 16, 6, 42, 59, tzinfo=timezone.utc)
    assert render_value(aware) == "2025-06-16 14:42:59"
    assert render_value(aware.astimezone(timezone(timedelta(hours=-7)))) == "2025-06-16 14:42:59"
    assert render_value(datetime(2025, 6, 16, 14, 42, 59)) == "2025-06-16 14:42:59"
    assert render_value(datetime(2025, 6, 16, 14, 42, 59, tzinfo=CHINA_TZ)) == "2025-06-16 14:42:59"
    assert (render_value(True), render_value(3), render_value(date(2025, 1, 2))) == (
        "1",
        "3",
        "2025-01-02",
    )


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: between(None, None), ValueError),
        (lambda: any_of(), ValueError),
        (lambda: any_of("a|b"), ValueError),
        (lambda: all_of("a;b"), ValueError),
        (lambda: ids(1, "2,3"), ValueError),
        (lambda: before(""), ValueError),
        (lambda: between("2025~", "x"), ValueError),
        (lambda: between(date(2025, 6, 30), date(2025, 6, 1)), ValueError),  # backwards
        (lambda: between(datetime(2025, 6, 1, 9), datetime(2025, 6, 1, 8)), ValueError),
        (lambda: between(5, 1), ValueError),
        (lambda: any_of(1.5j), TypeError),  # type: ignore[arg-type]
        (lambda: not_equal(None), TypeError),  # type: ignore[arg-type]
    ],
)
def test_helpers_refuse_bad_operands(build: Callable[[], Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


def _day(item: Story | Bug) -> str:
    assert item.created is not None
    return item.created.strftime("%Y-%m-%d")


STORY_FILTERS: list[tuple[dict[str, Any], Callable[[Story], bool]]] = [
    ({"status": any_of("planning", "developing")}, lambda s: s.status in ("planning", "developing")),  # noqa: E501
    ({"status": not_equal("planning")}, lambda s: s.status != "planning"),
    ({"created": between(date(2025, 6, 17), date(2025, 6, 20))},
     lambda s: "2025-06-17" <= _day(s) <= "2025-06-20"),
    ({"created": before(date(2025, 6, 17))}, lambda s: _day(s) <= "2025-06-17"),
    ({"created": after(datetime(2025, 7, 1))}, lambda s: _day(s) >= "2025-07-01"),
    ({"owner": any_of("bob", "张三")}, lambda s: bool({"bob", "张三"} & set(s.owners))),
    ({"owner": all_of("alice", "bob")}, lambda s: {"alice", "bob"} <= set(s.owners)),
    ({"iteration_id": not_equal(0)}, lambda s: s.iteration_id is not None),
    ({"iteration_id": "0"}, lambda s: s.iteration_id is None),
    ({"name": "需求 1"}, lambda s: "需求 1" in (s.name or "")),
    ({"label": contains("urgent")}, lambda s: "urgent" in (s.label or "")),
    ({"priority_label": any_of("High", "Low"), "owner": "alice"},
     lambda s: s.priority_label in ("High", "Low") and "alice" in s.owners),
]  # fmt: skip


async def test_filters_select_by_content(tapd_target: Target) -> None:
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    async with TAPDClient(
        auth, base_url=tapd_target.base_url, rate_limit=None, **tapd_target.options()
    ) as tapd:
        everything = await tapd.stories.list(WS).collect()
        for filters, predicate in STORY_FILTERS:
            expected = [s.id for s in everything if predicate(s)]
            got = await tapd.stories.list(WS, **filters).collect()
            assert expected, f"the data set should match {filters}"
            assert len(expected) < len(everything), f"…and not everything: {filters}"
            assert [s.id for s in got] == expected, filters
            assert await tapd.stories.count(WS, **filters) == len(expected), filters
        wanted = [everything[3].id, everything[50].id]
        assert [s.id for s in await tapd.stories.list(WS, id=wanted).collect()] == wanted
        assert [s.id for s in await tapd.stories.list(WS, id=ids(*wanted)).collect()] == wanted
        bugs = await tapd.bugs.list(
            WS, severity=any_of("fatal", "serious"), order="created asc"
        ).collect()
        assert bugs
        assert all(b.severity in ("fatal", "serious") for b in bugs)
        assert [b.created for b in bugs] == sorted(b.created for b in bugs if b.created)


# -- found in review: operands, ids and blanks are checked before anything is sent ------


def _offline() -> tuple[FakeTAPD, TAPDClient]:
    fake = FakeTAPD()
    auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
    return fake, TAPDClient(
        auth, base_url="http://tapd.test", rate_limit=None, transport=fake.asgi_transport()
    )


@pytest.mark.parametrize(
    "made",
    [lambda: any_of("<>planning"), lambda: not_equal("~"), lambda: all_of("a>b"),
     lambda: ids("<>1"), lambda: ids(True, 2), lambda: ids(0), lambda: ids()],
)  # fmt: skip
def test_helper_operands_cannot_carry_operators_or_bad_ids(made: Callable[[], Any]) -> None:
    # any_of("<>planning") would select every story but the planning ones.
    with pytest.raises((TypeError, ValueError)):
        made()


@pytest.mark.parametrize(
    ("filters", "named"),
    [({"id": [True]}, "id"), ({"id": -5}, "id"), ({"id": 0}, "id"),
     ({"iteration_id": False}, "iteration_id"), ({"status": ""}, "status"),
     ({"owner": "  "}, "owner"), ({"page": 2}, "page")],
)  # fmt: skip
async def test_bad_plain_filters_are_refused_by_list_and_count(
    filters: dict[str, Any], named: str
) -> None:
    fake, tapd = _offline()
    async with tapd:
        with pytest.raises((TypeError, ValueError), match=named):
            await tapd.stories.list(WS, **filters).collect()
        with pytest.raises((TypeError, ValueError), match=named):
            await tapd.stories.count(WS, **filters)
    assert fake.requests == []


async def test_unlinked_filters_still_go_as_typed() -> None:
    fake, tapd = _offline()
    async with tapd:
        unlinked = await tapd.stories.count(WS, iteration_id=0)
        tapd_spelling = await tapd.stories.count(WS, id="<>1")
    assert unlinked == sum(1 for s in fake.stories[WS] if s["iteration_id"] == "0")
    assert tapd_spelling == len(fake.stories[WS])
