"""The demo job: real SDK calls against both fakes on loopback sockets.

:func:`demo_job` does the work and returns what it found; :func:`run_demo` prints
it as plain text (``python -m tca_tapd.testing demo``), and ``tca-tapd demo`` draws
progress bars and tables with rich. The steps: crawl every workspace's stories from
TAPD, start a TCA scan and wait for its job, build the cross-API quality report and
write it as ``report.html`` and ``report.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TextIO

import anyio
from attrs import define

from .. import TAPDBasicAuth, TAPDClient, TCAClient, TCATicketAuth
from ..crawl import CrawlProgress, crawl
from ..report import SUMMARY_COLUMNS as REPORT_TABLE_COLUMNS
from ..report import QualityReport, build_quality_report
from ..tca.models import JobDetail, Project, Repo
from ._server import serve_in_thread
from ._tapd import TAPD_API_PASSWORD, TAPD_API_USER, FakeTAPD
from ._tca import TCA_TOKEN, TCA_USER_ID, FakeTCA

__all__ = ["DemoResult", "Tracker", "demo_job", "run_demo"]

Tracker = Callable[[str, str], AbstractContextManager[Callable[[Any], None]]]
"""``tracker(stage, label)``: a context manager around a step, yielding the callback
fed with the step's progress: ``"crawl"`` gets :class:`~tca_tapd.CrawlProgress`,
``"scan"`` :class:`~tca_tapd.tca.JobDetail`, ``"report"``
:class:`~tca_tapd.report.ReportProgress`."""

STORY_PAGE_SIZE = 20
"""Small pages, so that the crawl has a few to show."""


@define(frozen=True)
class DemoResult:
    """What the demo did.

    Attributes:
        tca_url, tapd_url: where the fakes listened.
        workspace_id: the workspace the report is about.
        stories: stories crawled, per workspace.
        statuses: the report workspace's stories by status.
        crawl: the crawl's final progress (pages, items).
        repo, project, job: the scanned repository and project, and the ended job.
        report: the quality report.
        report_html, report_json: the files written.
    """

    tca_url: str
    tapd_url: str
    workspace_id: int
    stories: dict[int, int]
    statuses: dict[str, int]
    crawl: CrawlProgress
    repo: Repo
    project: Project
    job: JobDetail
    report: QualityReport
    report_html: Path
    report_json: Path


@contextmanager
def _silent(stage: str, label: str) -> Iterator[Callable[[Any], None]]:
    yield lambda progress: None


async def demo_job(
    out_dir: Path,
    *,
    job_seconds: float = 3.0,
    poll_interval: float = 0.25,
    tracker: Tracker = _silent,
    say: Callable[[str], object] = lambda line: None,
) -> DemoResult:
    """Start both fakes on loopback and run the demo against them through the SDK.

    Args:
        out_dir: where ``report.html`` and ``report.json`` go (created if needed).
        job_seconds: how long the scan's job takes on the fake (a quarter waiting,
            the rest running), in real seconds.
        poll_interval: seconds between polls of the job.
        tracker: progress displays around the steps (none by default).
        say: takes a line of narration.
    """
    await anyio.Path(out_dir).mkdir(parents=True, exist_ok=True)
    tca_fake = FakeTCA(job_durations=(job_seconds / 4, job_seconds * 3 / 4))
    tapd_fake = FakeTAPD()
    org, team = tca_fake.org_sid, tca_fake.team_name
    workspace = tapd_fake.workspace_ids[0]
    with serve_in_thread(tca_fake) as tca_url, serve_in_thread(tapd_fake) as tapd_url:
        say(f"fake TCA on {tca_url}, fake TAPD on {tapd_url}")
        tapd_auth = TAPDBasicAuth(TAPD_API_USER, TAPD_API_PASSWORD)
        async with (
            TAPDClient(tapd_auth, base_url=tapd_url, rate_limit=None) as tapd,
            TCAClient(tca_url, TCATicketAuth(TCA_USER_ID, TCA_TOKEN)) as tca,
        ):
            # 1. TAPD: every workspace's stories at once, small pages, each total asked
            # beside its first page.
            pagers = {
                ws: tapd.stories.list(ws, page_size=STORY_PAGE_SIZE, prefetch=2)
                for ws in tapd_fake.workspace_ids
            }
            stories: Counter[int] = Counter()
            statuses: Counter[str] = Counter()
            with tracker("crawl", "TAPD stories") as show:
                async with crawl(pagers, concurrency=3, progress=show) as results:
                    async for ws, story in results:
                        stories[ws] += 1
                        if ws == workspace:
                            statuses[story.status or "-"] += 1
                crawled = results.progress

            # 2. TCA: the team's first repository with a project; scan it and wait.
            repos = sorted(await tca.repos.list(org, team).collect(), key=lambda r: r.id)
            repo, project = None, None
            for candidate in repos:
                found = await tca.projects.list(org, team, candidate.id).collect(max_items=1)
                if found:
                    repo, project = candidate, found[0]
                    break
            if repo is None or project is None:  # pragma: no cover - the fake always has one
                raise RuntimeError("the fake TCA has no project to scan")
            started = await tca.scans.create(org, team, repo.id, project.id, created_from="demo")
            say(f"started a scan of {repo.name} ({project.branch}): job {started.job_id}")
            with tracker("scan", f"job {started.job_id}") as show:
                job = await tca.jobs.wait(
                    org, team, repo.id, project.id, started.job_id,
                    poll_interval=poll_interval, timeout=max(60.0, 10 * job_seconds),
                    on_poll=show,
                )  # fmt: skip

            # 3. Both: the workspace's linked git projects, scored by TCA.
            with tracker("report", "quality report") as show:
                report = await build_quality_report(
                    tapd, tca, workspace, org_sid=org, team_name=team, on_progress=show
                )
    html = out_dir / "report.html"
    data = out_dir / "report.json"
    await anyio.Path(html).write_text(report.to_html(), encoding="utf-8")
    await anyio.Path(data).write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return DemoResult(
        tca_url=tca_url,
        tapd_url=tapd_url,
        workspace_id=workspace,
        stories=dict(stories),
        statuses=dict(statuses),
        crawl=crawled,
        repo=repo,
        project=project,
        job=job,
        report=report,
        report_html=html,
        report_json=data,
    )


def _text(value: Any) -> str:
    return "-" if value is None else str(value)


async def run_demo(
    out: TextIO = sys.stdout, *, out_dir: Path | None = None, job_seconds: float = 3.0
) -> DemoResult:
    """Run :func:`demo_job` and print what it found as plain text.

    ``out_dir`` defaults to a new temporary directory (its path is printed).
    """
    directory = out_dir or Path(tempfile.mkdtemp(prefix="tca-tapd-demo-"))

    def say(line: str) -> None:
        out.write(line + "\n")

    result = await demo_job(directory, job_seconds=job_seconds, say=say)
    crawled = result.crawl
    out.write(
        f"\nTAPD: crawled {crawled.items} stories in {crawled.pages} pages from "
        f"{crawled.sources} workspaces\n"
    )
    for ws, count in sorted(result.stories.items()):
        out.write(f"  workspace {ws}: {count} stories\n")
    by_status = ", ".join(f"{k} {v}" for k, v in sorted(result.statuses.items()))
    out.write(f"  workspace {result.workspace_id} by status: {by_status}\n")
    job = result.job
    out.write(
        f"\nTCA: job {job.id} on {result.repo.name} ({result.project.branch}) ended: "
        f"result_code {job.result_code} {_text(job.result_msg)}, "
        f"{_text(job.total_line_num)} lines\n"
    )
    summary = result.report.summary()
    out.write(
        f"\nquality report of workspace {result.workspace_id}: {summary['matched']} repos "
        f"matched ({summary['ok']} with figures), {summary['unmatched']} linked items "
        "unmatched\n"
    )
    rows = [list(REPORT_TABLE_COLUMNS)] + [
        [_text(row[key]) for key in REPORT_TABLE_COLUMNS] for row in result.report.table_rows()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(REPORT_TABLE_COLUMNS))]
    for row in rows:
        out.write(
            "  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
    out.write(f"\nreport written to {result.report_html} and {result.report_json}\n")
    out.write("demo finished: every call above went through tca-tapd over a real socket.\n")
    return result
