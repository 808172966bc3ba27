"""``tca-tapd tca``: repositories, projects, lint issues, jobs, and starting a scan."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated

import typer

from ..errors import JobError
from ..tca import IssueResolution, IssueSeverity, IssueState, JobState
from ..tca.models import JobDetail
from ._common import (
    ColumnsOption,
    FormatOption,
    LimitOption,
    OutputOption,
    QuietOption,
    parse_enum,
    state_of,
    write_listing,
)
from ._output import ListFormat, ObjectFormat, output_stream, write_object, write_text
from ._progress import JobBar, state_name

__all__ = ["job_summary", "tca_app"]

tca_app = typer.Typer(
    help="TCA: repositories, projects, lint issues, jobs; start a scan and wait for it.",
    no_args_is_help=True,
)
"""``tca-tapd tca``: repos, projects, issues, jobs and scan."""
repos_app = typer.Typer(help="Code repositories of a team.", no_args_is_help=True)
projects_app = typer.Typer(help="Analysis projects of a repository.", no_args_is_help=True)
issues_app = typer.Typer(help="Lint issues of a project.", no_args_is_help=True)
jobs_app = typer.Typer(help="Scan jobs of a project.", no_args_is_help=True)
tca_app.add_typer(repos_app, name="repos")
tca_app.add_typer(projects_app, name="projects")
tca_app.add_typer(issues_app, name="issues")
tca_app.add_typer(jobs_app, name="jobs")

OrgOption = Annotated[
    str,
    typer.Option("--org", envvar="TCA_ORG", help="Organisation (org_sid).", show_default=False),
]
"""``--org ORG_SID`` (env ``TCA_ORG``), on every ``tca`` command."""
TeamOption = Annotated[
    str,
    typer.Option("--team", envvar="TCA_TEAM", help="Team (project team name).", show_default=False),
]
"""``--team NAME`` (env ``TCA_TEAM``), on every ``tca`` command."""
RepoOption = Annotated[
    int, typer.Option("--repo", min=1, help="Repository id.", show_default=False)
]
"""``--repo ID``: a repository of the team."""
ProjectOption = Annotated[
    int, typer.Option("--project", min=1, help="Project id.", show_default=False)
]
"""``--project ID``: an analysis project of the repository."""

REPO_COLUMNS = ("id", "name", "scm_type", "scm_url", "recent_active.branch_name", "created_time")
"""``tca repos list``'s default table/CSV columns."""
PROJECT_COLUMNS = ("id", "branch", "scan_scheme.name", "status", "created_from", "created_time")
"""``tca projects list``'s default table/CSV columns."""
ISSUE_COLUMNS = (
    "id", "severity", "state", "checktool_name", "checkrule_display_name", "file_path", "author",
)  # fmt: skip
"""``tca issues list``'s default table/CSV columns."""
JOB_COLUMNS = ("id", "state", "result_code", "result_msg", "total_line_num")
"""``tca jobs list``'s default table/CSV columns."""


class TextFormat(str, Enum):
    """How the scan command reports: a line of text, or the job detail as JSON."""

    TEXT = "text"
    JSON = "json"


