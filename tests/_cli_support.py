"""Helpers of the CLI tests: running ``tca-tapd`` in-process or in a subprocess, a clean
environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
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


def run_into_closed_pipe(*args: str, unbuffered: bool = False) -> Result:
    """Run ``python -m tca_tapd.cli args…`` with stdout a pipe nobody will ever read.

    The read end is closed before the process starts, so its first write to stdout
    fails (EPIPE), whenever it comes: no race with a reader, no sleeps. Buffered, the
    first write reaching the pipe is the first flush (after a page, or a whole table);
    ``unbuffered``, it is the first write of all (a CSV header, before any request).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(  # noqa: S603 - the project's own module, fixed arguments
            [sys.executable, "-m", "tca_tapd.cli", *args],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, check=False,
            env=env,
        )  # fmt: skip
    finally:
        os.close(write_end)
    return Result(done.returncode, "", done.stderr)


def run_subprocess(*args: str, env: Mapping[str, str] | None = None) -> Result:
    """Run ``python -m tca_tapd.cli args…`` in a subprocess, capturing its output."""
    done = subprocess.run(  # noqa: S603 - the project's own module, fixed arguments
        [sys.executable, "-m", "tca_tapd.cli", *args],
        capture_output=True, text=True, timeout=120, check=False,
        env=dict(os.environ if env is None else env),
    )  # fmt: skip
    return Result(done.returncode, done.stdout, done.stderr)
