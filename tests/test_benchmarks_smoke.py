"""Every benchmark's smoke mode runs here so none of them rots; no timing is asserted."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import BENCHMARKS, run_all


def test_every_benchmark_runs_in_smoke_mode_and_reports(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    report = run_all(smoke=True, output=output)
    assert output.read_text(encoding="utf-8") == report
    assert report.count("\n## ") == len(BENCHMARKS) == 6
    for title in (
        "Crawl throughput",
        "Structuring",
        "Latency-bound",
        "Rate-bound",
        "Peers",
        "Memory",
    ):
        assert title in report
    assert "(target" in report  # each section states its target and the verdict
    for secret in ("demo-api-password", "tca-demo-personal-token", "0123456789abcdef0123"):
        assert secret not in report
