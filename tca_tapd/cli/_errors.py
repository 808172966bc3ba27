"""Exit codes, and turning any failure into one line on stderr.

Every command body runs through :func:`run`: an SDK error, a bad argument or an
interrupt becomes ``error: <ErrorType>: message`` and a documented exit code, never a
traceback (``--debug`` adds it). As a last line of defence, every secret the CLI
knows is masked in that line and in the ``--debug`` traceback, in the forms an error
message may quote it: as given, stripped, and escaped (``repr``, bytes, JSON, URL).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress
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
    "InvalidCredentialsError",
    "MissingCredentialsError",
    "OutputError",
    "UsageError",
    "error_line",
    "exit_code_for",
    "mask_secrets",
    "run",
]

T = TypeVar("T")


class ExitCode(IntEnum):
    """The CLI's exit codes (also in ``tca-tapd --help`` and the README)."""

    OK = 0
    """Success."""
    ERROR = 1
    """An API or transport error, or the output could not be written (stdout's encoding
    cannot show the data, a full disk…); also: the ``cli`` extra is not installed."""
    USAGE = 2
    """A bad command line or option value, refused before any request: by the option
    parser, by the CLI's own checks, or by the SDK's argument checks (``ValueError`` or
    ``TypeError`` naming the argument); also an ``--output`` that cannot be written."""
    AUTH = 3
    """Credentials missing, unusable (a control character in one), refused (401) or not
    allowed (403)."""
    NOT_FOUND = 4
    """The workspace, repository, project, job… does not exist (404)."""
    JOB_FAILED = 5
    """A scan job failed or did not finish in time."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C)."""


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 API, transport or output error; 2 usage error (nothing sent); "
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


class InvalidCredentialsError(CliError):
    """A credential that cannot be sent as it is (a control character in it)."""

    exit_code = ExitCode.AUTH


class OutputError(CliError):
    """Writing the data failed (an encoding that cannot show it, a full disk…)."""

    exit_code = ExitCode.ERROR


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
    if isinstance(exc, UnicodeError):
        # A ValueError too, but about data (writing it, decoding it), not an argument.
        return ExitCode.ERROR
    if isinstance(exc, ValueError | TypeError):
        # The SDK checks every argument before sending and names it in the message.
        return ExitCode.USAGE
    return ExitCode.ERROR


def _forms(secret: str) -> set[str]:
    """The ways a message may quote ``secret``: as is, stripped, and escaped."""
    forms = {
        secret,
        secret.strip(),
        repr(secret)[1:-1],
        ascii(secret)[1:-1],
        json.dumps(secret)[1:-1],
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
    }
    with suppress(UnicodeEncodeError):  # a lone surrogate has no bytes form
        forms.add(repr(secret.encode())[2:-1])
    return {form for form in forms if form}


def mask_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every form of every secret (see the module's docstring) as ``***``."""
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text


def error_line(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """``error: <ErrorType>: message`` on one line, with any known secret masked."""
    exc = _single(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "error: interrupted"
    # Masked before the whitespace is collapsed: a secret may hold whitespace itself.
    message = " ".join(mask_secrets(str(exc), secrets).split()) or "(no message)"
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
        if isinstance(_single(exc), BrokenPipeError):  # the same, inside a task group
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        secrets = tuple(secrets)
        if debug:
            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            sys.stderr.write(mask_secrets("".join(lines), secrets))
        sys.stderr.write(error_line(exc, secrets) + "\n")
        sys.stderr.flush()
        raise typer.Exit(int(exit_code_for(exc))) from None
