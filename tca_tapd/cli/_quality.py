"""``tca-tapd report``: the cross-API quality report of a TAPD workspace."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from ..report import SUMMARY_COLUMNS as REPORT_TABLE_COLUMNS
from ..report import TABLE_COLUMNS, build_quality_report
from ._common import ColumnsOption, OutputOption, QuietOption, state_of
from ._output import ItemWriter, ListFormat, output_stream, parse_columns, write_text
from ._progress import CountBar

__all__ = ["ReportFormat", "report"]


class ReportFormat(str, Enum):
    """How the report is written."""

    TABLE = "table"
    JSON = "json"
    HTML = "html"
    CSV = "csv"


def report(
    ctx: typer.Context,
    workspace: Annotated[
        int,
        typer.Option(
            "--workspace",
            "-w",
            min=1,
            envvar="TAPD_WORKSPACE_ID",
            show_default=False,
            help="The TAPD workspace whose linked git projects are reported.",
        ),
    ],
    org: Annotated[
        str,
        typer.Option("--org", envvar="TCA_ORG", show_default=False, help="TCA organisation."),
    ],
    team: Annotated[
        str | None,
        typer.Option(
            "--team",
            envvar="TCA_TEAM",
            show_default=False,
            help="TCA team whose repos are matched (default: every team of the organisation).",
        ),
    ] = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json (the whole report), html (a self-contained page) or csv "
            "(one flat row per repo).",
        ),
    ] = ReportFormat.TABLE,
    output: OutputOption = None,
    columns: ColumnsOption = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Repos fetched at once.")
    ] = 8,
    quiet: QuietOption = False,
) -> None:
    """Match a TAPD workspace's linked git projects with TCA repos and show the figures
    of their latest scans: lint issues, complexity, duplication, lines."""  # fmt: skip
    state = state_of(ctx, quiet)

    async def body() -> None:
        chosen = parse_columns(columns)
        console = state.stderr() if state.show_progress() else None
        # The output is opened first: a path that cannot be written is refused before
        # any request, and the file is only replaced once the report is written.
        with output_stream(output) as stream:
            async with state.settings.tapd_client() as tapd, state.settings.tca_client() as tca:
                with CountBar(console, "quality report", unit="repos", items=False) as bar:
                    built = await build_quality_report(
                        tapd, tca, workspace, org_sid=org, team_name=team,
                        concurrency=concurrency, on_progress=bar.report,
                    )  # fmt: skip
            if fmt is ReportFormat.JSON:
                write_text(stream, json.dumps(built.to_json(), ensure_ascii=False, indent=2) + "\n")
            elif fmt is ReportFormat.HTML:
                write_text(stream, built.to_html())
            else:
                table = fmt is ReportFormat.TABLE
                default = REPORT_TABLE_COLUMNS if table else TABLE_COLUMNS
                writer = ItemWriter(
                    ListFormat.TABLE if table else ListFormat.CSV,
                    stream,
                    chosen or default,
                    f"quality report of workspace {workspace}",
                    escape_formulas=state.csv_escape_formulas,
                )
                for row in built.table_rows():
                    writer.write(row)
                writer.close()
        summary = built.summary()
        state.say(
            f"{summary['matched']} repos matched ({summary['ok']} with figures, "
            f"{summary['error']} failed), {summary['unmatched']} linked items unmatched"
            + (f"; written to {output}" if output is not None else "")
        )

    state.run(body)
