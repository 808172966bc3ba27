"""The quality report's summary columns: ``tca-tapd report``'s table and the demo's.

Kept apart from the commands, free of typer and rich, because
:mod:`tca_tapd.testing` (which must not need the ``cli`` extra) shows them too.
"""

from __future__ import annotations

from ..report import TABLE_COLUMNS

__all__ = ["REPORT_TABLE_COLUMNS"]

_SHOWN = frozenset(
    {
        "tapd_path", "tca_team", "tca_repo", "status", "lint_fatal", "lint_error",
        "lint_warning", "lint_active", "cc_over_funcs", "dup_rate", "lines_code",
    }
)  # fmt: skip

REPORT_TABLE_COLUMNS = tuple(name for name in TABLE_COLUMNS if name in _SHOWN)
"""The columns of a report's table, in :data:`~tca_tapd.report.TABLE_COLUMNS`' order
(CSV has every one of those)."""
