"""Exit codes, and turning any failure into one line on stderr.

Every command body runs through :func:`run`: an SDK error, a bad argument or an
interrupt becomes ``error: <ErrorType>: message`` and a documented exit code, never a
traceback (``--debug`` adds it). Known secrets are masked in the line as a last
line of defence: the SDK already keeps them out of its messages.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Awaitable, Callable, Iterable
from enum import IntEnum
from typing import TypeVar

import anyio
import typer

from ..errors import (
    AuthenticationError,
    JobError,
    NotFoundError,
    PermissionDeniedError,
    TcaTapdError,
)

if sys.version_info < (3, 11):  # pragma: no cover - the backport anyio depends on there
    from exceptiongroup import BaseExceptionGroup

__all__ = [
    "EXIT_CODES_HELP",
    "CliError",
    "ExitCode",
    "MissingCredentialsError",
    "UsageError",
    "error_line",
    "exit_code_for",
    "run",
]

T = TypeVar("T")


class ExitCode(IntEnum):
    """The CLI's exit codes (also in ``tca-tapd --help`` and the README)."""

    OK = 0
    """Success."""
    ERROR = 1
    """An API or transport error (or the ``cli`` extra is not installed)."""
    USAGE = 2
    """A bad command line or argument value; nothing was sent."""
    AUTH = 3
    """Credentials missing, refused (401) or not allowed (403)."""
    NOT_FOUND = 4
    """The workspace, repository, project, job… does not exist (404)."""
    JOB_FAILED = 5
    """A scan job failed or did not finish in time."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C)."""


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 API or transport error; 2 usage error (nothing sent); "
    "3 credentials missing or refused; 4 not found; 5 scan job failed or timed out; "
    "130 interrupted."
)
"""The epilog of ``tca-tapd --help``."""


class CliError(Exception):
    """An error the CLI itself detects, with the exit code it stands for."""

    exit_code = ExitCode.ERROR


class UsageError(CliError):
    """An option value the CLI cannot use (checked before any request)."""

    exit_code = ExitCode.USAGE


class MissingCredentialsError(CliError):
    """No credentials for an API the command needs."""

    exit_code = ExitCode.AUTH


def _single(exc: BaseException) -> BaseException:
    """The one error inside (nested) single-error groups, else ``exc`` itself."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code standing for ``exc``."""
    exc = _single(exc)
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(exc, CliError):
        return exc.exit_code
    if isinstance(exc, AuthenticationError | PermissionDeniedError):
        return ExitCode.AUTH
    if isinstance(exc, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(exc, JobError):
        return ExitCode.JOB_FAILED
    if isinstance(exc, TcaTapdError):
        return ExitCode.ERROR
    if isinstance(exc, ValueError | TypeError):
        # The SDK checks every argument before sending and names it in the message.
        return ExitCode.USAGE
    return ExitCode.ERROR


def error_line(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """``error: <ErrorType>: message`` on one line, with any known secret masked."""
    exc = _single(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "error: interrupted"
    message = " ".join(str(exc).split()) or "(no message)"
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        message = message.replace(secret, "***")
    return f"error: {type(exc).__name__}: {message}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def run(
    func: Callable[[], Awaitable[T]],
    *,
    backend: str = "asyncio",
    debug: bool = False,
    secrets: Iterable[str] = (),
) -> T:
    """Run a command's async body; on failure print one line and exit with its code."""
    try:
        return anyio.run(func, backend=backend)
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        # The reader went away (``… | head``): what it wanted was written; end quietly.
        _silence_stdout()
        raise typer.Exit(int(ExitCode.OK)) from None
    except (Exception, KeyboardInterrupt) as exc:
        if debug:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        sys.stderr.write(error_line(exc, secrets) + "\n")
        sys.stderr.flush()
        raise typer.Exit(int(exit_code_for(exc))) from None
