"""The CLI's pieces on their own: value parsing, settings, error lines, progress maths."""

from __future__ import annotations

import io
import logging
import sys
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
import typer

import tca_tapd.cli
from tca_tapd import (
    AuthenticationError,
    ConnectError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimit,
    TAPDBasicAuth,
    TAPDBearerAuth,
    TAPDClientCredentialsAuth,
    TCATicketAuth,
    TCATokenAuth,
)
from tca_tapd.cli import _common, main
from tca_tapd.cli._common import parse_enum, parse_when, write_listing
from tca_tapd.cli._config import CliState, Settings, parse_rate_limit
from tca_tapd.cli._errors import (
    ExitCode,
    InvalidCredentialsError,
    MissingCredentialsError,
    OutputError,
    UsageError,
    error_line,
    exit_code_for,
    mask_secrets,
    run,
)
from tca_tapd.cli._output import ItemWriter, ListFormat, cell, parse_columns
from tca_tapd.cli._progress import CountBar, job_fraction
from tca_tapd.cli._tapd import ENTITIES, build_filters
from tca_tapd.cli._tca import job_summary
from tca_tapd.pagination import Page
from tca_tapd.report import SUMMARY_COLUMNS as REPORT_TABLE_COLUMNS
from tca_tapd.report import TABLE_COLUMNS, ReportProgress
from tca_tapd.tapd.filters import Filter
from tca_tapd.tca import IssueSeverity, JobDetail, JobState

if sys.version_info < (3, 11):  # the backport anyio depends on there
    from exceptiongroup import ExceptionGroup

STORIES, BUGS, TASKS, ITERATIONS = ENTITIES


def _api(cls: type[Any], status: int) -> Any:
    return cls("refused", status_code=status)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (_api(AuthenticationError, 401), ExitCode.AUTH),
        (_api(PermissionDeniedError, 403), ExitCode.AUTH),
        (_api(NotFoundError, 404), ExitCode.NOT_FOUND),
        (ConnectError("refused"), ExitCode.ERROR),
        (JobFailedError(None), ExitCode.JOB_FAILED),
        (UsageError("bad"), ExitCode.USAGE),
        (MissingCredentialsError("none"), ExitCode.AUTH),
        (InvalidCredentialsError("TAPD_ACCESS_TOKEN contains a control character"), ExitCode.AUTH),
        # The SDK's argument checks (before any request) name the argument: usage errors.
        (ValueError("page_size must be >= 1"), ExitCode.USAGE),
        (TypeError("fields must be names"), ExitCode.USAGE),
        # Data that cannot be encoded or decoded is no bad argument.
        (UnicodeEncodeError("ascii", "需求", 0, 1, "ordinal not in range(128)"), ExitCode.ERROR),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), ExitCode.ERROR),
        (OutputError("cannot write to stdout: No space left on device"), ExitCode.ERROR),
        (OSError(28, "No space left on device"), ExitCode.ERROR),
        (RuntimeError("a bug"), ExitCode.ERROR),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
    ],
)
def test_exit_codes(error: BaseException, code: ExitCode) -> None:
    assert exit_code_for(error) == code


def test_exit_code_of_a_single_error_group() -> None:
    group = ExceptionGroup("wrapped", [ExceptionGroup("inner", [_api(NotFoundError, 404)])])
    assert exit_code_for(group) == ExitCode.NOT_FOUND
    assert error_line(group).startswith("error: NotFoundError: HTTP 404")


def test_error_line_is_one_line_with_secrets_masked() -> None:
    error = ValueError("token abc123 was\nrefused for user-abc123x")
    assert error_line(error, ["abc123", "", "user-abc123x"]) == (
        "error: ValueError: token *** was refused for ***"
    )
    assert error_line(KeyboardInterrupt()) == "error: interrupted"
    assert error_line(RuntimeError()) == "error: RuntimeError: (no message)"


def test_secrets_are_masked_before_whitespace_is_collapsed_and_in_escaped_forms() -> None:
    secret = "tok S3CRET\r"
    for shown in (
        f"refused {secret} here",  # as is (its whitespace would be collapsed away)
        f"refused {secret!r} here",  # repr: a backslash-r
        f"refused {secret.encode()!r} here",  # the bytes' repr
        "refused tok%20S3CRET%0D here",  # in a URL
        "refused tok S3CRET here",  # stripped
    ):
        line = error_line(ValueError(shown), [secret])
        assert "S3CRET" not in line, shown
        assert line.startswith("error: ValueError: refused ")
        assert line.endswith(" here")
    assert mask_secrets('{"token": "caf\\u00e9-S3CRET"}', ["café-S3CRET"]) == '{"token": "***"}'


