"""What the list commands share: their output options, value parsing, and the loop
that pages through a listing into a writer with a progress bar."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..pagination import AsyncPager
from ._config import CliState
from ._errors import UsageError
from ._output import ItemWriter, ListFormat, output_stream, parse_columns
from ._progress import CountBar

__all__ = [
    "ColumnsOption",
    "FormatOption",
    "LimitOption",
    "OutputOption",
    "QuietOption",
    "parse_enum",
    "parse_when",
    "state_of",
    "write_listing",
]

E = TypeVar("E", bound=Enum)

FormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format", "-f", help="table (rich), jsonl (one JSON object per item) or csv.",
        rich_help_panel="Output",
    ),
]  # fmt: skip
"""``--format/-f``: table, jsonl or csv."""
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of stdout.", dir_okay=False,
        show_default=False, rich_help_panel="Output",
    ),
]  # fmt: skip
"""``--output/-o FILE``."""
ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns", help="Table/CSV columns, comma-separated (a.b reaches into objects).",
        show_default=False, rich_help_panel="Output",
    ),
]  # fmt: skip
"""``--columns a,b,c.d``."""
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit", "-n", min=1, help="Stop after this many items.", show_default=False,
        rich_help_panel="Output",
    ),
]  # fmt: skip
"""``--limit/-n N``."""
QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="No progress bars or messages: only data and errors."),
]
"""``--quiet/-q`` on a command (the root has one too)."""


def state_of(ctx: typer.Context, quiet: bool = False) -> CliState:
    """The root options' state (with a command's own ``--quiet``)."""
    state = ctx.find_object(CliState)
    if state is None:  # a command invoked without the root callback (tests, embedding)
        state = CliState()
        ctx.obj = state
    if quiet:
        state.quiet = True
    return state


def parse_enum(option: str, values: Iterable[str] | None, enum: type[E]) -> list[E] | None:
    """Names (any case) or numbers of ``enum``, repeated or comma-separated.

    Raises:
        UsageError: a value that is neither.
    """
    if not values:
        return None
    known = [m for m in enum if not m.name.startswith("UNKNOWN")]
    chosen: list[E] = []
    for value in (v.strip() for text in values for v in text.split(",")):
        match = next((m for m in known if value.lower() in (m.name.lower(), str(m.value))), None)
        if match is None:
            names = ", ".join(m.name.lower() for m in known)
            raise UsageError(f"{option} must be one of {names}; got {value!r}")
        chosen.append(match)
    return chosen


def _when(option: str, text: str) -> date | datetime:
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} takes dates like 2025-06-01 or '2025-06-01 09:30', got {text!r}"
        ) from None


def parse_when(
    option: str, text: str | None
) -> tuple[date | datetime | None, date | datetime | None] | None:
    """A time range ``FROM..TO`` (either end may be left out), or one day ``DAY``.

    Raises:
        UsageError: not a date or datetime, or an empty range.
    """
    if text is None:
        return None
    text = text.strip()
    if ".." not in text:
        day = _when(option, text)
        return day, day
    low, _, high = (part.strip() for part in text.partition(".."))
    if not low and not high:
        raise UsageError(f"{option} needs a start or an end, like 2025-06-01..2025-06-30")
    start = _when(option, low) if low else None
    end = _when(option, high) if high else None
    if start is not None and end is not None and str(start) > str(end):
        raise UsageError(f"{option} starts after it ends: {text!r}")
    return start, end


async def write_listing(
    state: CliState,
    pager: AsyncPager[Any],
    *,
    fmt: ListFormat,
    output: Path | None,
    columns: str | None,
    default_columns: Sequence[str],
    limit: int | None,
    title: str,
    count: Callable[[], Awaitable[int]] | None = None,
) -> int:
    """Page through ``pager`` into the chosen format; returns how many items were written.

    With a progress bar, ``count`` (when given) is asked first, so that the bar
    knows its total from the start; otherwise the pages' own totals (TCA's) are
    used. Either is capped by ``limit``.
    """
    chosen = parse_columns(columns) or list(default_columns)
    streaming = output is None and fmt is not ListFormat.TABLE and sys.stdout.isatty()
    console = state.stderr() if state.show_progress(streaming) else None
    with output_stream(output) as stream:
        writer = ItemWriter(fmt, stream, chosen, title, escape_formulas=state.csv_escape_formulas)
        with CountBar(console, title) as bar:
            total = await count() if console is not None and count is not None else None
            async for page in pager.pages():
                items = page.items if limit is None else page.items[: limit - writer.count]
                for item in items:
                    writer.write(item.raw)
                writer.flush()
                bar.page(page, total, len(items), limit=limit)
                if limit is not None and writer.count >= limit:
                    break
            bar.finish()
        writer.close()
    if output is not None:
        state.say(f"wrote {writer.count} {title} to {output}")
    return writer.count
