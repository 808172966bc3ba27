"""``tca-tapd tca``, ``report`` and ``demo`` against fakes on loopback sockets.

Scans that must go through several job states share one fake clock between the CLI's
client and the fake (``tca_tapd.cli._config.client_options``), so no real time passes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tca_tapd.cli import _config
from tca_tapd.report import SUMMARY_COLUMNS as REPORT_TABLE_COLUMNS
from tca_tapd.report import TABLE_COLUMNS
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TCA_API_TOKEN,
    TCA_OUTSIDER_API_TOKEN,
    TCA_TOKEN,
    TCA_USER_ID,
    FakeClock,
    FakeTAPD,
    FakeTCA,
    serve_in_thread,
)
from tca_tapd.testing._demo import run_demo

from ._cli_support import clean_environment, run_into_closed_pipe

ORG, TEAM, REPO, PROJECT = "hellotca", "demo", 3, 5
IDS = ("--org", ORG, "--team", TEAM, "--repo", str(REPO), "--project", str(PROJECT))
WS = 10104801


@pytest.fixture
def tca(served: tuple[FakeTCA, str, FakeTAPD, str], monkeypatch: pytest.MonkeyPatch) -> FakeTCA:
    """The fake TCA, reset; the environment holds hosted-TCA (ticket) credentials."""
    fake, url, tapd, tapd_url = served
    fake.reset()
    tapd.reset()
    clean_environment(monkeypatch)
    monkeypatch.setenv("TCA_BASE_URL", url)
    monkeypatch.setenv("TCA_USER_ID", TCA_USER_ID)
    monkeypatch.setenv("TCA_TOKEN", TCA_TOKEN)
    monkeypatch.setenv("TAPD_API_BASE_URL", tapd_url)
    monkeypatch.setenv("TAPD_ACCESS_TOKEN", TAPD_ACCESS_TOKEN)
    monkeypatch.setenv("TAPD_RATE_LIMIT", "none")
    return fake


# -- lists ------------------------------------------------------------------------------------


def test_repos_jsonl_is_every_repo_of_the_team(tca: FakeTCA, cli: Any) -> None:
    result = cli("tca", "repos", "list", "--org", ORG, "--team", TEAM, "-f", "jsonl")
    assert result.code == 0, result.err
    lines = result.jsonl()
    assert [r["id"] for r in lines] == sorted((r["id"] for r in tca.repos), reverse=True)
    by_id = {r["id"]: r for r in tca.repos}
    assert all(line["scm_url"] == by_id[line["id"]]["scm_url"] for line in lines)


def test_org_and_team_from_the_environment_and_csv(
    tca: FakeTCA, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TCA_ORG", ORG)
    monkeypatch.setenv("TCA_TEAM", TEAM)
    result = cli("tca", "projects", "list", "--repo", str(REPO), "-f", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["id", "branch", "scan_scheme.name", "status", "created_from", "created_time"]
    projects = sorted(p["id"] for p in tca.data.projects.values() if p["repo"] == REPO)
    assert sorted(int(r[0]) for r in rows[1:]) == projects


def test_issues_filtered_by_severity_and_state(tca: FakeTCA, cli: Any) -> None:
    result = cli("tca", "issues", "list", *IDS, "--severity", "fatal,error", "--state", "active",
                 "-f", "jsonl")  # fmt: skip
    assert result.code == 0, result.err
    expected = {
        i["id"]
        for i in tca.data.analysis(PROJECT)["issues"]
        if i["severity"] in (1, 2) and i["state"] == 1
    }
    assert expected
    assert {i["id"] for i in result.jsonl()} == expected
    query = dict(tca.requests[-1].query)
    assert (query["severity"], query["state"]) == ("1,2", "1")


def test_bad_enum_value_is_a_usage_error_before_any_request(tca: FakeTCA, cli: Any) -> None:
    result = cli("tca", "issues", "list", *IDS, "--severity", "catastrophic")
    assert result.code == 2
    assert result.err == (
        "error: UsageError: --severity must be one of fatal, error, warning, info; "
        "got 'catastrophic'\n"
    )
    assert tca.requests == []


def test_jobs_list_and_get(tca: FakeTCA, cli: Any) -> None:
    listed = cli("tca", "jobs", "list", *IDS, "-f", "jsonl")
    assert listed.code == 0, listed.err
    ids = [j["id"] for j in listed.jsonl()]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == 3
    shown = cli("tca", "jobs", "get", str(ids[0]), *IDS, "-f", "json")
    assert shown.code == 0, shown.err
    detail = json.loads(shown.out)
    assert (detail["id"], detail["state"], detail["result_code"]) == (ids[0], 2, 0)
    table = cli("tca", "jobs", "get", str(ids[0]), *IDS)
    assert "result_code" in table.out
    assert "total_line_num" in table.out


def test_unknown_job_exits_4_and_unknown_team_exits_3(tca: FakeTCA, cli: Any) -> None:
    missing = cli("tca", "jobs", "get", "99999", *IDS)
    assert missing.code == 4
    assert missing.err.startswith("error: NotFoundError: HTTP 404")
    other = cli("tca", "repos", "list", "--org", ORG, "--team", "nobody")
    assert other.code == 3
    assert other.err.startswith("error: PermissionDeniedError: HTTP 403")


def test_refused_and_missing_tca_credentials_exit_3(
    tca: FakeTCA, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TCA_TOKEN", "wrong-personal-token")
    refused = cli("tca", "repos", "list", "--org", ORG, "--team", TEAM)
    assert refused.code == 3
    assert refused.err.startswith("error: AuthenticationError: HTTP 401")
    assert "wrong-personal-token" not in refused.err
    monkeypatch.delenv("TCA_TOKEN")
    missing = cli("tca", "repos", "list", "--org", ORG, "--team", TEAM)
    assert missing.code == 3
    assert missing.err.startswith("error: MissingCredentialsError: no TCA credentials")
    monkeypatch.delenv("TCA_BASE_URL")
    monkeypatch.setenv("TCA_API_TOKEN", TCA_API_TOKEN)
    no_server = cli("tca", "repos", "list", "--org", ORG, "--team", TEAM)
    assert no_server.code == 2
    assert no_server.err == "error: UsageError: no TCA server: set TCA_BASE_URL or pass --tca-url\n"


def test_token_auth_of_an_outsider(tca: FakeTCA, cli: Any) -> None:
    # The environment holds valid ticket credentials (the fixture's); the flag's API
    # token is used all the same, and the outsider it belongs to is refused.
    result = cli("--tca-api-token", TCA_OUTSIDER_API_TOKEN,
                 "tca", "repos", "list", "--org", ORG, "--team", TEAM)  # fmt: skip
    assert result.code == 3
    assert result.err.startswith("error: PermissionDeniedError: HTTP 403")
    assert TCA_OUTSIDER_API_TOKEN not in result.err
    assert tca.requests
    assert {r.auth_scheme for r in tca.requests} == {"Token"}
    insider = cli("--tca-api-token", TCA_API_TOKEN,
                  "tca", "repos", "list", "--org", ORG, "--team", TEAM, "-f", "jsonl")  # fmt: skip
    assert insider.code == 0, insider.err  # the same request with a member's token
    assert len(insider.jsonl()) == len(tca.repos)


def test_a_tca_credential_flag_is_completed_only_by_its_own_method(
    tca: FakeTCA, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TCA_API_TOKEN", TCA_API_TOKEN)  # another method, complete in env
    monkeypatch.delenv("TCA_TOKEN")
    result = cli("--tca-user-id", TCA_USER_ID, "tca", "repos", "list", "--org", ORG,
                 "--team", TEAM)  # fmt: skip
    assert result.code == 3
    assert result.err.startswith(
        "error: MissingCredentialsError: --tca-user-id needs TCA_TOKEN (or --tca-token)"
    )
    assert tca.requests == []


# -- scans --------------------------------------------------------------------------------------


@pytest.fixture
def clocked(tca: FakeTCA, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeTCA, FakeClock]]:
    """A fake TCA of its own whose jobs progress on a clock the CLI's client shares."""
    clock = FakeClock()
    fake = FakeTCA(clock=clock, job_durations=(3.0, 6.0))
    monkeypatch.setitem(_config.client_options, "clock", clock)
    monkeypatch.setenv("TCA_API_TOKEN", TCA_API_TOKEN)  # a ticket would be stale on this clock
    monkeypatch.delenv("TCA_USER_ID")
    with serve_in_thread(fake) as url:
        monkeypatch.setenv("TCA_BASE_URL", url)
        yield fake, clock