def test_debug_tracebacks_are_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    secret = "S3CRET-é\n"

    async def leaky() -> None:
        raise RuntimeError(f"sent {secret!r} and {secret.encode()!r}")

    with pytest.raises(typer.Exit) as stopped:
        run(leaky, debug=True, secrets=[secret])
    assert stopped.value.exit_code == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert "S3CRET" not in err
    assert err.splitlines()[-1] == "error: RuntimeError: sent '***' and b'***'"


def test_run_turns_failures_into_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    async def interrupted() -> None:
        raise KeyboardInterrupt

    async def missing() -> None:
        raise _api(NotFoundError, 404)

    async def fine() -> int:
        return 7

    with pytest.raises(typer.Exit) as stopped:
        run(interrupted)
    assert stopped.value.exit_code == 130
    with pytest.raises(typer.Exit) as stopped:
        run(missing, secrets=["refused"])
    assert stopped.value.exit_code == 4
    assert run(fine) == 7
    assert capsys.readouterr().err == ("error: interrupted\nerror: NotFoundError: HTTP 404: ***\n")


def test_broken_pipe_ends_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    async def reader_gone() -> None:
        raise BrokenPipeError

    async def reader_gone_in_a_group() -> None:
        raise ExceptionGroup("tasks", [BrokenPipeError()])

    for body in (reader_gone, reader_gone_in_a_group):
        with pytest.raises(typer.Exit) as stopped:
            run(body)
        assert stopped.value.exit_code == 0
    assert capsys.readouterr().err == ""


# -- settings ---------------------------------------------------------------------------------


def test_settings_flags_then_environment() -> None:
    env = {"TCA_BASE_URL": "https://env.example", "TCA_API_TOKEN": "env-token", "TCA_ORG": "x"}
    settings = Settings.resolve({"tca_url": "https://flag.example", "tca_token": None}, env)
    assert settings.tca_url == "https://flag.example"
    assert settings.tca_api_token == "env-token"
    assert settings.flags == {"tca_url"}
    assert "env-token" not in repr(settings)
    assert settings.secrets() == ("env-token",)


def test_tca_auth_choice() -> None:
    both = Settings.resolve({}, {"TCA_USER_ID": "u", "TCA_TOKEN": "t", "TCA_API_TOKEN": "k"})
    assert isinstance(both.tca_auth(), TCATicketAuth)
    flagged = Settings.resolve({"tca_api_token": "k2"}, {"TCA_USER_ID": "u", "TCA_TOKEN": "t"})
    assert isinstance(flagged.tca_auth(), TCATokenAuth)  # a flag's credentials come first
    half = Settings.resolve({}, {"TCA_USER_ID": "u"})
    with pytest.raises(MissingCredentialsError, match="TCA_USER_ID and TCA_TOKEN"):
        half.tca_auth()


def test_tapd_auth_choice() -> None:
    every = {
        "TAPD_ACCESS_TOKEN": "a",
        "TAPD_API_USER": "u",
        "TAPD_API_PASSWORD": "p",
        "TAPD_CLIENT_ID": "c",
        "TAPD_CLIENT_SECRET": "s",
    }
    assert isinstance(Settings.resolve({}, every).tapd_auth(), TAPDBearerAuth)
    basic = Settings.resolve({"tapd_user": "u2", "tapd_password": "p2"}, every)
    assert isinstance(basic.tapd_auth(), TAPDBasicAuth)
    app = Settings.resolve({}, {"TAPD_CLIENT_ID": "c", "TAPD_CLIENT_SECRET": "s"})
    assert isinstance(app.tapd_auth(), TAPDClientCredentialsAuth)
    with pytest.raises(MissingCredentialsError, match="no TAPD credentials"):
        Settings.resolve({}, {"TAPD_API_PASSWORD": "p"}).tapd_auth()


