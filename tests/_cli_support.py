"""Helpers of the CLI tests: running ``tca-tapd`` in-process, a clean environment."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest

from tca_tapd.cli import main
from tca_tapd.cli._config import ENV

OTHER_VARIABLES = ("TCA_ORG", "TCA_TEAM", "TAPD_WORKSPACE_ID")
"""Non-credential variables the CLI reads."""


@attrs.define
class Result:
    """One run of the CLI: its exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    def jsonl(self) -> list[dict[str, Any]]:
        """stdout as JSON lines."""
        return [json.loads(line) for line in self.out.splitlines()]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run ``tca-tapd args…`` in this process."""
    capsys.readouterr()  # drop what earlier steps printed
    code = main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget whatever the developer's shell set for the CLI."""
    for variable in (*ENV.values(), *OTHER_VARIABLES, "COLUMNS"):
        monkeypatch.delenv(variable, raising=False)
