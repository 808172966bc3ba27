"""``tca-tapd demo``: the demo job of :mod:`tca_tapd.testing`, with progress bars and
tables."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..crawl import CrawlProgress
from ..report import SUMMARY_COLUMNS as REPORT_TABLE_COLUMNS
from ..tca.models import JobDetail
from ._common import QuietOption, state_of
from ._config import CliState
from ._output import cell, console_for, guard_output
from ._progress import CountBar, JobBar
from ._tca import job_summary

__all__ = ["demo"]


def _tracker(console: Console | None) -> Callable[[str, str], Any]:
    """Progress bars for the demo's steps (nothing drawn without a console)."""

    @contextmanager
    def track(stage: str, label: str) -> Iterator[Callable[[Any], None]]:
        if stage == "scan":
            with JobBar(console, int(label.split()[-1])) as job_bar:
                yield job_bar
            return
        unit = "repos" if stage == "report" else "pages"
        with CountBar(console, label, unit=unit, items=stage == "crawl") as bar:
            yield bar.report if stage == "report" else bar.crawl
            bar.finish()

    return track


def demo(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            file_okay=False,
            show_default=False,
            help="Directory for report.html and report.json (default: a new temporary one).",
        ),
    ] = None,
    job_seconds: Annotated[
        float, typer.Option("--job-seconds", min=0, help="How long the fake scan job runs.")
    ] = 3.0,
    quiet: QuietOption = False,
) -> None:
    """Run a demo job against fake TCA and TAPD servers started on loopback.

    Crawls the workspaces' stories, starts a scan and waits for its job, then builds
    the cross-API quality report and writes report.html and report.json. Every call
    goes through the SDK over a real socket; nothing leaves the machine.
    """  # fmt: skip
    state = state_of(ctx, quiet)
    directory = out or Path(tempfile.mkdtemp(prefix="tca-tapd-demo-"))

    async def body() -> None:
        from ..testing._demo import demo_job  # needs uvicorn (the testing extra)

        console = state.stderr() if state.show_progress() else None
        result = await demo_job(
            directory,
            job_seconds=job_seconds,
            poll_interval=min(0.25, max(job_seconds / 8, 0.01)),
            tracker=_tracker(console),
            say=state.say,
        )
        _print(state, result)

    state.run(body)


def _print(state: CliState, result: Any) -> None:
    """The demo's findings on stdout (the report table is data; the rest is chatter)."""
    with guard_output(sys.stdout):
        _print_to(console_for(sys.stdout), state, result)


def _print_to(out: Console, state: CliState, result: Any) -> None:
    crawled: CrawlProgress = result.crawl
    job: JobDetail = result.job
    if not state.quiet:
        stories = ", ".join(f"{ws}: {n}" for ws, n in sorted(result.stories.items()))
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(result.statuses.items()))
        out.print(
            f"TAPD: crawled {crawled.items} stories in {crawled.pages} pages ({stories}); "
            f"workspace {result.workspace_id} by status: {statuses}"
        )
        out.print(f"TCA: {result.repo.name} ({result.project.branch}): {job_summary(job)}")
    summary = result.report.summary()
    table = Table(
        title=(
            f"quality report of workspace {result.workspace_id}: {summary['matched']} repos "
            f"matched, {summary['ok']} with figures, {summary['unmatched']} linked items "
            "unmatched"
        ),
        title_justify="left",
    )
    texts = ("tapd_path", "tca_team", "tca_repo", "status")
    for key in REPORT_TABLE_COLUMNS:
        table.add_column(key, justify="left" if key in texts else "right")
    for row in result.report.table_rows():
        table.add_row(*(cell(row, key) or "-" for key in REPORT_TABLE_COLUMNS))
    out.print(table)
    out.print(f"report written to {result.report_html} and {result.report_json}")
    out.file.flush()
