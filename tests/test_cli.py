"""``tca-tapd``: TAPD lists, output formats, errors and exit codes, secrets, progress.

The CLI runs in-process (``main([...])``) against fakes served on loopback sockets;
credentials come from environment variables, as a user would set them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tca_tapd.cli import main
from tca_tapd.cli._tapd import ENTITIES
from tca_tapd.testing import (
    TAPD_ACCESS_TOKEN,
    TAPD_API_PASSWORD,
    TAPD_API_USER,
    FakeTAPD,
    serve_in_thread,
)

from ._cli_support import (
    clean_environment,
    run_into_closed_pipe,
    run_subprocess,
)

WS = 10104801
STORY_COLUMNS = next(e for e in ENTITIES if e.name == "stories").columns


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeTAPD, str]]:
    """One fake TAPD on a loopback socket for the module (reset before each test)."""
    fake = FakeTAPD()
    with serve_in_thread(fake) as url:
        yield fake, url


@pytest.fixture
def tapd(served: tuple[FakeTAPD, str], monkeypatch: pytest.MonkeyPatch) -> FakeTAPD:
    """The fake, reset, with the CLI's environment pointing at it."""
    fake, url = served
    fake.reset()
    clean_environment(monkeypatch)
    monkeypatch.setenv("TAPD_API_BASE_URL", url)
    monkeypatch.setenv("TAPD_ACCESS_TOKEN", TAPD_ACCESS_TOKEN)
    monkeypatch.setenv("TAPD_RATE_LIMIT", "none")  # TAPD's 60/min would pace the tests
    return fake


def _people(value: str | None) -> set[str]:
    return {p for p in (value or "").split(";") if p}


def _newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: int(r["id"]), reverse=True)  # TAPD's default: id desc


# -- TAPD lists ----------------------------------------------------------------------------


def test_jsonl_lines_are_the_fakes_rows_for_the_filters(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "--status", "planning",
                 "--owner", "alice", "--format", "jsonl")  # fmt: skip
    assert result.code == 0, result.err
    expected = _newest_first(
        [
            r
            for r in tapd.stories[WS]
            if r["status"] == "planning" and "alice" in _people(r["owner"])
        ]
    )
    assert expected  # the filter selects something
    assert result.jsonl() == expected
    query = dict(tapd.requests[-1].query)
    assert (query["status"], query["owner"]) == ("planning", "alice")


def test_several_values_dates_iteration_and_generic_filters(tapd: FakeTAPD, cli: Any) -> None:
    iteration = f"11{WS}001000002"
    result = cli(
        "tapd", "bugs", "list", "--workspace", str(WS), "-f", "jsonl",
        "--status", "resolved", "--status", "verified", "--iteration-id", iteration,
        "--created", "2025-06-20..2025-07-05", "--filter", "priority_label=高",
    )  # fmt: skip
    assert result.code == 0, result.err
    expected = _newest_first(
        [
            r
            for r in tapd.tables["bugs"][WS]
            if r["status"] in ("resolved", "verified")
            and r["iteration_id"] == iteration
            and "2025-06-20" <= r["created"][:10] <= "2025-07-05"
            and r["priority_label"] == "高"
        ]
    )
    assert expected
    assert result.jsonl() == expected
    query = dict(tapd.requests[-1].query)
    assert query["status"] == "resolved|verified"
    assert query["created"] == "2025-06-20~2025-07-05"