def test_scan_wait_follows_the_job_to_the_end(clocked: tuple[FakeTCA, FakeClock], cli: Any) -> None:
    fake, clock = clocked
    result = cli("--progress", "tca", "scan", *IDS, "--wait", "--poll-interval", "2")
    assert result.code == 0, result.err
    job_id = max(fake.data.jobs)
    assert result.out.startswith(f"job {job_id} closed, result_code 0 (成功), success, ran 6 s")
    assert f"started job {job_id}" in result.err
    assert "100%" in result.err
    assert "tasks 2/2" in result.err
    assert clock.sleeps == [2, 2, 2, 2, 2]
    polls = [r for r in fake.requests if r.path.endswith("/detail/")]
    assert len(polls) == 6
    created = [r for r in fake.requests if r.method == "POST"]
    assert len(created) == 1


def test_scan_wait_as_json(clocked: tuple[FakeTCA, FakeClock], cli: Any) -> None:
    result = cli("-q", "tca", "scan", *IDS, "--full", "--wait", "-f", "json")
    assert result.code == 0
    assert result.err == ""
    job = json.loads(result.out)
    assert (job["state"], job["result_code"], job["created_from"]) == (2, 0, "tca-tapd")


def test_scan_failure_exits_5(clocked: tuple[FakeTCA, FakeClock], cli: Any) -> None:
    fake, _ = clocked
    fake.next_scan_result_code = 120
    result = cli("tca", "scan", *IDS, "--wait", "--poll-interval", "5")
    assert result.code == 5
    assert "result_code 120" in result.out  # the final state is still reported
    assert result.err.splitlines()[-1].startswith(
        "error: JobFailedError: job 151 failed with result_code 120"
    )


