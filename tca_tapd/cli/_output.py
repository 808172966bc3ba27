"""Writing items as a table, JSON lines or CSV, to stdout or a file.

Every format writes the server's own object for each item (the model's ``raw``
dict): TAPD's and TCA's field names and values as sent, but for credentials inside a
URL (a field named ``…url``: TCA echoes the URL a repository was registered with,
password included), which are masked. JSON lines hold the whole object; tables and
CSV show chosen columns, where a dotted name reaches into a nested object
(``recent_active.branch_name``) and a nested value is shown as compact JSON.

``--output FILE`` is written to a temporary file beside it, moved onto ``FILE`` only
once the command has succeeded: a failed command leaves ``FILE`` as it was. Files are
always UTF-8. A write that fails (stdout's encoding cannot show the data, a full disk)
becomes an :class:`~._errors.OutputError`; a reader that went away (a broken pipe)
stays a ``BrokenPipeError``, which ends the command quietly.
"""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.table import Table

from .._redact import redact_repo_url
from ._errors import OutputError, UsageError

__all__ = [
    "ItemWriter",
    "ListFormat",
    "ObjectFormat",
    "cell",
    "console_for",
    "guard_output",
    "output_stream",
    "parse_columns",
    "spreadsheet_text",
    "write_object",
    "write_text",
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


def shown(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """``raw`` with the credentials inside its URL fields masked (in nested objects and
    lists too); ``raw`` itself when it has none to mask."""
    masked: dict[str, Any] | None = None
    for key, value in raw.items():
        new = _shown_value(key, value)
        if new is not value:
            masked = dict(raw) if masked is None else masked
            masked[key] = new
    return raw if masked is None else masked


def _shown_value(key: str, value: Any) -> Any:
    """``value`` of field ``key`` as :func:`shown` writes it (``value`` itself when
    unchanged): a URL field's text (``…url``, or each of ``…urls``) masked."""
    if isinstance(value, str):
        if key.lower().endswith(("url", "urls")) and ("@" in value or "=" in value):
            return redact_repo_url(value)  # user info, or a query that may be secret
        return value
    if isinstance(value, Mapping):
        return shown(value)
    if isinstance(value, list | tuple):
        items = [_shown_value(key, item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


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


class _Console(Console):
    """A rich console that leaves a broken pipe to the CLI's quiet exit."""

    def on_broken_pipe(self) -> None:
        """Raise ``BrokenPipeError`` (rich's own exits with 1, skipping the CLI's
        handling: a reader that went away ends the command quietly, with 0)."""
        self.quiet = True
        raise BrokenPipeError


def console_for(stream: TextIO) -> Console:
    """A rich console writing to ``stream`` (200 columns wide off a terminal)."""
    # Off a terminal rich would assume 80 columns and fold the ids; files get room.
    width = None if _is_terminal(stream) else 200
    # No markup or emoji codes: names come from the servers and are shown as sent
    # ("[bold]" stays text; "[/x]" would otherwise be a markup error).
    return _Console(
        file=stream, width=width, highlight=False, soft_wrap=False, markup=False, emoji=False
    )


def _where(stream: TextIO) -> str:
    name = getattr(stream, "name", None)
    if stream is sys.stdout or name == "<stdout>":
        return "stdout"
    return repr(str(name)) if isinstance(name, str) else "the output"


@contextmanager
def guard_output(stream: TextIO) -> Iterator[None]:
    """Turn a failed write to ``stream`` into an :class:`~._errors.OutputError`
    (a broken pipe stays a ``BrokenPipeError``).

    Raises:
        OutputError: the data cannot be encoded, or the system refused the write.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except UnicodeEncodeError as exc:
        where = _where(stream)
        reason = (exc.reason.splitlines() or [""])[0]  # rich appends a hint of its own
        hint = "; set PYTHONIOENCODING=utf-8, or write a UTF-8 file with -o FILE"
        raise OutputError(
            f"cannot write to {where}: its encoding {exc.encoding!r} cannot show the data "
            f"({reason}){hint if where == 'stdout' else ''}"
        ) from exc
    except OSError as exc:
        raise OutputError(f"cannot write to {_where(stream)}: {exc.strerror or exc}") from exc


def write_text(stream: TextIO, text: str) -> None:
    """Write ``text`` and flush (see :func:`guard_output` for the errors)."""
    with guard_output(stream):
        stream.write(text)
        stream.flush()


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write --output {str(path)!r}: {exc.strerror or exc}")


def _open_new(target: Path, mode: int) -> tuple[Path, int]:
    """A new file beside ``target`` (the umask applies to ``mode``), and its descriptor."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temporary, os.open(temporary, flags, mode)
        except FileExistsError:  # pragma: no cover - 32 random bits taken already
            continue


@contextmanager
def _replacing(path: Path) -> Iterator[TextIO]:
    """A temporary file beside ``path``, moved onto it when the block succeeds."""
    target = Path(os.path.realpath(path))  # through a symlink, as opening it would go
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # /dev/null, a FIFO, a terminal: nothing to replace, written as it is.
        try:
            stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        with stream:
            yield stream
        return
    if existing is not None and not os.access(target, os.W_OK):
        raise _cannot_write(path, PermissionError(13, "Permission denied"))
    try:
        temporary, fd = _open_new(target, 0o666)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        if existing is not None:
            with suppress(OSError):
                os.chmod(temporary, stat.S_IMODE(existing.st_mode))
        stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115
        with stream:
            yield stream
        with guard_output(stream):
            os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


@contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """Stdout, or a UTF-8 file that replaces the one at ``path`` once the block ends
    without an error (a failure leaves that file as it was).

    The file is opened at once, so that a path that cannot be written is refused
    before any request.

    Raises:
        UsageError: ``path`` cannot be written.
        OutputError: writing failed.
    """
    if path is None:
        try:
            yield sys.stdout
        finally:
            with guard_output(sys.stdout):
                sys.stdout.flush()
        return
    with _replacing(path) as stream:
        yield stream
        with guard_output(stream):
            stream.flush()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_text(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (which Excel and LibreOffice may run as a
    formula) gets a leading ``'``; any other is as it is. A plain signed number
    (``-12``, ``+1.5e3``) is no formula and stays a number."""
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class ItemWriter:
    """Writes items one by one in a :class:`ListFormat` (a table once at the end).

    Args:
        fmt: the format.
        stream: where to write.
        columns: the table's and CSV's columns (JSON lines ignore them).
        title: the table's title.
        escape_formulas: start CSV cells a spreadsheet would run as a formula with
            ``'`` (see :func:`spreadsheet_text`).
    """

    def __init__(
        self,
        fmt: ListFormat,
        stream: TextIO,
        columns: Sequence[str],
        title: str = "",
        *,
        escape_formulas: bool = False,
    ) -> None:
        self.format = fmt
        self.escape_formulas = escape_formulas
        self.stream = stream
        self.columns = list(columns)
        self.title = title
        self.count = 0
        self._rows: list[list[str]] = []
        self._csv: Any = None
        if fmt is ListFormat.CSV:
            self._csv = csv.writer(stream, lineterminator="\n")
            with guard_output(stream):
                self._csv.writerow(self.columns)

    def write(self, raw: Mapping[str, Any]) -> None:
        """Write (or, for a table, keep) one item.

        Raises:
            OutputError: the write failed (see :func:`guard_output`).
        """
        self.count += 1
        raw = shown(raw)
        with guard_output(self.stream):
            if self.format is ListFormat.JSONL:
                line = json.dumps(dict(raw), ensure_ascii=False, separators=(",", ":"), default=str)
                self.stream.write(line + "\n")
            elif self.format is ListFormat.CSV:
                cells = [cell(raw, key) for key in self.columns]
                if self.escape_formulas:
                    cells = [spreadsheet_text(text) for text in cells]
                self._csv.writerow(cells)
            else:
                self._rows.append([cell(raw, key) for key in self.columns])

    def flush(self) -> None:
        """Push what was written so far (a pipe's reader sees whole pages as they come)."""
        with guard_output(self.stream):
            self.stream.flush()

    def close(self) -> None:
        """Print the table, if that is the format."""
        with guard_output(self.stream):
            self._close()

    def _close(self) -> None:
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
    raw = shown(raw)
    if fmt is ObjectFormat.JSON:
        write_text(stream, json.dumps(dict(raw), ensure_ascii=False, indent=2, default=str) + "\n")
        return
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for key in raw:
        table.add_row(str(key), cell(raw, str(key)))
    with guard_output(stream):
        console_for(stream).print(table)
        stream.flush()
