"""Hardening: a sweep of every public method of every resource group of both clients.

Each path argument (ids, ``org_sid``, ``team_name``) gets wrong types and wrong values,
and each list call a bad ``page_size`` and ``prefetch``: every one must raise TypeError
or ValueError naming the argument, before any request (the fake receives nothing).

Found by it: a TAPD ``update`` given ``None`` as its id went down the create path (with
the create's fields it would have created an item); ``comments.create(entry_id=…)``
and ``timesheets.create(entity_id=…)`` sent any value to the server.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import anyio

from tca_tapd import AsyncPager, TAPDBasicAuth, TAPDClient, TCAClient, TCATokenAuth
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, TCA_API_TOKEN, FakeTAPD, FakeTCA

FILLERS: dict[str, Any] = {
    "org_sid": "hellotca",
    "team_name": "demo",
    "name": "x",
    "display_name": "x",
    "branch": "main",
    "scm_url": "https://git.example.com/a/b",
    "dir_path": "src",
    "remarks": "why",
    "package_ids": [1],
    "languages": ["python"],
    "third_type": "tgit",
    "nick": "bob",
    "path": "src/main.py",
    "title": "x",
    "author": "bob",
    "creator": "bob",
    "owner": "bob",
    "tel_number": "12345678901",
    "description": "x",
    "startdate": "2025-01-01",
    "enddate": "2025-01-02",
    "spentdate": "2025-01-01",
    "timespent": "1",
    "entity_type": "story",
    "entry_type": "stories",
}
NAMES = ("org_sid", "team_name")
BAD_IDS: list[tuple[Any, type[Exception]]] = [
    ("x", TypeError),
    (None, TypeError),
    (True, TypeError),
    (1.5, TypeError),
    (b"1", TypeError),
    (0, ValueError),
    (-4, ValueError),
    ("²", ValueError),
    ("9" * 5000, ValueError),
]
BAD_NAMES: list[tuple[Any, type[Exception]]] = [
    ("a/b", ValueError),
    ("", ValueError),
    ("  ", ValueError),
    (1, TypeError),
    (None, TypeError),
    (b"demo", TypeError),
]


def is_id(name: str) -> bool:
    return name.endswith("_id") or name == "ref_scheme"


def public_methods(client: Any) -> Iterator[tuple[str, Any]]:
    for group_name, group in vars(client).items():
        if group_name.startswith("_") or not hasattr(group, "_client"):
            continue
        for name in dir(group):
            method = getattr(group, name)
            if not name.startswith("_") and callable(method):
                yield f"{group_name}.{name}", method


def required(method: Any) -> list[str]:
    return [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


EXTRA: dict[str, dict[str, Any]] = {
    # Checked before the path ids (they name what is missing): given, so the ids are reached.
    "iterations.update": {"current_user": "bob"},
    # Change records need one of these filters (refused before sending without one).
    **{f"story_changes.{m}": {"story_id": 1} for m in ("list", "count", "get")},
    **{f"bug_changes.{m}": {"bug_id": 1} for m in ("list", "count", "get")},
}


def filler(name: str) -> Any:
    return 1 if is_id(name) else FILLERS[name]


async def refused(method: Any, kwargs: dict[str, Any]) -> BaseException | None:
    """The error the call raises before sending anything, or None if it did not."""
    try:
        result = method(**kwargs)
        if inspect.isawaitable(result):
            with anyio.fail_after(5):
                await result
        elif isinstance(result, AsyncPager):
            await result.collect(max_items=1)
    except Exception as exc:
        return exc
    return None


async def sweep(client: Any) -> tuple[list[str], int]:
    failures: list[str] = []
    checked = 0
    for label, method in public_methods(client):
        args = required(method)
        base = {**{name: filler(name) for name in args}, **EXTRA.get(label, {})}
        cases: list[tuple[str, Any, type[Exception]]] = []
        for name in args:
            if is_id(name) or name == "company_id":
                cases += [(name, bad, error) for bad, error in BAD_IDS]
            elif name in NAMES:
                cases += [(name, bad, error) for bad, error in BAD_NAMES]
        params = inspect.signature(method).parameters
        if "page_size" in params:
            cases += [("page_size", 0, ValueError), ("page_size", "10", TypeError)]
        if "prefetch" in params:
            cases += [("prefetch", 0, ValueError), ("prefetch", "2", ValueError)]
        for name, bad, error in cases:
            checked += 1
            got = await refused(method, {**base, name: bad})
            if isinstance(got, NotImplementedError):  # TAPD has no such route: never sent
                continue
            if not isinstance(got, error) or name not in str(got):
                failures.append(f"{label}({name}={bad!r:.20}): {got!r:.160}")
    return failures, checked


async def test_every_tca_method_refuses_bad_path_arguments_before_sending() -> None:
    fake = FakeTCA()
    async with TCAClient(
        "http://tca.test", TCATokenAuth(TCA_API_TOKEN), transport=fake.asgi_transport()
    ) as tca:
        failures, checked = await sweep(tca)
    assert failures == []
    assert checked > 500
    assert fake.requests == []


async def test_every_tapd_method_refuses_bad_path_arguments_before_sending() -> None:
    fake = FakeTAPD()
    async with TAPDClient(
        TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD),
        base_url="http://tapd.test",
        transport=fake.asgi_transport(),
        rate_limit=None,
    ) as tapd:
        failures, checked = await sweep(tapd)
    assert failures == []
    assert checked > 500
    assert fake.requests == []