def test_a_credential_flag_chooses_among_its_own_methods() -> None:
    env = {"TAPD_ACCESS_TOKEN": "env-token", "TAPD_API_PASSWORD": "env-password"}
    user = Settings.resolve({"tapd_user": "alice"}, env).tapd_auth()
    assert isinstance(user, TAPDBasicAuth)  # completed by the env's password, not its token
    app = Settings.resolve({"tapd_client_secret": "s"}, {**env, "TAPD_CLIENT_ID": "c"})
    assert isinstance(app.tapd_auth(), TAPDClientCredentialsAuth)
    with pytest.raises(MissingCredentialsError, match=r"^--tapd-user needs TAPD_API_PASSWORD"):
        Settings.resolve({"tapd_user": "alice"}, {"TAPD_ACCESS_TOKEN": "t"}).tapd_auth()
    both = Settings.resolve({"tapd_token": "f", "tapd_user": "alice"}, env)
    assert isinstance(both.tapd_auth(), TAPDBearerAuth)  # the first method flags touch
    # Not credentials: a URL or rate limit flag leaves the choice to the environment.
    other = Settings.resolve({"tapd_url": "https://x", "tapd_rate_limit": "none"}, env)
    assert isinstance(other.tapd_auth(), TAPDBearerAuth)
    tca = Settings.resolve({"tca_token": "t"}, {"TCA_USER_ID": "u", "TCA_API_TOKEN": "k"})
    assert isinstance(tca.tca_auth(), TCATicketAuth)
    with pytest.raises(MissingCredentialsError, match="--tca-token needs TCA_USER_ID"):
        Settings.resolve({"tca_token": "t"}, {"TCA_API_TOKEN": "k"}).tca_auth()


def test_credentials_with_control_characters_are_refused_by_name() -> None:
    env = {"TAPD_API_USER": "alice\n", "TAPD_API_PASSWORD": "pw\r", "TCA_API_TOKEN": "k\t"}
    with pytest.raises(InvalidCredentialsError, match=r"^TAPD_API_USER contains") as raised:
        Settings.resolve({}, env).tapd_auth()
    assert "pw" not in str(raised.value)
    with pytest.raises(InvalidCredentialsError, match=r"^--tapd-password contains"):
        Settings.resolve({"tapd_password": "pw\x00"}, {"TAPD_API_USER": "alice"}).tapd_auth()
    with pytest.raises(InvalidCredentialsError, match=r"^TCA_API_TOKEN contains"):
        Settings.resolve({}, env).tca_auth()
    fine = Settings.resolve({}, {"TAPD_ACCESS_TOKEN": "tok", "TCA_API_TOKEN": "k\t"})
    assert isinstance(fine.tapd_auth(), TAPDBearerAuth)  # only the credentials used count


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("none", None),
        ("OFF", None),
        ("0", None),
        ("60/60", RateLimit(60, 60.0)),
        ("120/min", RateLimit(120, 60.0)),
        ("5/0.5", RateLimit(5, 0.5)),
    ],
)
def test_rate_limits(text: str, limit: RateLimit | None) -> None:
    assert parse_rate_limit(text) == limit


@pytest.mark.parametrize(
    "text",
    ["fast", "60", "60/", "-1/60", "60/0", "a/b", "60/inf", "60/nan", "60/-5", "inf/60", "0/60"],
)
def test_bad_rate_limits(text: str) -> None:
    with pytest.raises(UsageError, match="--tapd-rate-limit"):
        parse_rate_limit(text)


# -- values -----------------------------------------------------------------------------------


def test_time_ranges() -> None:
    assert parse_when("--created", None) is None
    assert parse_when("--created", "2025-06-01..2025-06-30") == (
        date(2025, 6, 1),
        date(2025, 6, 30),
    )
    assert parse_when("--created", "2025-06-01 09:30..") == (datetime(2025, 6, 1, 9, 30), None)
    assert parse_when("--created", "..2025-06-30") == (None, date(2025, 6, 30))
    assert parse_when("--created", "2025-06-01") == (date(2025, 6, 1), date(2025, 6, 1))
    for bad in ("..", "tomorrow", "2025-06-31", "2025-06-02..2025-06-01"):
        with pytest.raises(UsageError, match="--created"):
            parse_when("--created", bad)


def test_enum_values() -> None:
    assert parse_enum("--severity", None, IssueSeverity) is None
    assert parse_enum("--severity", ["Fatal,2", "info"], IssueSeverity) == [
        IssueSeverity.FATAL,
        IssueSeverity.ERROR,
        IssueSeverity.INFO,
    ]
    with pytest.raises(UsageError, match="one of fatal, error, warning, info"):
        parse_enum("--severity", ["unknown_9"], IssueSeverity)


def test_filters_per_entity() -> None:
    assert build_filters(STORIES, status=["open"], owner=["a|b"]) == {
        "status": "open",
        "owner": "a|b",
    }
    bugs = build_filters(BUGS, owner=["alice", "bob"], iteration_id="1,2", created="2025-01-01..")
    assert bugs == {
        "current_owner": Filter("alice|bob"),
        "iteration_id": Filter("1,2"),
        "created": Filter("2025-01-01~"),
    }
    assert build_filters(ITERATIONS, owner=["carol"], extra=["name=M1", "label="]) == {
        "creator": "carol",
        "name": "M1",
        "label": "",
    }
    with pytest.raises(UsageError, match="--filter must be FIELD=VALUE"):
        build_filters(TASKS, extra=["bad key=1"])


