"""Progress bars on stderr: list pages, bulk crawls, scan jobs, report building.

Each display takes plain counts (or the SDK's progress objects) and draws nothing
when disabled, so commands call it the same way with and without ``--quiet``. The
ETA comes from the counts alone: pages (or repositories) left at the rate seen so
far, shown once a total is known.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..crawl import CrawlProgress
from ..pagination import Page
from ..report import ReportProgress
from ..tca.enums import JobState
from ..tca.models import JobDetail

__all__ = ["CountBar", "JobBar", "job_fraction", "state_name"]

B = TypeVar("B", bound="_Bar")


class _CountColumn(ProgressColumn):
    """``done/total unit`` (``done/? unit`` while the total is unknown)."""

    def render(self, task: Task) -> Text:
        total = "?" if task.total is None else f"{task.total:.0f}"
        return Text(f"{task.completed:.0f}/{total} {task.fields.get('unit', '')}")


class _ItemsColumn(ProgressColumn):
    """Items received, and their rate since the bar started."""

    def render(self, task: Task) -> Text:
        if not task.fields.get("show_items", True):
            return Text("")
        items = int(task.fields.get("items", 0))
        elapsed = task.elapsed or 0.0
        rate = f" {items / elapsed:,.0f}/s" if elapsed > 0 and items else ""
        return Text(f"{items:,} items{rate}")


class _InfoColumn(ProgressColumn):
    """Free text the command sets (failures, a job's state)."""

    def render(self, task: Task) -> Text:
        return Text(str(task.fields.get("info", "")), style="dim")


class _Bar:
    """One rich progress bar on ``console``, or nothing when disabled."""

    def __init__(self, console: Console | None, description: str, columns: list[Any]) -> None:
        self._progress: Progress | None = None
        self._task: Any = None
        if console is not None:
            self._progress = Progress(
                *columns,
                console=console,
                transient=False,
                # Data goes straight to stdout, never through the live display.
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._task = self._progress.add_task(description, total=None)

    def __enter__(self: B) -> B:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _update(self, **changes: Any) -> None:
        if self._progress is not None:
            self._progress.update(self._task, **changes)


class CountBar(_Bar):
    """Pages (or repositories) done of a total, items, rate and ETA.

    Args:
        console: where to draw; ``None`` draws nothing.
        description: the bar's label.
        unit: what is counted (``pages``, ``repos``).
        items: whether to show the items column.
    """

    def __init__(
        self, console: Console | None, description: str, unit: str = "pages", items: bool = True
    ) -> None:
        columns: list[Any] = [
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            _CountColumn(),
            _ItemsColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            _InfoColumn(),
        ]
        super().__init__(console, description, columns)
        self._update(unit=unit, items=0, show_items=items)
        self.done = 0
        self.items = 0
        self.total: int | None = None
        self._per_page: int | None = None

    def set(
        self, done: int, total: int | None = None, items: int | None = None, info: str = ""
    ) -> None:
        """Move the bar to ``done`` of ``total`` (``None`` keeps the total unknown)."""
        self.done = done
        self.total = total if total is not None else self.total
        if items is not None:
            self.items = items
        self._update(completed=done, total=self.total, items=self.items, info=info)

    def page(
        self,
        page: Page[Any],
        total_items: int | None = None,
        used: int | None = None,
        *,
        limit: int | None = None,
    ) -> None:
        """One more page of a listing, of which ``used`` items were kept (default: all).

        The total pages follow from ``total_items`` (or the page's own total), capped
        by ``limit`` (the items wanted), over the first page's size."""
        if self._per_page is None and page.items:
            self._per_page = len(page.items)
        known = total_items if total_items is not None else page.total
        if known is not None and limit is not None:
            known = min(known, limit)
        pages = None
        if known is not None:
            pages = max(-(-known // (self._per_page or 1)), self.done + 1)
        self.set(self.done + 1, pages, self.items + (len(page.items) if used is None else used))

    def crawl(self, progress: CrawlProgress) -> None:
        """A :class:`~tca_tapd.CrawlProgress` from :func:`tca_tapd.crawl`."""
        info = f"{progress.sources_done}/{progress.sources} sources"
        if progress.errors:
            info += f", {progress.errors} failed"
        self.set(progress.pages, progress.pages_expected, progress.items, info)

    def report(self, progress: ReportProgress) -> None:
        """A :class:`~tca_tapd.report.ReportProgress` from the quality report."""
        info = f"{progress.errors} failed" if progress.errors else ""
        self.set(progress.repos_done, progress.repos_total, info=info)

    def finish(self) -> None:
        """Mark the work done: the total is what was done."""
        self.set(self.done, self.done, self.items)


def job_fraction(job: JobDetail) -> float:
    """How far a job is, from 0 to 1: its tasks' progress, 1 once closed."""
    if job.is_closed:
        return 1.0
    rates = [t.progress_rate for t in job.tasks if t.progress_rate is not None]
    if rates:
        # Rates are fractions in the documentation; tolerate percentages too.
        scale = 100.0 if any(r > 1 for r in rates) else 1.0
        return max(0.0, min(1.0, sum(rates) / (scale * len(rates))))
    if job.task_num:
        return max(0.0, min(1.0, (job.task_done or 0) / job.task_num))
    return 0.0


def state_name(job: JobDetail) -> str:
    """A job's state as a word (``running``), or as sent when the SDK does not know it."""
    state = job.state
    return state.name.lower() if isinstance(state, JobState) else str(state)


class JobBar(_Bar):
    """A scan job: its state, the share of its tasks done, the time it took."""

    def __init__(self, console: Console | None, job_id: int) -> None:
        columns: list[Any] = [
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            _InfoColumn(),
            TimeElapsedColumn(),
        ]
        super().__init__(console, f"job {job_id}", columns)
        self._update(total=100)
        self.polls = 0
        self.last: JobDetail | None = None

    def __call__(self, job: JobDetail) -> None:
        """Show a job detail just polled (``jobs.wait``'s ``on_poll``)."""
        self.polls += 1
        self.last = job
        tasks = f"tasks {job.task_done or 0}/{job.task_num}" if job.task_num else ""
        info = ", ".join(part for part in (state_name(job), tasks) if part)
        self._update(completed=100 * job_fraction(job), info=info)
