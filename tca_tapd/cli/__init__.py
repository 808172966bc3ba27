"""The ``tca-tapd`` command line (``pip install 'tca-tapd[cli]'``).

``main()`` is the console script's entry point, and ``python -m tca_tapd.cli`` runs
it too. typer and rich are imported only here, when the command runs: importing
:mod:`tca_tapd` never needs them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

_MISSING_EXTRA = 1
"""The exit code when typer or rich is missing (an installation error)."""
_USAGE = 2
"""The exit code of a bad command line (``_errors.ExitCode.USAGE``)."""
_INTERRUPTED = 130
"""The exit code after Ctrl-C (``_errors.ExitCode.INTERRUPTED``)."""


def _load_app() -> Any:
    """The typer application, or ``None`` (and a line on stderr) without the extra."""
    try:
        from ._app import app
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in ("typer", "rich", "click"):  # not the extra: a real bug
            raise
        sys.stderr.write(
            "error: the tca-tapd command needs its extra: pip install 'tca-tapd[cli]'\n"
        )
        return None
    return app


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _click_error(exc: BaseException) -> str | None:
    """``"usage"``, ``"help"`` (no arguments: the help is shown), ``"other"`` for click's
    own errors, else ``None``.

    By class name: typer may bring its own copy of click (``typer._click``) or use
    click itself, depending on its version.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "NoArgsIsHelpError" in names:
        return "help"
    if "UsageError" in names:
        return "usage"
    if "ClickException" in names:
        return "other"
    return None


def _invoke(app: Any, args: list[str]) -> int:
    """Run the application without click's own error display; the exit code.

    A usage error is one line, like every other error (click would draw a panel).
    """
    import typer

    try:
        result = app(args=args, prog_name="tca-tapd", standalone_mode=False)
    except typer.Abort:  # end of input at a prompt
        sys.stderr.write("error: aborted\n")
        return 1
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    except Exception as exc:
        kind = _click_error(exc)
        if kind is None:
            raise
        if kind == "help":
            return _USAGE
        message = _one_line(str(getattr(exc, "format_message", exc.__str__)()))
        if kind == "other":
            sys.stderr.write(f"error: {type(exc).__name__}: {message}\n")
            return int(getattr(exc, "exit_code", 1))
        ctx = getattr(exc, "ctx", None)
        hint = ""
        if ctx is not None and ctx.command.get_help_option(ctx) is not None:
            hint = f" (see {ctx.command_path} --help)"
        sys.stderr.write(f"error: UsageError: {message}{hint}\n")
        return _USAGE
    # Without standalone mode, click returns the code of an Exit raised by a command
    # (every error of a command body is one), else what the command returned.
    return result if isinstance(result, int) else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tca-tapd`` with ``argv`` (default: the process's arguments); the exit code."""
    try:
        # Everything, the import of typer and rich included, under one interrupt handler:
        # Ctrl-C at any moment is exit 130 and one line, never a traceback.
        app = _load_app()
        if app is None:
            return _MISSING_EXTRA
        return _invoke(app, list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        return _INTERRUPTED
