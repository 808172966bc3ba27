"""5. Peers: the SDK against other Python clients of the same APIs, latency-bound.

The fakes add 20 ms to every request, as a real server far away would; each client
crawls the same listing its usual way. Peers: ``tca-sdk-test`` (TCA, synchronous,
requests: its ``iter_list_issues``) and ``mcp-server-tapd`` (TAPD, synchronous,
requests: its ``get_stories_or_tasks`` tool, called page after page with
``limit=200``, as an agent pages through a workspace). mcp-server-tapd declares
Python >= 3.13, but its code runs on older Pythons: ``nox -s bench`` installs it with
``--ignore-requires-python`` (and the report says so). Where a peer is not installed,
its documented call pattern is timed with ``requests`` instead and labelled as a
stand-in.
"""

from __future__ import annotations

import base64
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import anyio
import requests

from tca_tapd import TAPDClient, TCAClient, TCATokenAuth
from tca_tapd.testing import TCA_API_TOKEN, TCA_TOKEN, TCA_USER_ID, ServerProcess

from ._common import RAW_BASIC, TAPD_AUTH, WORKSPACE, Section, reset, verdict
from ._mcp_peer import NOT_INSTALLED, TAPD_PAGE, crawl_pages

LATENCY = 0.020
CONCURRENCY = 16
TCA_ISSUES = ("hellotca", "demo", 1, 1)


def tca_peer(url: str) -> tuple[str, int, float]:
    """tca-sdk-test's iterator over every lint issue (or its pattern with requests)."""
    host = url.split("://", 1)[1]
    try:
        from tca_sdk import TCAClient as PeerClient
    except ImportError:
        label = "tca-sdk-test pattern with requests (stand-in: not installed)"
        seconds, count = _time(partial(_tca_stand_in, url))
        return label, count, seconds
    client = PeerClient(TCA_USER_ID, TCA_TOKEN, host=host, scheme="http")
    org, team, repo, project = (str(p) for p in TCA_ISSUES)
    seconds, issues = _time(
        lambda: list(
            client.analysis.code_lint.iter_list_issues(org, team, repo, project, page_size=100)
        )
    )
    version = metadata.version("tca-sdk-test")
    return f"tca-sdk-test {version} (requests, sequential)", len(issues), seconds


def _tca_stand_in(url: str) -> int:
    path = f"{url}/server/analysis/api/orgs/hellotca/teams/demo/repos/1/projects/1/codelint/issues/"
    headers = {"Authorization": f"Token {TCA_API_TOKEN}"}
    count, offset, total = 0, 0, None
    with requests.Session() as session:
        while total is None or offset < total:
            response = session.get(path, params={"limit": 100, "offset": offset}, headers=headers)
            response.raise_for_status()
            data = response.json()["data"]
            total, count, offset = data["count"], count + len(data["results"]), offset + 100
    return count


