"""The ``tca-tapd`` command line (``pip install 'tca-tapd[cli]'``).

``main()`` is the console script's entry point, and ``python -m tca_tapd.cli`` runs
it too. typer and rich are imported only here, when the command runs: importing
:mod:`tca_tapd` never needs them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

_MISSING_EXTRA = 1
"""The exit code when typer or rich is missing (an installation error)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tca-tapd`` with ``argv`` (default: the process's arguments); the exit code."""
    try:
        from ._app import app
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in ("typer", "rich", "click"):  # not the extra: a real bug
            raise
        sys.stderr.write(
            "error: the tca-tapd command needs its extra: pip install 'tca-tapd[cli]'\n"
        )
        return _MISSING_EXTRA
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="tca-tapd")
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0
