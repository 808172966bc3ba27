"""Leaving a plain ``async for`` early leaves nothing behind, on asyncio and trio alike."""

from __future__ import annotations

import gc
import warnings

import pytest

from .test_pagination import Listing, offset_pager, page_pager


@pytest.mark.parametrize("prefetch", [1, 3])
async def test_break_out_of_items_and_pages_leaves_nothing_to_finalise(prefetch: int) -> None:
    # Plain iteration holds no generator: abandoning it cannot trigger trio's
    # "async generator was garbage collected" warning (an error in this suite).
    listing = Listing(100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async for item in offset_pager(listing, 10, prefetch=prefetch):
            assert item == "ITEM-000"
            break
        async for page in page_pager(listing, 10, prefetch=prefetch).pages():
            assert page.index == 0
            break
        gc.collect()
    assert listing.in_flight == 0
    assert len(listing.calls) == 2  # the first page of each, no batch started