def test_csv_has_the_default_columns_and_one_row_per_item(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == list(STORY_COLUMNS)
    stories = _newest_first(tapd.stories[WS])
    assert len(rows) == 1 + len(stories) == 121
    first = stories[0]
    assert rows[1] == [first[c] if first[c] is not None else "" for c in STORY_COLUMNS]


def test_fields_trim_the_answer_and_choose_the_columns(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "tasks", "list", "-w", str(WS), "-f", "csv", "--fields", "name,status",
                 "--limit", "3")  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == ["id", "name", "status"]
    assert len(rows) == 4
    query = dict(tapd.requests[-1].query)
    assert query["fields"] == "id,name,status"
    assert query["limit"] == "3"  # a page no bigger than the limit


def test_columns_option_reaches_any_field(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "iterations", "list", "-w", str(WS), "-f", "csv",
                 "--columns", "name,enddate")  # fmt: skip
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows == [["name", "enddate"]] + [
        [r["name"], r["enddate"]] for r in _newest_first(tapd.tables["iterations"][WS])
    ]


def test_table_shows_the_ids(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "--limit", "3")
    assert result.code == 0, result.err
    for story in _newest_first(tapd.stories[WS])[:3]:
        assert story["id"] in result.out
    assert _newest_first(tapd.stories[WS])[3]["id"] not in result.out
    assert "status" in result.out  # the header


def test_limit_stops_early(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "-f", "jsonl", "-n", "5")
    assert result.code == 0, result.err
    assert [r["id"] for r in result.jsonl()] == [
        r["id"] for r in _newest_first(tapd.stories[WS])[:5]
    ]
    assert len(tapd.requests) == 1


def test_output_writes_the_file_and_nothing_to_stdout(
    tapd: FakeTAPD, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "stories.jsonl"
    result = cli("tapd", "stories", "list", "-w", str(WS), "-f", "jsonl", "-o", str(target))
    assert result.code == 0, result.err
    assert result.out == ""
    lines = target.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == _newest_first(tapd.stories[WS])
    assert f"wrote 120 stories to {target}" in result.err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--tapd-token", "not-the-right-token", "tapd", "stories", "list", "-w", str(WS)], 3),
        (["tapd", "stories", "list", "-w", "999"], 4),
    ],
)
def test_a_failed_command_leaves_the_output_file_as_it_was(
    tapd: FakeTAPD, cli: Any, tmp_path: Path, args: list[str], code: int
) -> None:
    target = tmp_path / "stories.jsonl"
    target.write_text("yesterday's stories\n", encoding="utf-8")
    result = cli(*args, "-f", "jsonl", "-o", str(target))
    assert result.code == code
    assert tapd.requests  # it failed at the server, after the file was opened
    assert target.read_text(encoding="utf-8") == "yesterday's stories\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stories.jsonl"]  # no temp left


