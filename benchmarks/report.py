"""Runs every benchmark and writes the report the README cites."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from pathlib import Path

from tca_tapd import __version__, _json

from . import latency, memory, peers, ratebound, structuring, throughput

BENCHMARKS = (throughput, structuring, latency, ratebound, peers, memory)


def run_all(*, smoke: bool, output: Path) -> str:
    """Run each benchmark (``smoke``: tiny sizes, one round) and write ``output``."""
    sections = [bench.run(smoke) for bench in BENCHMARKS]
    header = [
        "# Benchmark results",
        "",
        f"- run: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, tca-tapd {__version__}"
        f"{', smoke run (tiny sizes: figures are not meaningful)' if smoke else ''}",
        f"- machine: {platform.machine()}, {platform.system()}, {platform.python_implementation()} "
        f"{platform.python_version()}, orjson {'on' if _json.HAVE_ORJSON else 'off'}",
        "- every figure is a ratio against a baseline measured in the same run; "
        "regenerate with `nox -s bench` (or `python -m benchmarks`)",
        "",
    ]
    report = "\n".join(header) + "\n" + "\n".join(section.markdown() for section in sections)
    output.write_text(report, encoding="utf-8")
    return report
