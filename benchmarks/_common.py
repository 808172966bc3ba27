"""What every benchmark shares: fake servers in their own processes, timing, report rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from attrs import define, field

from tca_tapd import TAPDBasicAuth
from tca_tapd.testing import TAPD_API_PASSWORD, TAPD_API_USER, FakeControl, ServerProcess

WORKSPACE = 10104801
TAPD_AUTH = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
RAW_BASIC = (TAPD_API_USER, TAPD_API_PASSWORD)


@define
class Section:
    """One benchmark's part of RESULTS.md: a title, prose, a table, target verdicts."""

    title: str
    intro: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(factory=list)
    verdicts: list[str] = field(factory=list)
    notes: list[str] = field(factory=list)

    def markdown(self) -> str:
        """The section as Markdown."""
        lines = [f"## {self.title}", "", self.intro, ""]
        lines.append("| " + " | ".join(self.header) + " |")
        lines.append("|" + "|".join("---:" if i else "---" for i in range(len(self.header))) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.verdicts:
            lines += ["", *[f"- {v}" for v in self.verdicts]]
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines) + "\n"


def verdict(name: str, value: float, target: str, ok: bool) -> str:
    """A line saying whether a measured ratio meets its target."""
    return f"{name}: {value:.2f} (target {target}) — {'met' if ok else 'NOT met'}"


@contextmanager
def tapd_server(**options: Any) -> Iterator[str]:
    """A fake TAPD in its own process (so it does not share the client's GIL)."""
    with ServerProcess("tapd", {"workspaces": [WORKSPACE], **options}) as server:
        yield server.url


async def reset(url: str, **settings: Any) -> None:
    """Reset a fake and apply settings."""
    async with FakeControl(url) as control:
        await control.reset()
        if settings:
            await control.configure(**settings)


async def timed(crawl: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    """Seconds a crawl took, and how many items it returned."""
    started = time.perf_counter()
    count = await crawl()
    return time.perf_counter() - started, count


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)