# -- output -----------------------------------------------------------------------------------


def test_cells_and_columns() -> None:
    raw = {"id": 1, "repo": {"name": "r", "tags": ["a", "b"]}, "ok": True, "gone": None}
    assert [cell(raw, k) for k in ("id", "repo.name", "repo.tags", "ok", "gone", "nope")] == [
        "1",
        "r",
        '["a","b"]',
        "true",
        "",
        "",
    ]
    assert cell({"a.b": "flat"}, "a.b") == "flat"
    assert parse_columns(" id, name ,id") == ["id", "name"]
    assert parse_columns(None) is None


def test_writers() -> None:
    rows = [{"id": "1", "name": "x, y"}, {"id": "2", "name": "z"}]
    for fmt, expected in (
        (ListFormat.CSV, 'id,name\n1,"x, y"\n2,z\n'),
        (ListFormat.JSONL, '{"id":"1","name":"x, y"}\n{"id":"2","name":"z"}\n'),
    ):
        stream = io.StringIO()
        writer = ItemWriter(fmt, stream, ["id", "name"])
        for row in rows:
            writer.write(row)
        writer.close()
        assert (stream.getvalue(), writer.count) == (expected, 2)
    stream = io.StringIO()
    table = ItemWriter(ListFormat.TABLE, stream, ["id", "name"], "things")
    for row in rows:
        table.write(row)
    assert stream.getvalue() == ""  # a table is printed whole, at the end
    table.close()
    assert "things" in stream.getvalue()
    assert "x, y" in stream.getvalue()


# -- progress ---------------------------------------------------------------------------------


def _job(state: int, rates: list[float], task_num: int | None = None) -> JobDetail:
    tasks = [{"id": n, "progress_rate": r} for n, r in enumerate(rates)]
    return JobDetail(id=1, state=JobState(state), tasks=tuple(_task(t) for t in tasks),
                     task_num=task_num, task_done=1 if task_num else None)  # fmt: skip


def _task(raw: dict[str, Any]) -> Any:
    from tca_tapd.tca.models import Task

    return Task(id=raw["id"], progress_rate=raw["progress_rate"])


def test_job_fraction() -> None:
    assert job_fraction(_job(0, [0, 0])) == 0.0
    assert job_fraction(_job(1, [0.5, 1.0])) == 0.75
    assert job_fraction(_job(1, [50, 100])) == 0.75  # percentages tolerated
    assert job_fraction(_job(1, [], task_num=4)) == 0.25
    assert job_fraction(_job(2, [0.1])) == 1.0


def test_count_bar_maths_without_a_display() -> None:
    bar = CountBar(None, "stories")
    with bar:
        bar.page(Page(items=(1, 2, 3), index=0, offset=0, total=None), total_items=7)
        assert (bar.done, bar.total, bar.items) == (1, 3, 3)
        bar.page(Page(items=(4, 5, 6), index=1, offset=3, total=None), total_items=7, used=2)
        assert (bar.done, bar.total, bar.items) == (2, 3, 5)
        bar.finish()
        assert (bar.done, bar.total) == (2, 2)
    unknown = CountBar(None, "repos")
    unknown.page(Page(items=(1,), index=0, offset=0, total=None))
    assert unknown.total is None
    counted = CountBar(None, "repos")
    counted.page(Page(items=(1, 2), index=0, offset=0, total=5))
    assert counted.total == 3


def test_count_bar_total_is_capped_by_the_limit() -> None:
    bar = CountBar(None, "issues")
    bar.page(Page(items=tuple(range(100)), index=0, offset=0, total=1500), limit=250)
    assert (bar.done, bar.total) == (1, 3)
    bar.page(Page(items=tuple(range(100)), index=0, offset=0, total=1500), total_items=40)
    assert bar.total == 2  # the total never falls below the pages done


def test_count_bar_shows_report_progress() -> None:
    bar = CountBar(None, "quality report", unit="repos", items=False)
    bar.report(ReportProgress(repos_total=7, repos_done=3, errors=1))
    assert (bar.done, bar.total) == (3, 7)


class _Listing:
    """A stand-in pager: TCA-like pages, each knowing the whole listing's total."""

    def __init__(self, total: int, per_page: int) -> None:
        self._pages: list[Page[Any]] = []
        for index, offset in enumerate(range(0, total, per_page)):
            ids = range(offset, min(offset + per_page, total))
            items = tuple(SimpleNamespace(raw={"id": i}) for i in ids)
            self._pages.append(Page(items=items, index=index, offset=offset, total=total))

    def pages(self) -> _Listing:
        return self

    def __aiter__(self) -> _Listing:
        return self

    async def __anext__(self) -> Page[Any]:
        if not self._pages:
            raise StopAsyncIteration
        return self._pages.pop(0)