def tapd_peer(url: str) -> tuple[str, int, float]:
    """mcp-server-tapd's ``get_stories_or_tasks`` tool, page after page, in its own
    process (:mod:`benchmarks._mcp_peer`), or its pattern with requests here."""
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "benchmarks._mcp_peer", url],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    if done.returncode == NOT_INSTALLED:
        label = "mcp-server-tapd pattern with requests (stand-in: not installed)"
        seconds, count = _time(partial(crawl_pages, partial(_tapd_stand_in, url)))
        return label, count, seconds
    if done.returncode != 0:
        raise RuntimeError(f"the mcp-server-tapd crawl failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    label = f"mcp-server-tapd {result['version']} (get_stories_or_tasks, requests, sequential)"
    if sys.version_info < (3, 13):
        label += "; it declares Python ≥ 3.13, installed with --ignore-requires-python"
    return label, result["count"], result["seconds"]


def _tapd_stand_in(url: str, page: int) -> str:
    """What ``get_stories_or_tasks`` does for one page, with requests as it uses it: no
    session (a new connection per request), the page, then the count and the
    workspace's details; empty custom fields, unlinked plan fields and descriptions
    dropped; the answer dumped as indented JSON text."""
    pair = base64.b64encode(":".join(RAW_BASIC).encode()).decode()
    headers = {"Authorization": f"Basic {pair}", "Content-Type": "application/json", "Via": "mcp"}
    query: dict[str, str | int] = {"workspace_id": WORKSPACE, "entity_type": "stories"}
    stories = requests.request(
        "GET",
        f"{url}/stories?s=mcp",
        params={"page": page, "limit": TAPD_PAGE, **query},
        headers=headers,
        timeout=30,
    )
    stories.raise_for_status()
    count = requests.request(
        "GET", f"{url}/stories/count?s=mcp", params=query, headers=headers, timeout=30
    )
    count.raise_for_status()
    workspace = requests.request(
        "GET",
        f"{url}/workspaces/get_workspace_info?workspace_id={WORKSPACE}&s=mcp",
        headers=headers,
        timeout=30,
    )
    workspace.raise_for_status()
    rows = [
        {
            "Story": {
                k: v
                for k, v in row["Story"].items()
                if not (k.startswith("custom_field_") and v in (None, ""))
                and not (k.startswith("custom_plan_field_") and v == "0")
                and not k.startswith("description")
            }
        }
        for row in stories.json()["data"]
    ]
    answer = {"url_template": "", "data": rows, "count": count.json()}
    return json.dumps(answer, indent=2, ensure_ascii=False)


async def tca_sdk(url: str, transport: str | None) -> int:
    """The SDK's TCA crawl, ``CONCURRENCY`` pages in flight."""
    options = {"transport": transport} if transport else {}
    async with TCAClient(url, TCATokenAuth(TCA_API_TOKEN), **options) as tca:
        pager = tca.issues.list(*TCA_ISSUES, page_size=100, prefetch=CONCURRENCY)
        async with pager.stream() as issues:
            return sum([1 async for _ in issues])


async def tapd_sdk(url: str, transport: str | None) -> int:
    """The SDK's TAPD crawl, ``CONCURRENCY`` pages in flight."""
    options = {"transport": transport} if transport else {}
    async with TAPDClient(TAPD_AUTH, base_url=url, rate_limit=None, **options) as tapd:
        pager = tapd.stories.list(WORKSPACE, page_size=200, prefetch=CONCURRENCY)
        async with pager.stream() as stories:
            return sum([1 async for _ in stories])


SDK_TRANSPORTS = {"httpx transport": None, "aiohttp transport": "aiohttp"}


def _time(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def run(smoke: bool) -> Section:
    """Measure and report."""
    sizes = {"tca": 300 if smoke else 5_000, "tapd": 600 if smoke else 10_000}
    section = Section(
        title="5. Peers, latency-bound (20 ms per request)",
        intro=(
            f"Each client crawls the same listing from a fake that answers each request "
            f"{LATENCY * 1000:.0f} ms after it arrives; the SDK keeps {CONCURRENCY} requests "
            f"in flight (median of {1 if smoke else 5} runs; the peer runs once, sequentially)."
        ),
        header=("API", "client", "items", "seconds", "speed ÷ the peer's"),
    )
    cases = {
        "tca": (
            ServerProcess(
                "tca", {"repos": 1, "projects_per_repo": 1, "issues_per_project": sizes["tca"]}
            ),
            tca_peer,
            tca_sdk,
        ),
        "tapd": (
            ServerProcess("tapd", {"workspaces": [WORKSPACE], "stories": sizes["tapd"]}),
            tapd_peer,
            tapd_sdk,
        ),
    }
    rounds = 1 if smoke else 5
    for api, (server, peer, sdk) in cases.items():
        sdk_seconds: dict[str, float] = {}
        with server:
            anyio.run(partial(reset, server.url, latency=LATENCY))
            label, peer_count, peer_seconds = peer(server.url)
            for name, transport in SDK_TRANSPORTS.items():
                runs = [
                    _time(partial(anyio.run, sdk, server.url, transport)) for _ in range(rounds)
                ]
                assert {count for _, count in runs} == {sizes[api]}, (api, name, runs)
                sdk_seconds[name] = statistics.median(seconds for seconds, _ in runs)
        assert peer_count == sizes[api], (api, peer_count)
        pages = math.ceil(sizes[api] / (100 if api == "tca" else 200))
        section.rows.append(
            (api.upper(), label, str(peer_count), f"{peer_seconds:.2f}", "1.0×"),
        )
        if api == "tapd" and "stand-in" not in label:
            section.notes.append(
                "mcp-server-tapd's tool sends three requests per page (the page, the count, "
                "the workspace's details), each on a new connection, and answers with "
                "indented JSON text."
            )
        for name, seconds in sdk_seconds.items():
            speedup = peer_seconds / seconds
            section.rows.append(
                (
                    api.upper(),
                    f"tca-tapd, {name}",
                    str(sizes[api]),
                    f"{seconds:.2f}",
                    f"{speedup:.1f}×",
                )
            )
            section.verdicts.append(
                verdict(
                    f"{api.upper()}: SDK ({name}) speed ÷ peer ({pages} pages)",
                    speedup,
                    "≥ 10",
                    speedup >= 10,
                )
            )
    return section
