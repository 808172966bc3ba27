"""mcp-server-tapd's ``get_stories_or_tasks`` tool, page after page, in a process of its own.

``python -m benchmarks._mcp_peer URL`` prints ``{"version", "count", "seconds"}`` as
JSON (exit status 3 when the package is not installed). A process of its own because
importing the package's server module sets up logging for the whole process (rich, at
INFO: every later httpx request would be logged) and builds its client from
environment variables at import time.

Each tool call asks for a page (``limit=200``) and then, as the tool always does, the
count and the workspace's details; it answers with indented JSON text, which is read
back here as its caller would.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from importlib import metadata

from ._common import RAW_BASIC, WORKSPACE

TAPD_PAGE = 200
NOT_INSTALLED = 3


def crawl_pages(call: Callable[[int], str]) -> int:
    """Call the tool for pages 1, 2, … until a short page; the items it returned."""
    count, page = 0, 1
    while True:
        rows = json.loads(call(page))["data"]  # the tool answers with JSON text
        count += len(rows)
        if len(rows) < TAPD_PAGE:
            return count
        page += 1


def main(url: str) -> int:
    """Crawl the fake at ``url`` with the package and print what it took."""
    os.environ.update(
        TAPD_API_USER=RAW_BASIC[0], TAPD_API_PASSWORD=RAW_BASIC[1], TAPD_API_BASE_URL=url
    )
    os.environ.pop("TAPD_ACCESS_TOKEN", None)
    sys.argv = sys.argv[:1]  # the package's config parser reads the command line
    if importlib.util.find_spec("mcp_server_tapd") is None:
        return NOT_INSTALLED
    from mcp_server_tapd import server  # a dependency missing is an error, not "absent"

    started = time.perf_counter()
    count = crawl_pages(
        lambda page: server.get_stories_or_tasks(WORKSPACE, {"limit": TAPD_PAGE, "page": page})
    )
    seconds = time.perf_counter() - started
    version = metadata.version("mcp-server-tapd")
    print(json.dumps({"version": version, "count": count, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