@repos_app.command("list")
def repos_list(
    ctx: typer.Context,
    org: OrgOption,
    team: TeamOption,
    search: Annotated[
        str | None,
        typer.Option("--search", help="URL or name contains this text.", show_default=False),
    ] = None,
    fmt: FormatOption = ListFormat.TABLE,
    output: OutputOption = None,
    columns: ColumnsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """List the team's repositories."""
    state = state_of(ctx, quiet)

    async def body() -> None:
        async with state.settings.tca_client() as tca:
            pager = tca.repos.list(org, team, scm_url_or_name=search, page_size=_page(limit))
            await write_listing(
                state, pager, fmt=fmt, output=output, columns=columns,
                default_columns=REPO_COLUMNS, limit=limit, title="repos",
            )  # fmt: skip

    state.run(body)


@projects_app.command("list")
def projects_list(
    ctx: typer.Context,
    org: OrgOption,
    team: TeamOption,
    repo: RepoOption,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Only this branch.", show_default=False)
    ] = None,
    fmt: FormatOption = ListFormat.TABLE,
    output: OutputOption = None,
    columns: ColumnsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """List the repository's analysis projects."""
    state = state_of(ctx, quiet)

    async def body() -> None:
        async with state.settings.tca_client() as tca:
            pager = tca.projects.list(org, team, repo, branch=branch, page_size=_page(limit))
            await write_listing(
                state, pager, fmt=fmt, output=output, columns=columns,
                default_columns=PROJECT_COLUMNS, limit=limit, title="projects",
            )  # fmt: skip

    state.run(body)


@issues_app.command("list")
def issues_list(
    ctx: typer.Context,
    org: OrgOption,
    team: TeamOption,
    repo: RepoOption,
    project: ProjectOption,
    issue_state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help="active, resolved or closed (repeat or comma-separate for several).",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    severity: Annotated[
        list[str] | None,
        typer.Option(
            "--severity",
            help="fatal, error, warning or info (several: any of them).",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    resolution: Annotated[
        list[str] | None,
        typer.Option(
            "--resolution",
            help="none, fixed, wont_fix, invalid, duplicate, …",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author", help="The issue's owner.", show_default=False, rich_help_panel="Filters"
        ),
    ] = None,
    file_path: Annotated[
        str | None,
        typer.Option(
            "--file-path",
            help="The file path contains this text.",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    checktool: Annotated[
        str | None,
        typer.Option(
            "--checktool",
            help="Reported by this tool (pylint…).",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    fmt: FormatOption = ListFormat.TABLE,
    output: OutputOption = None,
    columns: ColumnsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """List the project's lint issues, filtered."""  # fmt: skip
    state = state_of(ctx, quiet)

    async def body() -> None:
        states = parse_enum("--state", issue_state, IssueState)
        severities = parse_enum("--severity", severity, IssueSeverity)
        resolutions = parse_enum("--resolution", resolution, IssueResolution)
        async with state.settings.tca_client() as tca:
            pager = tca.issues.list(
                org, team, repo, project, state=states, severity=severities,
                resolution=resolutions, author=author, file_path=file_path,
                checktool_name=checktool, page_size=_page(limit),
            )  # fmt: skip
            await write_listing(
                state, pager, fmt=fmt, output=output, columns=columns,
                default_columns=ISSUE_COLUMNS, limit=limit, title="issues",
            )  # fmt: skip

    state.run(body)


@jobs_app.command("list")
def jobs_list(
    ctx: typer.Context,
    org: OrgOption,
    team: TeamOption,
    repo: RepoOption,
    project: ProjectOption,
    job_state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help="waiting, running, closed, … (several: any of them).",
            show_default=False,
            rich_help_panel="Filters",
        ),
    ] = None,
    fmt: FormatOption = ListFormat.TABLE,
    output: OutputOption = None,
    columns: ColumnsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """List the project's scan jobs, newest first."""
    state = state_of(ctx, quiet)

    async def body() -> None:
        states = parse_enum("--state", job_state, JobState)
        async with state.settings.tca_client() as tca:
            pager = tca.jobs.list(org, team, repo, project, state=states, page_size=_page(limit))
            await write_listing(
                state, pager, fmt=fmt, output=output, columns=columns,
                default_columns=JOB_COLUMNS, limit=limit, title="jobs",
            )  # fmt: skip

    state.run(body)


@jobs_app.command("get")
def jobs_get(
    ctx: typer.Context,
    job_id: Annotated[int, typer.Argument(min=1, help="The job id.", show_default=False)],
    org: OrgOption,
    team: TeamOption,
    repo: RepoOption,
    project: ProjectOption,
    fmt: Annotated[
        ObjectFormat, typer.Option("--format", "-f", help="table or json (the server's object).")
    ] = ObjectFormat.TABLE,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show one job's detail: state, result, tasks, timings."""
    state = state_of(ctx, quiet)

    async def body() -> None:
        # Opened first: a path that cannot be written is refused before any request.
        with output_stream(output) as stream:
            async with state.settings.tca_client() as tca:
                job = await tca.jobs.get(org, team, repo, project, job_id)
            write_object(fmt, stream, job.raw, f"job {job.id}")

    state.run(body)


def job_summary(job: JobDetail) -> str:
    """One line saying how a job ended (or where it stands)."""
    parts = [f"job {job.id} {state_name(job)}"]
    if job.result_code is not None:
        outcome = job.result_code_msg or ("failed" if job.failed else "ok")
        parts.append(f"result_code {job.result_code} ({outcome})")
    if job.result_msg:
        parts.append(job.result_msg)
    if job.execute_time is not None:
        parts.append(f"ran {job.execute_time:g} s")
    if job.total_line_num is not None:
        parts.append(f"{job.total_line_num} lines")
    return ", ".join(parts)


@tca_app.command("scan")
def scan(
    ctx: typer.Context,
    org: OrgOption,
    team: TeamOption,
    repo: RepoOption,
    project: ProjectOption,
    incremental: Annotated[
        bool, typer.Option("--incr/--full", help="An incremental or a full scan.")
    ] = True,
    wait: Annotated[
        bool,
        typer.Option("--wait", help="Wait for the job to end, with a live progress bar."),
    ] = False,
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", min=0.01, help="Seconds between polls.")
    ] = 5.0,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.01, help="Give up waiting after this many seconds.")
    ] = 3600.0,
    fmt: Annotated[
        TextFormat,
        typer.Option("--format", "-f", help="text (one line) or json (the job, or the ids)."),
    ] = TextFormat.TEXT,
    quiet: QuietOption = False,
) -> None:
    """Start a scan of the project; with --wait, follow its job until it ends.

    Exits with 5 when the job fails or does not end within --timeout.
    """
    state = state_of(ctx, quiet)

    async def body() -> None:
        async with state.settings.tca_client() as tca:
            started = await tca.scans.create(
                org, team, repo, project, incr_scan=incremental, created_from="tca-tapd"
            )
            if not wait:
                if fmt is TextFormat.JSON:
                    _emit({"job_id": started.job_id, "scan_id": started.scan_id})
                else:
                    _emit(f"job {started.job_id} started (scan {started.scan_id})")
                return
            state.say(f"started job {started.job_id} (scan {started.scan_id}); waiting")
            console = state.stderr() if state.show_progress() else None
            failure: JobError | None = None
            with JobBar(console, started.job_id) as bar:
                try:
                    job: JobDetail | None = await tca.jobs.wait(
                        org, team, repo, project, started.job_id,
                        poll_interval=poll_interval, timeout=timeout, on_poll=bar,
                    )  # fmt: skip
                except JobError as exc:
                    failure = exc
                    job = exc.job if isinstance(exc.job, JobDetail) else bar.last
            # Printed once the bar has stopped, so that the two never interleave.
            if job is not None:
                _emit(job.raw if fmt is TextFormat.JSON else job_summary(job))
            if failure is not None:
                raise failure

    state.run(body)


def _emit(value: object) -> None:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2)
    write_text(sys.stdout, f"{text}\n")


def _page(limit: int | None) -> int:
    """Ask for no more than needed when the listing is cut short."""
    return 100 if limit is None else min(limit, 100)
