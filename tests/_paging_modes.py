"""The ways a test reads a pager, shared by the pagination tests: plain ``async for``,
``pages()``, ``stream()`` and ``collect()``, with or without the count."""

from __future__ import annotations

from typing import Any

import anyio

from tca_tapd import AsyncPager

MODES = [  # (prefetch, counted, how)
    (1, False, "iterate"),
    (1, True, "iterate"),
    (3, True, "iterate"),
    (3, True, "pages"),
    (3, True, "stream"),
    (3, False, "stream"),
    (4, True, "collect"),
]
"""Serial, batched and windowed reads; ``counted``: the pager has a count call."""


async def read_into(pager: AsyncPager[Any], how: str, taken: list[Any]) -> None:
    """Read every item into ``taken`` as it comes (``how``: iterate, pages, stream,
    collect); what was taken before an error stays there."""
    with anyio.fail_after(20):
        if how == "stream":
            async with pager.stream() as items:
                async for item in items:
                    taken.append(item)
        elif how == "pages":
            async for page in pager.pages():
                taken.extend(page.items)
        elif how == "collect":
            taken.extend(await pager.collect())
        else:
            async for item in pager:
                taken.append(item)


async def read(pager: AsyncPager[Any], how: str) -> list[Any]:
    """Every item, read the way ``how`` says."""
    taken: list[Any] = []
    await read_into(pager, how, taken)
    return taken