def test_scan_timeout_exits_5(clocked: tuple[FakeTCA, FakeClock], cli: Any) -> None:
    result = cli("tca", "scan", *IDS, "--wait", "--poll-interval", "1", "--timeout", "4")
    assert result.code == 5
    assert result.out.startswith("job 151 running")
    assert result.err.splitlines()[-1] == (
        "error: JobTimeoutError: job 151 not closed within 4 s (last state <JobState.RUNNING: 1>)"
    )


def test_scan_without_wait_prints_the_ids(tca: FakeTCA, cli: Any) -> None:
    text = cli("tca", "scan", *IDS)
    assert (text.code, text.out) == (0, "job 151 started (scan 151)\n")
    # Another project: the server refuses a second scan while the first is not closed.
    other = (*IDS[:-1], str(PROJECT + 1))
    as_json = cli("tca", "scan", *other, "--format", "json")
    assert json.loads(as_json.out) == {"job_id": 152, "scan_id": 152}
    refused = cli("tca", "scan", *IDS)
    assert refused.code != 0
    assert "还有未完成任务" in refused.err


# -- report and demo ------------------------------------------------------------------------------


def test_report_formats(tca: FakeTCA, cli: Any, tmp_path: Path) -> None:
    as_json = cli("report", "-w", str(WS), "--org", ORG, "--team", TEAM, "-f", "json")
    assert as_json.code == 0, as_json.err
    data = json.loads(as_json.out)
    assert data["workspace_id"] == WS
    assert data["summary"]["matched"] == len(data["repos"]) > 0
    assert "repos matched" in as_json.err

    as_csv = cli("-q", "report", "-w", str(WS), "--org", ORG, "--team", TEAM, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert list(rows[0]) == list(TABLE_COLUMNS)
    assert [r["tca_repo"] for r in rows] == [r["repo"]["name"] for r in data["repos"]]
    assert as_csv.err == ""

    page = tmp_path / "quality.html"
    as_html = cli("report", "-w", str(WS), "--org", ORG, "-f", "html", "-o", str(page))
    assert as_html.code == 0, as_html.err
    assert as_html.out == ""
    assert "<html" in page.read_text(encoding="utf-8").lower()

    table = cli("report", "-w", str(WS), "--org", ORG, "--team", TEAM)
    for row in rows:
        assert row["tca_repo"] in table.out


WRITING_COMMANDS = pytest.mark.parametrize(
    "command",
    [
        ("report", "-w", str(WS), "--org", ORG, "--team", TEAM),
        ("tca", "jobs", "get", "15", *IDS),
    ],
    ids=["report", "jobs-get"],
)
"""The commands that write their answer to ``-o`` only once it is complete."""


@WRITING_COMMANDS
def test_an_output_that_cannot_be_written_is_refused_before_any_request(
    served: tuple[FakeTCA, str, FakeTAPD, str],
    tca: FakeTCA,
    cli: Any,
    tmp_path: Path,
    command: tuple[str, ...],
) -> None:
    tapd = served[2]
    target = tmp_path / "missing" / "out.json"
    result = cli(*command, "-f", "json", "-o", str(target))
    assert result.code == 2
    assert result.err == (
        f"error: UsageError: cannot write --output {str(target)!r}: No such file or directory\n"
    )
    assert (tca.requests, tapd.requests) == ([], [])


@WRITING_COMMANDS
def test_a_failed_report_or_job_leaves_the_output_file_as_it_was(
    tca: FakeTCA,
    cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    target = tmp_path / "out.json"
    target.write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("TCA_TOKEN", "wrong-personal-token")
    result = cli(*command, "-f", "json", "-o", str(target))
    assert result.code == 3
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


@pytest.mark.parametrize(
    "command",
    [
        ("report", "-w", str(WS), "--org", ORG, "--team", TEAM),
        ("report", "-w", str(WS), "--org", ORG, "--team", TEAM, "-f", "csv"),
        ("tca", "jobs", "get", "15", *IDS),
        ("tca", "jobs", "list", *IDS),
        ("tca", "scan", *IDS),
    ],
    ids=["report-table", "report-csv", "jobs-get", "jobs-list", "scan"],
)
def test_a_reader_that_went_away_ends_the_command_quietly(
    tca: FakeTCA, command: tuple[str, ...]
) -> None:
    result = run_into_closed_pipe("-q", *command)
    assert (result.code, result.err) == (0, "")
    assert tca.requests  # it got as far as writing


def test_demo_into_a_closed_pipe_ends_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_environment(monkeypatch)
    result = run_into_closed_pipe("-q", "demo", "--out", str(tmp_path), "--job-seconds", "0")
    assert (result.code, result.err) == (0, "")
    assert (tmp_path / "report.json").exists()  # it got as far as printing the report


def test_report_of_an_unknown_workspace_exits_4(tca: FakeTCA, cli: Any) -> None:
    result = cli("report", "-w", "999", "--org", ORG)
    assert result.code == 4


def test_demo_runs_end_to_end(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clean_environment(monkeypatch)  # the demo needs no settings at all
    result = cli("--progress", "demo", "--out", str(tmp_path), "--job-seconds", "0")
    assert result.code == 0, result.err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["matched"] > 0
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8").lower()
    assert "TAPD: crawled 360 stories in 18 pages" in result.out
    assert "closed, result_code 0" in result.out
    assert "quality report of workspace 10104801" in result.out
    assert f"report written to {tmp_path / 'report.html'}" in result.out
    for stage in ("TAPD stories", "18/18 pages", "job 151", "quality report"):
        assert stage in result.err


async def test_plain_demo_of_the_testing_package(tmp_path: Path) -> None:
    out = io.StringIO()
    result = await run_demo(out, out_dir=tmp_path, job_seconds=0)
    text = out.getvalue()
    assert result.crawl.items == 360
    assert result.job.is_closed
    assert not result.job.failed
    assert (tmp_path / "report.html").exists()
    assert (tmp_path / "report.json").exists()
    assert "quality report of workspace 10104801" in text
    header = next(line for line in text.splitlines() if line.startswith("  tapd_path"))
    assert header.split() == list(REPORT_TABLE_COLUMNS)  # the columns of report's table
    assert text.endswith(
        "demo finished: every call above went through tca-tapd over a real socket.\n"
    )
