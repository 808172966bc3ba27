"""``python -m benchmarks [--smoke] [--output PATH]``: run every benchmark, write RESULTS.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from .report import run_all


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round")
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).with_name("RESULTS.md"), help="report path"
    )
    args = parser.parse_args()
    print(run_all(smoke=args.smoke, output=args.output))


main()
