"""5. Peers: the SDK against other Python clients of the same APIs, latency-bound.

The fakes add 20 ms to every request, as a real server far away would; each client
crawls the same listing its usual way. Peers: ``tca-sdk-test`` (TCA, synchronous,
requests) and ``mcp-server-tapd`` (TAPD, synchronous, requests). mcp-server-tapd
needs Python ≥ 3.13; where a peer cannot be installed, its documented call pattern
is timed with ``requests`` instead and labelled as a stand-in.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio
import requests

from tca_tapd import TAPDClient, TCAClient, TCATokenAuth
from tca_tapd.testing import TCA_API_TOKEN, TCA_TOKEN, TCA_USER_ID, ServerProcess

from ._common import RAW_BASIC, TAPD_AUTH, WORKSPACE, Section, reset, verdict

LATENCY = 0.020
CONCURRENCY = 16
TCA_ISSUES = ("hellotca", "demo", 1, 1)


def tca_peer(url: str) -> tuple[str, int]:
    """tca-sdk-test's iterator over every lint issue (or its pattern with requests)."""
    host = url.split("://", 1)[1]
    try:
        from tca_sdk import TCAClient as PeerClient
    except ImportError:
        return "tca-sdk-test pattern with requests (stand-in: not installed)", _tca_stand_in(url)
    client = PeerClient(TCA_USER_ID, TCA_TOKEN, host=host, scheme="http")
    org, team, repo, project = (str(p) for p in TCA_ISSUES)
    issues = list(
        client.analysis.code_lint.iter_list_issues(org, team, repo, project, page_size=100)
    )
    return "tca-sdk-test 0.1.3 (requests, sequential)", len(issues)


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


def tapd_peer(url: str) -> tuple[str, int]:
    """mcp-server-tapd's pattern: one requests.get per page, sequentially, dicts out."""
    label = "mcp-server-tapd pattern with requests (stand-in: the package needs Python ≥ 3.13)"
    count, page = 0, 1
    with requests.Session() as session:
        while True:
            response = session.get(
                f"{url}/stories",
                params={"workspace_id": WORKSPACE, "page": page, "limit": 200},
                auth=RAW_BASIC,
            )
            response.raise_for_status()
            rows = response.json()["data"]
            count += len(rows)
            if len(rows) < 200:
                return label, count
            page += 1


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
            f"in flight (median of {1 if smoke else 3} runs; the peer runs once, sequentially)."
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
    rounds = 1 if smoke else 3
    for api, (server, peer, sdk) in cases.items():
        sdk_seconds: dict[str, float] = {}
        with server:
            anyio.run(partial(reset, server.url, latency=LATENCY))
            peer_seconds, (label, peer_count) = _time(partial(peer, server.url))
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
