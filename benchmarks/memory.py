"""6. Memory: streaming 100,000 items keeps the client's peak RSS growth small.

Runs in a child process so the peak is this crawl's alone: the RSS peak after
setting up the client is the baseline, the peak after streaming every item (one
``async for``, nothing kept) is compared with it. Target: under 50 MB of growth.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from typing import Any

import anyio

from tca_tapd import TAPDClient

from ._common import TAPD_AUTH, WORKSPACE, Section, tapd_server, verdict

LIMIT_MB = 50


def _peak_mb() -> float:
    """This process's peak RSS. ``VmHWM`` where Linux has it: unlike ``ru_maxrss`` it
    starts afresh at ``exec``, so a child does not inherit its parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _stream(url: str) -> dict[str, Any]:
    async with TAPDClient(TAPD_AUTH, base_url=url, rate_limit=None) as tapd:
        await tapd.stories.count(WORKSPACE)  # warm up: connections, converter hooks
        before = _peak_mb()
        count = 0
        pager = tapd.stories.list(
            WORKSPACE, page_size=200, prefetch=4, fields="id,name,status,owner,created"
        )
        async with pager.stream() as stories:
            async for _ in stories:
                count += 1
        return {"items": count, "before_mb": before, "after_mb": _peak_mb()}


def child(url: str) -> None:
    """The measurement, printed as JSON (run in a fresh interpreter)."""
    sys.stdout.write(json.dumps(anyio.run(_stream, url)) + "\n")


def run(smoke: bool) -> Section:
    """Measure in a child process and report."""
    stories = 2_000 if smoke else 100_000
    with tapd_server(stories=stories) as url:
        output = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-c", f"from benchmarks.memory import child; child({url!r})"],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["items"] == stories, result
    growth = result["after_mb"] - result["before_mb"]
    return Section(
        title="6. Memory while streaming",
        intro=(
            f"{stories} stories streamed with `async for` (pages of 200, 4 in flight to "
            "TAPD's paging depth of 20000 items, then one at a time by id cursor; `fields=` "
            "trimmed), in a child process; peak RSS before and after."
        ),
        header=("items", "peak RSS before (MB)", "peak RSS after (MB)", "growth (MB)"),
        rows=[
            (
                str(result["items"]),
                f"{result['before_mb']:.1f}",
                f"{result['after_mb']:.1f}",
                f"{growth:.1f}",
            )
        ],
        verdicts=[verdict("peak RSS growth (MB)", growth, f"< {LIMIT_MB}", growth < LIMIT_MB)],
    )
