"""The CLI and the quality report with odd data from the servers: names that look like
markup, URLs that do not parse or carry credentials, one repository in two teams."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from tca_tapd import TCAClient, TCATokenAuth
from tca_tapd._redact import redact_url
from tca_tapd.cli import main
from tca_tapd.report import LinkedGit, match_linked, normalize_git_url
from tca_tapd.tca import Repo
from tca_tapd.testing import TAPD_ACCESS_TOKEN, TCA_API_TOKEN, FakeTAPD, FakeTCA

from ._cli_support import clean_environment

WS = 10104801


@pytest.fixture
def fakes(served: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeTAPD, FakeTCA]:
    tca, tca_url, tapd, tapd_url = served
    tapd.reset()
    tca.reset()
    clean_environment(monkeypatch)
    for name, value in {
        "TAPD_API_BASE_URL": tapd_url, "TAPD_ACCESS_TOKEN": TAPD_ACCESS_TOKEN,
        "TAPD_RATE_LIMIT": "none", "TCA_BASE_URL": tca_url, "TCA_API_TOKEN": TCA_API_TOKEN,
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    return tapd, tca


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", ["[bold]Fix[/bold] login", "[/x] closing tag first", ":smile:"])
def test_a_table_shows_names_as_sent(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str], name: str
) -> None:
    tapd, _ = fakes
    story = tapd.stories[WS][0]
    story["name"] = name
    code, out, err = run(
        capsys, "tapd", "stories", "list", "-w", str(WS), "--filter", f"id={story['id']}",
        "--columns", "id,name",
    )  # fmt: skip
    assert code == 0, err
    assert name in out


def test_the_report_table_shows_repo_names_as_sent(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str]
) -> None:
    _, tca = fakes
    next(r for r in tca.repos if r["id"] == 1)["name"] = "[/] svc"
    code, out, err = run(capsys, "report", "-w", str(WS), "--org", "hellotca", "--team", "demo")
    assert code == 0, err
    assert "[/] svc" in out


def test_a_url_that_does_not_parse_matches_nothing_and_stops_nothing(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "ssh://git@[git.example.com/group0/service-024"
    assert normalize_git_url(bad) is None
    assert "[git.example.com" in redact_url(bad)
    _, tca = fakes
    next(r for r in tca.repos if r["id"] == 24)["ssh_url"] = bad
    code, _, err = run(
        capsys, "report", "-w", str(WS), "--org", "hellotca", "--team", "demo", "-f", "json"
    )
    assert code == 0, err


def test_a_repository_in_two_teams_is_reported_once() -> None:
    url = "http://git.example.com/team/app"
    repos = [
        ("first", Repo(id=1, name="app", scm_url=url, scm_type="git")),
        ("second", Repo(id=2, name="app", scm_url=url, scm_type="git")),
    ]
    linked = [
        LinkedGit("project", "team/app", 1, "app"),
        LinkedGit("project", "Team/App.git", 2, "app"),
    ]
    for order in (linked, linked[::-1]):
        matches, unmatched = match_linked(order, repos)
        reported = [(m.team_name, m.repo.id) for m in matches]
        also = [(r.team_name, r.id) for m in matches for r in m.also_matched]
        assert sorted(reported) == [("first", 1), ("second", 2)]
        assert also == []  # each repo once: reported, not also listed
        assert unmatched == []


def test_a_rows_only_match_is_kept_whatever_the_order() -> None:
    # Repo 2 has both paths; an earlier row that also matched it must not take it
    # from the row it alone matches (regression found in review).
    repos = [
        ("t", Repo(id=1, name="svc", scm_url="http://git.example.com/x/svc", scm_type="git")),
        ("t", Repo(id=2, name="svc", scm_url="http://git.example.com/x/svc", scm_type="git",
                   ssh_url="git@git.example.com:y/svc.git")),
    ]  # fmt: skip
    linked = [LinkedGit("project", "x/svc", 1, "svc"), LinkedGit("project", "y/svc", 2, "svc")]
    for order in (linked, linked[::-1]):
        matches, unmatched = match_linked(order, repos)
        picked = {m.linked.path: m.repo.id for m in matches}
        assert picked == {"x/svc": 1, "y/svc": 2}
        assert unmatched == []
        assert [r.id for m in matches for r in m.also_matched] == []


def test_a_base_url_with_a_query_is_refused_without_showing_it(
    fakes: tuple[FakeTAPD, FakeTCA],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TCA_BASE_URL", "http://127.0.0.1:1/?access_token=S3CRET-VALUE")
    code, out, err = run(capsys, "--debug", "tca", "repos", "list", "--org", "o", "--team", "t")
    assert code == 2
    assert "S3CRET-VALUE" not in out + err
    assert "base_url" in err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_credentials_in_a_repository_url_are_not_printed(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _, tca = fakes
    url = "https://alice:hunter2@git.example.com/grp/r.git"

    async def register() -> None:
        async with TCAClient("http://tca.test", TCATokenAuth(TCA_API_TOKEN),
                             transport=tca.asgi_transport()) as client:  # fmt: skip
            await client.repos.create("hellotca", "demo", url)

    anyio.run(register)
    code, out, err = run(
        capsys, "tca", "repos", "list", "--org", "hellotca", "--team", "demo", "-n", "1",
        "-f", fmt, "--columns", "id,scm_url,ssh_url",
    )  # fmt: skip
    assert code == 0, err
    assert "hunter2" not in out
    assert "git.example.com" in out


@pytest.mark.parametrize("escape", [False, True])
def test_csv_cells_that_look_like_formulas_are_escaped_on_request(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str], escape: bool
) -> None:
    tapd, _ = fakes
    stories = tapd.stories[WS][:5]
    names = ['=HYPERLINK("http://evil.example","click")', "-2 days", "plain name", "-12", "+1.5"]
    for story, name in zip(stories, names, strict=True):
        story["name"] = name
    ids = "|".join(story["id"] for story in stories)
    flag = ["--csv-escape-formulas"] if escape else []
    code, out, err = run(
        capsys, *flag, "tapd", "stories", "list", "-w", str(WS), "--filter", f"id={ids}",
        "--columns", "name", "-f", "csv",
    )  # fmt: skip
    assert code == 0, err
    rows = sorted(line for line in out.splitlines()[1:])
    numbers = ["-12", "+1.5"]  # numbers, not formulas: never escaped
    if escape:
        assert rows == sorted(
            [
                '"\'=HYPERLINK(""http://evil.example"",""click"")"',
                "'-2 days",
                "plain name",
                *numbers,
            ]
        )
    else:
        assert rows == sorted(
            ['"=HYPERLINK(""http://evil.example"",""click"")"', "-2 days", "plain name", *numbers]
        )


def test_the_report_csv_escapes_formulas_on_request(
    fakes: tuple[FakeTAPD, FakeTCA], capsys: pytest.CaptureFixture[str]
) -> None:
    _, tca = fakes
    next(r for r in tca.repos if r["id"] == 1)["name"] = "=1+1 svc"
    args = ("report", "-w", str(WS), "--org", "hellotca", "--team", "demo", "-f", "csv")
    code, plain, err = run(capsys, *args)
    assert code == 0, err
    code, escaped, err = run(capsys, "--csv-escape-formulas", *args)
    assert code == 0, err
    assert ",=1+1 svc," in plain
    assert ",'=1+1 svc," in escaped
    assert "=1+1 svc" not in escaped.replace("'=1+1 svc", "")