def test_a_successful_command_replaces_the_output_file(
    tapd: FakeTAPD, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "stories.csv"
    target.write_text("old\n" * 500, encoding="utf-8")
    target.chmod(0o640)
    result = cli("tapd", "stories", "list", "-w", str(WS), "-f", "csv", "-n", "2",
                 "-o", str(target))  # fmt: skip
    assert result.code == 0, result.err
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3  # header and 2 rows
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # its permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stories.csv"]


def test_output_to_a_device_is_written_in_place(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "-n", "2", "-o", os.devnull)
    assert result.code == 0, result.err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # not replaced by a file


def test_an_output_that_cannot_be_written_is_refused_before_any_request(
    tapd: FakeTAPD, cli: Any, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "stories.csv"
    result = cli("tapd", "stories", "list", "-w", str(WS), "-o", str(target))
    assert result.code == 2
    assert result.err.startswith(f"error: UsageError: cannot write --output {str(target)!r}")
    assert tapd.requests == []


def test_count(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "count", "-w", str(WS), "--status", "planning")
    assert result.code == 0, result.err
    assert result.out == f"{sum(r['status'] == 'planning' for r in tapd.stories[WS])}\n"


def test_workspace_from_the_environment(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAPD_WORKSPACE_ID", "755")
    result = cli("tapd", "iterations", "count")
    assert (result.code, result.out) == (0, "3\n")
    assert dict(tapd.requests[-1].query)["workspace_id"] == "755"


# -- progress and --quiet ---------------------------------------------------------------


def test_quiet_prints_nothing_but_data(tapd: FakeTAPD, cli: Any, tmp_path: Path) -> None:
    result = cli("--progress", "tapd", "stories", "list", "-w", str(WS), "-f", "csv", "-q")
    assert result.code == 0
    assert result.err == ""
    assert len(result.out.splitlines()) == 121
    target = tmp_path / "out.csv"
    result = cli("-q", "tapd", "stories", "list", "-w", str(WS), "-f", "csv", "-o", str(target))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert len(target.read_text(encoding="utf-8").splitlines()) == 121


def test_progress_bar_counts_pages_and_items_on_stderr(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("--progress", "tapd", "stories", "list", "-w", str(WS), "-f", "jsonl",
                 "-n", "50")  # fmt: skip
    assert result.code == 0, result.err
    assert len(result.jsonl()) == 50  # stdout holds the data only
    assert "1/1 pages" in result.err
    assert "50 items" in result.err
    # The bar asked for the total first, to know the number of pages.
    assert [r.path for r in tapd.requests] == ["/stories/count", "/stories"]


def test_no_progress_bar_off_a_terminal_by_default(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), "-f", "jsonl", "-n", "2")
    assert result.code == 0
    assert result.err == ""
    assert [r.path for r in tapd.requests] == ["/stories"]


# -- errors and exit codes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--created", "2025-13-01"], "--created takes dates"),
        (["--created", ".."], "--created needs a start or an end"),
        (["--created", "2025-07-01..2025-06-01"], "--created starts after it ends"),
        (["--iteration-id", "abc"], "--iteration-id must be ids"),
        (["--filter", "no-equals-sign"], "--filter must be FIELD=VALUE"),
        (["--status", "open", "--filter", "status=done"], "filter 'status' is given twice"),
        (["--fields", "name,,status"], "fields must not contain empty names"),
        (["--order", " "], "order must be like"),
        (["--columns", "id,,name"], "--columns must be comma-separated"),
    ],
)
def test_bad_values_are_usage_errors_before_any_request(
    tapd: FakeTAPD, cli: Any, args: list[str], message: str
) -> None:
    result = cli("tapd", "stories", "list", "-w", str(WS), *args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("error: ")
    assert message in result.err
    assert "Traceback" not in result.err
    assert tapd.requests == []


def test_iteration_id_is_refused_for_iterations(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "iterations", "list", "-w", str(WS), "--iteration-id", "1")
    assert result.code == 2
    assert "iterations have no iteration_id" in result.err
    assert tapd.requests == []


def test_option_parsing_errors_exit_2(tapd: FakeTAPD, cli: Any) -> None:
    assert cli("tapd", "stories", "list").code == 2  # no workspace
    assert cli("tapd", "stories", "list", "-w", "zero").code == 2
    assert cli("tapd", "stories", "list", "-w", "1", "-f", "xml").code == 2
    assert cli("tapd", "stories", "list", "-w", "1", "-n", "0").code == 2
    assert cli("--tapd-rate-limit", "fast", "tapd", "stories", "count", "-w", "1").code == 2
    assert tapd.requests == []


def test_refused_credentials_exit_3(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAPD_ACCESS_TOKEN", "not-the-right-token")
    result = cli("tapd", "stories", "list", "-w", str(WS))
    assert result.code == 3
    assert result.err.startswith("error: AuthenticationError: HTTP 422")
    assert len(result.err.splitlines()) == 1
    assert "not-the-right-token" not in result.err + result.out


def test_missing_credentials_exit_3(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TAPD_ACCESS_TOKEN")
    monkeypatch.setenv("TAPD_API_USER", TAPD_API_USER)  # a user without a password
    result = cli("tapd", "stories", "count", "-w", str(WS))
    assert result.code == 3
    assert result.err.startswith("error: MissingCredentialsError: no TAPD credentials")
    assert tapd.requests == []


def test_unknown_workspace_exits_4(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("tapd", "stories", "list", "-w", "999")
    assert result.code == 4
    assert result.err.startswith("error: NotFoundError: HTTP 404: workspace 999 not existed")


def test_server_errors_exit_1(tapd: FakeTAPD, cli: Any) -> None:
    from tca_tapd.testing import Fault

    tapd.faults.add(Fault.html(502, times=10))
    result = cli("tapd", "stories", "list", "-w", str(WS))
    assert result.code == 1
    assert result.err.startswith("error: ServerError: HTTP 502")


def test_debug_shows_the_traceback(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("--debug", "tapd", "stories", "list", "-w", "999")
    assert result.code == 4
    assert "Traceback" in result.err
    assert result.err.splitlines()[-1].startswith("error: NotFoundError:")


@pytest.mark.parametrize(
    ("fmt", "unbuffered", "requests"),
    [
        ("table", False, 1),  # rich's console meets the broken pipe
        ("jsonl", False, 1),
        ("csv", False, 1),
        ("csv", True, 0),  # the header, written before any request
    ],
)
def test_a_reader_that_went_away_ends_the_command_quietly(
    tapd: FakeTAPD, fmt: str, unbuffered: bool, requests: int
) -> None:
    # ``… | head``: the pipe's reader is gone before anything is written.
    result = run_into_closed_pipe("tapd", "stories", "list", "-w", str(WS), "-n", "5",
                                  "-f", fmt, "-q", unbuffered=unbuffered)  # fmt: skip
    assert (result.code, result.err) == (0, "")
    assert len(tapd.requests) == requests  # how far it got before writing


def test_an_encoding_that_cannot_show_the_data_exits_1_with_a_hint(
    tapd: FakeTAPD, tmp_path: Path
) -> None:
    ascii_only = {**os.environ, "PYTHONIOENCODING": "ascii"}
    args = ("tapd", "stories", "list", "-w", str(WS), "-n", "2")
    for fmt in ("jsonl", "table"):
        result = run_subprocess(*args, "-f", fmt, env=ascii_only)
        assert result.code == 1
        assert result.out == ""
        assert result.err.startswith(
            "error: OutputError: cannot write to stdout: its encoding 'ascii' cannot show the data"
        )
        assert result.err.endswith(
            "; set PYTHONIOENCODING=utf-8, or write a UTF-8 file with -o FILE\n"
        )
        assert len(result.err.splitlines()) == 1
    # A file is UTF-8 whatever the locale.
    target = tmp_path / "stories.jsonl"
    written = run_subprocess(*args, "-f", "jsonl", "-q", "-o", str(target), env=ascii_only)
    assert (written.code, written.err) == (0, "")
    stories = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert stories == _newest_first(tapd.stories[WS])[:2]
    assert not stories[0]["name"].isascii()


def test_usage_errors_are_one_line(tapd: FakeTAPD, cli: Any) -> None:
    missing = cli("tapd", "stories", "list")
    assert missing.code == 2
    assert missing.out == ""
    assert missing.err == (
        "error: UsageError: Missing option '--workspace' / '-w' (env var: 'TAPD_WORKSPACE_ID'). "
        "(see tca-tapd tapd stories list --help)\n"
    )
    for args in (["--bogus"], ["bogus"], ["tapd", "stories", "list", "-w", "1", "-f", "xml"]):
        result = cli(*args)
        assert result.code == 2
        assert result.err.startswith("error: UsageError: ")
        assert len(result.err.splitlines()) == 1
    helped = cli("tapd", "stories", "list", "--help")
    assert (helped.code, helped.err) == (0, "")
    assert "--workspace" in helped.out
    bare = cli("tapd")  # no command: the help, and the exit code of a usage error
    assert bare.code == 2
    assert "stories" in bare.out
    assert tapd.requests == []


def test_secrets_with_a_control_character_are_refused_unseen(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAPD_ACCESS_TOKEN", "realtoken-S3CRET\r")  # read from a CRLF file
    for debug in ([], ["--debug"]):
        result = cli(*debug, "tapd", "stories", "list", "-w", str(WS))
        assert result.code == 3
        assert "S3CRET" not in result.out + result.err
        assert result.err.splitlines()[-1] == (
            "error: InvalidCredentialsError: TAPD_ACCESS_TOKEN contains a control character "
            "(a line break read from a file?); its value is not shown"
        )
    flagged = cli("--tapd-token", "flag-S3CRET\n", "tapd", "stories", "count", "-w", str(WS))
    assert flagged.code == 3
    assert "error: InvalidCredentialsError: --tapd-token contains a control character" in (
        flagged.err
    )
    assert "S3CRET" not in flagged.out + flagged.err
    assert tapd.requests == []


def test_an_unusable_rate_limit_is_a_usage_error(tapd: FakeTAPD, cli: Any) -> None:
    for limit in ("60/inf", "60/nan", "60/-1", "60/0"):
        result = cli("--tapd-rate-limit", limit, "tapd", "stories", "count", "-w", str(WS))
        assert result.code == 2
        assert result.err == (
            "error: UsageError: --tapd-rate-limit must be like 60/60 (requests/seconds, both "
            f"positive and finite), 60/min or none; got {limit!r}\n"
        )
    assert tapd.requests == []


def test_the_trio_backend(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("--backend", "trio", "tapd", "stories", "list", "-w", str(WS), "-f", "jsonl",
                 "-n", "150")  # fmt: skip
    assert result.code == 0, result.err
    assert result.jsonl() == _newest_first(tapd.stories[WS])[:120]  # every one of them
    assert [r.path for r in tapd.requests] == ["/stories"]


# -- credentials --------------------------------------------------------------------------


def test_flags_win_over_the_environment(tapd: FakeTAPD, cli: Any) -> None:
    result = cli("--tapd-token", "flag-token-is-wrong", "tapd", "stories", "count", "-w", str(WS))
    assert result.code == 3  # the flag's token was used, and refused
    assert "flag-token-is-wrong" not in result.err
    good = cli("--tapd-user", TAPD_API_USER, "--tapd-password", TAPD_API_PASSWORD,
               "tapd", "stories", "count", "-w", str(WS))  # fmt: skip
    assert (good.code, good.out) == (0, "120\n")
    assert tapd.requests[-1].auth_scheme == "Basic"  # the flags' account, not the env token


def test_a_credential_flag_chooses_the_method_the_environment_only_completes_it(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment holds a (valid) token and a password; --tapd-user picks Basic auth.
    monkeypatch.setenv("TAPD_API_PASSWORD", TAPD_API_PASSWORD)
    basic = cli("--tapd-user", TAPD_API_USER, "tapd", "stories", "count", "-w", str(WS))
    assert (basic.code, basic.out) == (0, "120\n")
    assert [r.auth_scheme for r in tapd.requests] == ["Basic"]
    # Without a password anywhere, the token in the environment is not a fallback.
    monkeypatch.delenv("TAPD_API_PASSWORD")
    tapd.reset()
    half = cli("--tapd-user", TAPD_API_USER, "tapd", "stories", "count", "-w", str(WS))
    assert half.code == 3
    assert half.err == (
        "error: MissingCredentialsError: --tapd-user needs TAPD_API_PASSWORD (or "
        "--tapd-password); a credential flag chooses the auth method, so other credentials "
        "in the environment are not used\n"
    )
    assert tapd.requests == []


def test_app_credentials_fetch_a_token_first(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tca_tapd.testing import TAPD_CLIENT_ID, TAPD_CLIENT_SECRET

    monkeypatch.delenv("TAPD_ACCESS_TOKEN")
    monkeypatch.setenv("TAPD_CLIENT_ID", TAPD_CLIENT_ID)
    monkeypatch.setenv("TAPD_CLIENT_SECRET", TAPD_CLIENT_SECRET)
    monkeypatch.setenv("TAPD_RATE_LIMIT", "600/min")
    result = cli("tapd", "iterations", "count", "-w", "755")
    assert (result.code, result.out) == (0, "3\n")
    assert [r.path for r in tapd.requests] == ["/tokens/request_token", "/iterations/count"]


def test_secrets_never_appear_in_any_output(
    tapd: FakeTAPD, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "TAPD_API_PASSWORD": "pw-s3cr3t-1234",
        "TAPD_CLIENT_SECRET": "app-s3cr3t-5678",
        "TCA_TOKEN": "tca-s3cr3t-9012",
        "TCA_API_TOKEN": "tca-api-s3cr3t-3456",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TAPD_ACCESS_TOKEN", "bad-s3cr3t-7890")
    monkeypatch.setenv("TCA_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    runs = [
        cli("--help"),
        cli("tapd", "stories", "list", "--help"),
        cli("tca", "scan", "--help"),
        cli("tapd", "stories", "list", "-w", str(WS)),  # refused token
        cli("--debug", "tapd", "stories", "list", "-w", str(WS)),
        cli("tca", "repos", "list", "--org", "o", "--team", "t"),  # connection refused
        cli("--tapd-token", "flag-s3cr3t-0000", "tapd", "bugs", "count", "-w", str(WS)),
    ]
    assert [r.code for r in runs] == [0, 0, 0, 3, 3, 1, 3]
    shown = "".join(r.out + r.err for r in runs)
    for secret in [*secrets.values(), "bad-s3cr3t-7890", "flag-s3cr3t-0000", "s3cr3t"]:
        assert secret not in shown


# -- entry points ---------------------------------------------------------------------------


def test_help_lists_the_commands_and_exit_codes(cli: Any) -> None:
    result = cli("--help")
    assert result.code == 0
    for word in ("tapd", "tca", "report", "demo", "Exit codes", "130 interrupted"):
        assert word in result.out
    assert cli().code in (0, 2)  # no command: the help (click's exit code varies)


def test_version(cli: Any) -> None:
    from tca_tapd import __version__

    assert cli("--version").out == f"tca-tapd {__version__}\n"


def test_real_entry_points_run_in_a_subprocess() -> None:
    module = subprocess.run(
        [sys.executable, "-m", "tca_tapd.cli", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert module.returncode == 0, module.stderr
    assert "Exit codes" in module.stdout
    script = Path(sys.executable).parent / "tca-tapd"
    if not script.exists():  # pragma: no cover - a venv without the console script
        pytest.skip("the tca-tapd script is not installed in this environment")
    usage = subprocess.run(  # noqa: S603 - the project's own console script
        [str(script), "tapd", "stories", "list", "-w", "1", "--created", "nope"],
        capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": "", "TAPD_ACCESS_TOKEN": "x"},
    )  # fmt: skip
    assert usage.returncode == 2
    assert usage.stderr.startswith("error: UsageError: --created takes dates")


BLOCK_TYPER_AND_RICH = """
import sys

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("typer", "rich"):
            raise ImportError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Blocker())
"""


def test_the_sdk_works_without_typer_and_rich_and_the_cli_says_so() -> None:
    code = BLOCK_TYPER_AND_RICH + (
        "import tca_tapd, tca_tapd.testing, tca_tapd.report, tca_tapd.cli\n"
        "assert 'typer' not in sys.modules\n"
        "sys.exit(tca_tapd.cli.main(['tapd', 'stories', 'list', '-w', '1']))\n"
    )
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    assert done.stderr == (
        "error: the tca-tapd command needs its extra: pip install 'tca-tapd[cli]'\n"
    )


def test_without_the_extra_main_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(sys.modules):
        if name.startswith("tca_tapd.cli."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "typer", None)  # import typer now raises ImportError
    assert main(["--help"]) == 1
    assert capsys.readouterr().err == (
        "error: the tca-tapd command needs its extra: pip install 'tca-tapd[cli]'\n"
    )