async def test_a_tca_listing_s_progress_total_is_capped_by_the_limit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    totals: list[tuple[int, int | None]] = []

    class Recording(CountBar):
        def set(self, done: int, total: int | None = None, *args: Any, **kwargs: Any) -> None:
            super().set(done, total, *args, **kwargs)
            totals.append((self.done, self.total))

    monkeypatch.setattr(_common, "CountBar", Recording)
    written = await write_listing(
        CliState(progress=True), _Listing(1500, 100), fmt=ListFormat.JSONL, output=None,  # type: ignore[arg-type]
        columns=None, default_columns=["id"], limit=250, title="issues",
    )  # fmt: skip
    assert written == 250
    assert len(capsys.readouterr().out.splitlines()) == 250
    assert totals == [(1, 3), (2, 3), (3, 3), (3, 3)]  # 3 pages from the start, never 15


def test_one_state_name_for_jobs() -> None:
    job = JobDetail(id=9, state=JobState(1), task_num=None)
    assert job_summary(job) == "job 9 running"


def test_the_report_table_s_columns_are_the_report_s() -> None:
    assert [c for c in TABLE_COLUMNS if c in REPORT_TABLE_COLUMNS] == list(REPORT_TABLE_COLUMNS)
    assert len(REPORT_TABLE_COLUMNS) == 11  # none of the chosen names went missing


# -- main ---------------------------------------------------------------------------------------


def test_ctrl_c_while_loading_the_commands_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted() -> Any:
        raise KeyboardInterrupt  # as if Ctrl-C came while typer and rich were imported

    monkeypatch.setattr(tca_tapd.cli, "_load_app", interrupted)
    assert main(["tapd", "stories", "list", "-w", "1"]) == 130
    assert capsys.readouterr() == ("", "error: interrupted\n")


def test_ctrl_c_outside_a_command_body_exits_130_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(Settings, "resolve", interrupted)  # the root options' callback
    assert main(["tapd", "stories", "list", "-w", "1"]) == 130
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("quiet", [False, True])
def test_the_sdks_warnings_are_lines_on_stderr_unless_quiet(
    quiet: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # A listing that ends short of its total warns on the tca_tapd logger; a command
    # shows that as a line on stderr (the CLI configures no logging of its own).
    sdk_logger = logging.getLogger("tca_tapd")
    handlers_before = list(sdk_logger.handlers)

    async def body() -> int:
        sdk_logger.warning("GET /x ended after %d items, short of the %d counted", 3, 5)
        sdk_logger.debug("GET /x -> 200")  # below WARNING: never shown
        return 7

    assert CliState(quiet=quiet).run(body) == 7
    captured = capsys.readouterr()
    assert captured.out == ""
    if quiet:
        assert captured.err == ""
    else:
        assert captured.err == "warning: GET /x ended after 3 items, short of the 5 counted\n"
    assert sdk_logger.handlers == handlers_before  # removed when the command ends


def test_shown_masks_url_credentials_inside_lists_too() -> None:
    from tca_tapd.cli._output import shown

    raw = {
        "repos": [{"scm_url": "https://alice:hunter2@git.example.com/g/r.git", "id": 1}],
        "clone_urls": ["git@alice:hunter2@git.example.com:g/r.git", "https://h/g/r.git"],
        "names": ["alice@example.com"],  # not a URL field: as sent
    }
    masked = shown(raw)
    assert "hunter2" not in repr(masked)
    assert masked["repos"] == [{"scm_url": "https://git.example.com/g/r.git", "id": 1}]
    assert masked["clone_urls"][1] == "https://h/g/r.git"
    assert masked["names"] is raw["names"]
    plain = {"repos": [{"scm_url": "https://h/g/r.git"}], "tags": ["a"]}
    assert shown(plain) is plain  # nothing to mask: not copied


@pytest.mark.parametrize(
    ("text", "shown_as"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "+1"),  # a plain signed number is no formula
        ("-12", "-12"),
        ("+1.5e3", "+1.5e3"),
        ("-.5", "-.5"),
        ("-1+2", "'-1+2"),
        ("-", "'-"),
        ("-12 ", "'-12 "),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_text_escapes_formula_starts_but_not_numbers(text: str, shown_as: str) -> None:
    from tca_tapd.cli._output import spreadsheet_text

    assert spreadsheet_text(text) == shown_as
