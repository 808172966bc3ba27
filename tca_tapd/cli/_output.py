"""Writing items as a table, JSON lines or CSV, to stdout or a file.

Every format writes the server's own object for each item (the model's ``raw``
dict): TAPD's and TCA's field names and values exactly as sent. JSON lines hold the
whole object; tables and CSV show chosen columns, where a dotted name reaches into a
nested object (``recent_active.branch_name``) and a nested value is shown as compact
JSON.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.table import Table

from ._errors import UsageError

__all__ = [
    "ItemWriter",
    "ListFormat",
    "ObjectFormat",
    "cell",
    "console_for",
    "output_stream",
    "parse_columns",
    "write_object",
]


class ListFormat(str, Enum):
    """How a list is written."""

    TABLE = "table"
    JSONL = "jsonl"
    CSV = "csv"


class ObjectFormat(str, Enum):
    """How one object (a job, a report) is written."""

    TABLE = "table"
    JSON = "json"


def _lookup(raw: Mapping[str, Any], key: str) -> Any:
    if key in raw:
        return raw[key]
    value: Any = raw
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def cell(raw: Mapping[str, Any], key: str) -> str:
    """One column's text: ``""`` for nothing, compact JSON for nested values."""
    value = _lookup(raw, key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def parse_columns(text: str | None) -> list[str] | None:
    """``"id,name,status"`` as a list of names (``None`` when not given).

    Raises:
        UsageError: an empty name.
    """
    if text is None:
        return None
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise UsageError(f"--columns must be comma-separated names, got {text!r}")
    return list(dict.fromkeys(names))


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console_for(stream: TextIO) -> Console:
    """A rich console writing to ``stream`` (200 columns wide off a terminal)."""
    # Off a terminal rich would assume 80 columns and fold the ids; files get room.
    width = None if _is_terminal(stream) else 200
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


@contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """The file at ``path`` (created or truncated, UTF-8), or stdout."""
    if path is None:
        try:
            yield sys.stdout
        finally:
            sys.stdout.flush()
        return
    try:
        stream = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write --output {str(path)!r}: {exc.strerror}") from None
    with stream:
        yield stream


class ItemWriter:
    """Writes items one by one in a :class:`ListFormat` (a table once at the end).

    Args:
        fmt: the format.
        stream: where to write.
        columns: the table's and CSV's columns (JSON lines ignore them).
        title: the table's title.
    """

    def __init__(
        self, fmt: ListFormat, stream: TextIO, columns: Sequence[str], title: str = ""
    ) -> None:
        self.format = fmt
        self.stream = stream
        self.columns = list(columns)
        self.title = title
        self.count = 0
        self._rows: list[list[str]] = []
        self._csv: Any = None
        if fmt is ListFormat.CSV:
            self._csv = csv.writer(stream, lineterminator="\n")
            self._csv.writerow(self.columns)

    def write(self, raw: Mapping[str, Any]) -> None:
        """Write (or, for a table, keep) one item."""
        self.count += 1
        if self.format is ListFormat.JSONL:
            self.stream.write(
                json.dumps(dict(raw), ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
            )
        elif self.format is ListFormat.CSV:
            self._csv.writerow([cell(raw, key) for key in self.columns])
        else:
            self._rows.append([cell(raw, key) for key in self.columns])

    def flush(self) -> None:
        """Push what was written so far (a pipe's reader sees whole pages as they come)."""
        self.stream.flush()

    def close(self) -> None:
        """Print the table, if that is the format."""
        if self.format is ListFormat.TABLE:
            table = Table(title=self.title or None, title_justify="left")
            for key in self.columns:
                overflow: Literal["fold", "ellipsis"] = (
                    "fold" if key == "id" or key.endswith("_id") else "ellipsis"
                )
                table.add_column(key, overflow=overflow, no_wrap=key == "id", max_width=60)
            for row in self._rows:
                table.add_row(*row)
            console_for(self.stream).print(table)
        self.stream.flush()


def write_object(fmt: ObjectFormat, stream: TextIO, raw: Mapping[str, Any], title: str) -> None:
    """One object: pretty JSON, or a two-column table of its top-level fields."""
    if fmt is ObjectFormat.JSON:
        stream.write(json.dumps(dict(raw), ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        table = Table(title=title, title_justify="left", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        for key in raw:
            table.add_row(str(key), cell(raw, str(key)))
        console_for(stream).print(table)
    stream.flush()
