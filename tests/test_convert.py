"""The converter (``tca_tapd._convert``) and the TCA and TAPD payload models.

Payloads are re-expressed from the seeds (TCA's repository list example, TAPD's
``relate_third_projects`` document), the TCA captures and TAPD.md §6, trimmed or
varied where a test needs it.
"""

from __future__ import annotations

import copy
import json
import pickle
import sys
import threading
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

import attrs
import pytest
from attrs import define, field
from hypothesis import given, settings
from hypothesis import strategies as st

from tca_tapd import (
    OpenIntEnum,
    OpenStrEnum,
    StructureError,
    TAPDBearerAuth,
    TAPDClient,
    TCAClient,
    TCATokenAuth,
)
from tca_tapd._convert import (
    CHINA_TZ,
    EMPTY_VALUES,
    Model,
    Structurer,
    _parse_datetime_slow,
    gathered,
    make_converter,
    parse_date,
    parse_datetime,
)
from tca_tapd.tapd import (
    Story,
    TGitGroup,
    TGitProject,
    ThirdProject,
    ThirdType,
    TSvnItem,
    split_people,
)
from tca_tapd.tapd._types import tapd_converter
from tca_tapd.tca import Creator, ProjectTeam, RecentActive, Repo, ScmAuth, ScmSsh

UTC = timezone.utc
PLUS8 = timezone(timedelta(hours=8))

TCA = Structurer.from_factory(make_converter)  # as the clients build it
TAPD = Structurer.from_factory(tapd_converter)


# -- test models ----------------------------------------------------------------------


class JobState(OpenIntEnum):
    WAITING = 0
    RUNNING = 1
    CLOSED = 2


class Mode(OpenStrEnum):
    COOPERATE = "cooperate"
    SOLO = "solo"


class Closed(str, Enum):
    A = "a"
    B = "b"


@define(frozen=True)
class Leaf(Model):
    id: int
    x: float | None = None


@define(frozen=True)
class Sample(Model):
    """Every field kind the converter handles."""

    n: int
    s: str
    opt_int: int | None = None
    opt_float: float | None = None
    opt_bool: bool | None = None
    flag: bool = False
    day: date | None = None
    moment: datetime | None = None
    opt_str: str | None = None
    state: JobState | None = None
    mode: Mode | None = None
    closed: Closed | None = None
    leaf: Leaf | None = None
    leaves: list[Leaf] = field(factory=list)
    extra: Mapping[str, Any] | None = None


def sample(**values: Any) -> dict[str, Any]:
    return {"n": 1, "s": "s", **values}


# -- datetimes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # TCA main server: space, microseconds, +00:00
        ("2021-05-14 02:34:44.509118+00:00", datetime(2021, 5, 14, 2, 34, 44, 509118, UTC)),
        # TCA analysis / scm_auth: ISO with T and +08:00
        ("2021-05-14T10:34:44.552859+08:00", datetime(2021, 5, 14, 10, 34, 44, 552859, PLUS8)),
        ("2021-02-02T13:31:38+08:00", datetime(2021, 2, 2, 13, 31, 38, tzinfo=PLUS8)),
        ("2021-05-14T02:34:44Z", datetime(2021, 5, 14, 2, 34, 44, tzinfo=UTC)),
        ("2021-05-14T02:34:44.509118Z", datetime(2021, 5, 14, 2, 34, 44, 509118, UTC)),
        # five fraction digits (a trailing zero dropped by the server)
        ("2021-05-14 02:34:44.50911+00:00", datetime(2021, 5, 14, 2, 34, 44, 509110, UTC)),
        ("2021-05-14T02:34:44.50911Z", datetime(2021, 5, 14, 2, 34, 44, 509110, UTC)),
        ("2021-05-14T10:34:44.5+08:00", datetime(2021, 5, 14, 10, 34, 44, 500000, PLUS8)),
        # seven digits: cut to microseconds
        ("2021-05-14T02:34:44.1234567Z", datetime(2021, 5, 14, 2, 34, 44, 123456, UTC)),
        # compact offset, negative offset
        ("2021-05-14T10:34:44+0800", datetime(2021, 5, 14, 10, 34, 44, tzinfo=PLUS8)),
        (
            "2021-05-14T10:34:44-05:30",
            datetime(2021, 5, 14, 10, 34, 44, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
        ),
        ("  2021-05-14T02:34:44Z \n", datetime(2021, 5, 14, 2, 34, 44, tzinfo=UTC)),
    ],
)
def test_parse_datetime_spellings(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, CHINA_TZ)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_zone_less_datetime_takes_the_given_zone() -> None:
    tapd = parse_datetime("2025-06-16 14:42:59", CHINA_TZ)
    assert tapd.replace(tzinfo=None) == datetime(2025, 6, 16, 14, 42, 59)
    assert tapd.utcoffset() == timedelta(hours=8)
    assert tapd.tzname() == "Asia/Shanghai"
    assert tapd == datetime(2025, 6, 16, 6, 42, 59, tzinfo=UTC)
    tca = parse_datetime("2025-06-16 14:42:59", UTC)
    assert tca == datetime(2025, 6, 16, 14, 42, 59, tzinfo=UTC)
    assert tca - tapd == timedelta(hours=8)


def test_china_tz_is_a_fixed_utc_plus_8() -> None:
    for moment in (datetime(2025, 1, 15), datetime(2025, 7, 15), datetime(1995, 3, 26, 3)):
        assert CHINA_TZ.utcoffset(moment) == timedelta(hours=8)
    assert CHINA_TZ.tzname(None) == "Asia/Shanghai"


def test_converters_differ_only_in_the_zone_given_to_zone_less_times() -> None:
    payload = sample(moment="2025-06-16 14:42:59")
    assert TAPD.one(payload, Sample).moment == datetime(2025, 6, 16, 14, 42, 59, tzinfo=CHINA_TZ)
    assert TCA.one(payload, Sample).moment == datetime(2025, 6, 16, 14, 42, 59, tzinfo=UTC)
    with_zone = sample(moment="2021-05-14T10:34:44.552859+08:00")
    assert TAPD.one(with_zone, Sample).moment == TCA.one(with_zone, Sample).moment
    assert TCA.one(with_zone, Sample).moment.utcoffset() == timedelta(hours=8)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-05-14T02:34:44.12345+0800", datetime(2021, 5, 14, 2, 34, 44, 123450, PLUS8)),
        ("2021-05-14 02:34:44.509118+00:00", datetime(2021, 5, 14, 2, 34, 44, 509118, UTC)),
        ("2021-05-14T02:34:44,5Z", datetime(2021, 5, 14, 2, 34, 44, 500000, UTC)),
        ("2021-05-14 10:34", datetime(2021, 5, 14, 10, 34)),
        ("2021-05-14T10:34:44+08", datetime(2021, 5, 14, 10, 34, 44, tzinfo=PLUS8)),
    ],
)
def test_slow_path_used_by_older_pythons(text: str, expected: datetime) -> None:
    # Python 3.11's fromisoformat takes all of these, so the fallback (Python 3.10's
    # only route for odd fraction lengths and "+0800") is exercised directly.
    parsed = _parse_datetime_slow(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2025-13-01 10:00:00", "2025-06-16T25:00:00", "16/06/2025 14:42"]
)
def test_parse_datetime_refuses_non_datetimes(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_datetime(text, UTC)


_ZONES = st.sampled_from([UTC, PLUS8, CHINA_TZ, timezone(timedelta(hours=-7))])


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 1, 1)), _ZONES)
def test_parse_datetime_round_trips_every_spelling(naive: datetime, zone: timezone) -> None:
    moment = naive.replace(tzinfo=zone)
    utc = moment.astimezone(UTC)
    spellings = [
        moment.isoformat(),
        moment.isoformat(sep=" "),
        utc.replace(tzinfo=None).isoformat() + "Z",
    ]
    for text in spellings:
        assert parse_datetime(text, CHINA_TZ) == moment, text
    # Zone-less: the wall time in the given zone.
    assert parse_datetime(naive.isoformat(sep=" "), zone) == moment


def test_dates() -> None:
    assert parse_date("2025-07-01") == date(2025, 7, 1)
    assert parse_date(" 2025-07-01 10:00:00") == date(2025, 7, 1)
    with pytest.raises(ValueError, match=r"."):
        parse_date("0000-00-00")
    assert TAPD.one(sample(day="2025-01-31"), Sample).day == date(2025, 1, 31)
    with pytest.raises(StructureError) as info:
        TAPD.one(sample(day=20250131), Sample)
    assert info.value.path == "$.day"


# -- empties, numbers, booleans ---------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "0000-00-00", "0000-00-00 00:00:00", "  "])
@pytest.mark.parametrize(
    "name", ["opt_int", "opt_float", "opt_bool", "day", "moment", "state", "mode", "leaf", "extra"]
)
def test_empty_spellings_are_none_for_optional_non_str_fields(name: str, empty: Any) -> None:
    for structurer in (TCA, TAPD):
        assert getattr(structurer.one(sample(**{name: empty}), Sample), name) is None


def test_empty_values_constant() -> None:
    assert {"", "0000-00-00", "0000-00-00 00:00:00"} == set(EMPTY_VALUES)


@pytest.mark.parametrize("text", ["", "0000-00-00", "0000-00-00 00:00:00", " "])
def test_optional_str_keeps_the_text(text: str) -> None:
    assert TAPD.one(sample(opt_str=text), Sample).opt_str == text
    assert TAPD.one(sample(s=text), Sample).s == text
    assert TAPD.one(sample(opt_str=None), Sample).opt_str is None
    assert TAPD.one(sample(), Sample).opt_str is None


def test_numbers() -> None:
    got = TAPD.one(
        {"n": " 42 ", "s": 7, "opt_int": "-3", "opt_float": "1.5", "opt_str": 1.25}, Sample
    )
    assert (got.n, got.opt_int, got.opt_float) == (42, -3, 1.5)
    assert type(got.n) is int
    assert type(got.opt_float) is float
    assert (got.s, got.opt_str) == ("7", "1.25")
    got = TAPD.one({"n": 42.0, "s": "x", "opt_float": 2}, Sample)
    assert got.n == 42
    assert type(got.n) is int
    assert got.opt_float == 2.0
    assert type(got.opt_float) is float


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"n": "4x"}, "$.n"),
        ({"n": 1.5}, "$.n"),
        ({"n": True}, "$.n"),  # a JSON boolean is not a number
        ({"n": [1]}, "$.n"),
        ({"s": None}, "$.s"),
        ({"s": True}, "$.s"),
        ({"s": {"a": 1}}, "$.s"),
        ({"opt_float": "one"}, "$.opt_float"),
        ({"opt_float": False}, "$.opt_float"),
        ({"opt_bool": "2"}, "$.opt_bool"),
        ({"opt_bool": 2}, "$.opt_bool"),
        ({"moment": 1718520179}, "$.moment"),
        ({"moment": "soon"}, "$.moment"),
    ],
)
def test_wrong_scalars_are_refused(values: dict[str, Any], path: str) -> None:
    payload = {**sample(), **values}
    with pytest.raises(StructureError) as info:
        TAPD.one(payload, Sample)
    assert info.value.path == path
    assert info.value.model == "Sample"
    assert info.value.value == values[path[2:]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("0", False), (1, True), (0, False), (True, True), (False, False),
     ("true", True), ("false", False), (" 1 ", True)],
)  # fmt: skip
def test_booleans(raw: Any, expected: bool) -> None:
    got = TAPD.one(sample(opt_bool=raw, flag=raw), Sample)
    assert got.opt_bool is expected
    assert got.flag is expected


def test_bool_empty_string_is_none_when_optional_and_false_when_required() -> None:
    got = TAPD.one(sample(opt_bool="", flag=""), Sample)
    assert got.opt_bool is None
    assert got.flag is False


# -- enums -------------------------------------------------------------------------------


def test_open_int_enum_keeps_unknown_values() -> None:
    assert JobState(2) is JobState.CLOSED
    assert JobState(2).is_known
    unknown = JobState(7)
    assert unknown.name == "UNKNOWN_7"
    assert unknown.value == 7
    assert unknown == 7
    assert not unknown.is_known
    assert JobState(-2).name == "UNKNOWN_MINUS_2"
    assert "UNKNOWN_7" not in JobState.__members__
    with pytest.raises(ValueError, match="not a valid"):
        JobState("7")  # type: ignore[arg-type]  # lookups by value are exact; the converter parses strings first


def test_open_str_enum_keeps_unknown_values() -> None:
    assert Mode("solo") is Mode.SOLO
    assert Mode.SOLO.is_known
    unknown = Mode("shadow")
    assert unknown.name == "UNKNOWN"
    assert unknown.value == "shadow"
    assert unknown == "shadow"
    assert str(unknown) == "shadow"
    assert str(Mode.COOPERATE) == "cooperate"
    assert not unknown.is_known
    with pytest.raises(ValueError, match="not a valid"):
        Mode(3)


def test_enums_through_the_converter() -> None:
    got = TCA.one(sample(state="7", mode="shadow"), Sample)
    assert isinstance(got.state, JobState)
    assert got.state == 7
    assert got.state.name == "UNKNOWN_7"
    assert not got.state.is_known
    assert isinstance(got.mode, Mode)
    assert got.mode.value == "shadow"
    known = TCA.one(sample(state=1, mode="cooperate", closed="b"), Sample)
    assert known.state is JobState.RUNNING
    assert known.mode is Mode.COOPERATE
    assert known.closed is Closed.B
    with pytest.raises(StructureError) as info:
        TCA.one(sample(state=True), Sample)
    assert info.value.path == "$.state"


def test_closed_str_enum_refuses_unknown_values() -> None:
    # A plain ``class E(str, Enum)`` must come out as the enum, not as a bare str.
    kind = TAPD.one("tgit", ThirdType)
    assert kind is ThirdType.TGIT
    with pytest.raises(StructureError) as info:
        TAPD.one("gitlab", ThirdType)
    assert info.value.model == "ThirdType"
    assert info.value.value == "gitlab"
    with pytest.raises(StructureError) as info:
        TAPD.one(sample(closed="z"), Sample)
    assert info.value.path == "$.closed"


# -- raw, repr, equality ---------------------------------------------------------------


def test_unknown_fields_are_ignored_and_raw_keeps_everything() -> None:
    payload = sample(leaf={"id": "3", "colour": "red"}, brand_new={"nested": [1, 2]}, flows=None)
    got = TCA.one(payload, Sample)
    assert got.raw == payload
    assert got.raw["brand_new"] == {"nested": [1, 2]}
    assert got.leaf is not None
    assert got.leaf.raw == {"id": "3", "colour": "red"}
    assert not hasattr(got, "brand_new")
    assert "raw" not in repr(got)
    assert "brand_new" not in repr(got)
    assert "colour" not in repr(got.leaf)


def test_raw_is_not_compared() -> None:
    a = TCA.one(sample(n="1", noise="a"), Sample)
    b = TCA.one(sample(n=1, noise="b", more=True), Sample)
    assert a.raw != b.raw
    assert a == b
    assert a != TCA.one(sample(n=2), Sample)
    assert Leaf(id=1) == Leaf(id=1, raw={"id": 1, "x": "y"})
    assert Leaf(id=1).raw == {}


def test_models_are_frozen() -> None:
    got = TCA.one(sample(), Sample)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        got.n = 2  # type: ignore[misc]


# -- StructureError ---------------------------------------------------------------------


def _repo(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(SEED_REPO)
    payload.update(changes)
    return payload


def test_structure_error_names_model_path_value_and_reason() -> None:
    payload = _repo(recent_active={"id": "twenty-seven", "branch_name": "master"})
    with pytest.raises(StructureError) as info:
        TCA.one(payload, Repo)
    error = info.value
    assert error.model == "Repo"
    assert error.path == "$.recent_active.id"
    assert error.value == "twenty-seven"
    assert "ValueError" in error.reason
    text = str(error)
    assert "Repo" in text
    assert "$.recent_active.id" in text
    assert "'twenty-seven'" in text
    assert error.reason in text
    # cattrs' nested exception groups are not chained onto ours.
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_structure_error_deep_path() -> None:
    payload = _repo()
    payload["scm_auth"]["scm_ssh"]["user"]["status"] = "active"
    with pytest.raises(StructureError) as info:
        TCA.one(payload, Repo)
    assert info.value.path == "$.scm_auth.scm_ssh.user.status"
    assert info.value.value == "active"


def test_structure_error_for_a_missing_required_key() -> None:
    payload = _repo()
    del payload["scm_url"]
    with pytest.raises(StructureError) as info:
        TCA.one(payload, Repo)
    assert info.value.path == "$.scm_url"
    assert info.value.value is None
    assert info.value.reason == "required field is missing"
    payload = _repo()
    del payload["recent_active"]["id"]
    with pytest.raises(StructureError) as info:
        TCA.one(payload, Repo)
    assert info.value.path == "$.recent_active.id"
    assert info.value.reason == "required field is missing"


def test_structure_error_for_a_non_object() -> None:
    with pytest.raises(StructureError) as info:
        TCA.one(["not", "a", "repo"], Repo)
    assert info.value.path == "$"
    assert "expected an object" in info.value.reason
    with pytest.raises(StructureError) as info:
        TCA.one(_repo(creator="author"), Repo)
    assert info.value.path == "$.creator"
    assert info.value.value == "author"


def test_many_names_the_index() -> None:
    items: list[Any] = [sample(n=i) for i in range(5)]
    assert [s.n for s in TCA.many(items, Sample)] == [0, 1, 2, 3, 4]
    items[3]["opt_float"] = "x"
    with pytest.raises(StructureError) as info:
        TCA.many(items, Sample)
    assert info.value.path == "$[3].opt_float"
    assert info.value.model == "Sample"
    items[3] = "not an object"
    with pytest.raises(StructureError) as info:
        TCA.many(items, Sample)
    assert info.value.path == "$[3]"
    assert info.value.value == "not an object"
    assert "expected an object" in info.value.reason
    missing = [sample(), {"s": "no n"}]
    with pytest.raises(StructureError) as info:
        TCA.many(missing, Sample)
    assert (info.value.path, info.value.reason) == ("$[1].n", "required field is missing")


def test_many_needs_a_list() -> None:
    with pytest.raises(StructureError) as info:
        TCA.many({"results": []}, Sample)
    assert info.value.model == "list[Sample]"
    assert info.value.path == "$"
    assert info.value.reason == "expected a list"
    assert TCA.many([], Sample) == []


def test_nested_list_path() -> None:
    with pytest.raises(StructureError) as info:
        TCA.one(sample(leaves=[{"id": 1}, {"id": 2, "x": "wide"}]), Sample)
    assert info.value.path == "$.leaves[1].x"
    assert info.value.value == "wide"
    with pytest.raises(StructureError) as info:
        TCA.one(sample(leaves=[{"id": 1}, 7]), Sample)
    assert info.value.path == "$.leaves[1]"


def test_structure_error_shortens_huge_values() -> None:
    huge = list(range(500))
    with pytest.raises(StructureError) as info:
        TCA.one(sample(n=huge), Sample)
    assert info.value.value == huge  # kept whole on the exception
    text = str(info.value)
    assert len(text) < 250
    assert "[0, 1, 2, 3" in text
    assert text.count("...") == 1


def test_one_with_scalars() -> None:
    assert TAPD.one("36", int) == 36
    with pytest.raises(StructureError) as info:
        TAPD.one(None, int)
    assert info.value.model == "int"


# -- TCA models ---------------------------------------------------------------------------

# The repository example of TCA's API documentation (seeds/000_*), as data.
SEED_REPO: dict[str, Any] = {
    "id": 23,
    "name": "repo_name",
    "scm_url": "http://git.repo.com/group/repo_name",
    "scm_type": "git",
    "branch_count": 1,
    "scheme_count": 1,
    "job_count": 1,
    "created_time": "2021-05-14 02:34:44.509118+00:00",
    "recent_active": {
        "id": 27,
        "branch_name": "master",
        "active_time": "2021-05-14 02:34:44.509118+00:00",
        "total_line_num": 1,
        "code_line_num": 1,
    },
    "created_from": "tca",
    "creator": {
        "username": "author",
        "nickname": "author",
        "status": 1,
        "avatar": "url",
        "org": "org_name",
    },
    "symbol": None,
    "scm_auth": {
        "id": 1,
        "scm_account": None,
        "scm_oauth": None,
        "scm_ssh": {
            "id": 1,
            "name": "test",
            "scm_platform": 2,
            "scm_platform_desc": None,
            "user": {
                "username": "username",
                "nickname": "nickname",
                "status": 1,
                "avatar": "url",
                "org": "org_name",
            },
        },
        "auth_type": "ssh_token",
        "created_time": "2021-05-14T10:34:44.552859+08:00",
        "modified_time": "2021-05-14T10:34:44.552887+08:00",
    },
    "project_team": {"name": "test", "display_name": "测试", "status": 1, "org_sid": "test"},
}


def _assert_fields_cover(model: Any, payload: Mapping[str, Any]) -> None:
    """Every key of the payload is a typed field of the model, recursively."""
    names = {a.name for a in attrs.fields(type(model))}
    missing = set(payload) - names
    assert not missing, f"{type(model).__name__} has no field for {sorted(missing)}"
    assert model.raw == payload
    for key, value in payload.items():
        attribute = getattr(model, key)
        if isinstance(attribute, Model):
            assert isinstance(value, dict)
            _assert_fields_cover(attribute, value)


def test_seed_repo_structures_without_loss() -> None:
    repo = TCA.one(copy.deepcopy(SEED_REPO), Repo)
    _assert_fields_cover(repo, SEED_REPO)
    assert (repo.id, repo.name, repo.scm_type) == (23, "repo_name", "git")
    assert repo.scm_url == "http://git.repo.com/group/repo_name"
    assert (repo.branch_count, repo.scheme_count, repo.job_count) == (1, 1, 1)
    assert repo.created_time == datetime(2021, 5, 14, 2, 34, 44, 509118, UTC)
    assert repo.created_from == "tca"
    assert repo.symbol is None
    assert repo.ssh_url is None

    assert isinstance(repo.recent_active, RecentActive)
    assert repo.recent_active.id == 27
    assert repo.recent_active.branch_name == "master"
    assert repo.recent_active.active_time == repo.created_time
    assert (repo.recent_active.total_line_num, repo.recent_active.code_line_num) == (1, 1)

    assert isinstance(repo.creator, Creator)
    assert repo.creator == Creator(
        username="author", nickname="author", status=1, avatar="url", org="org_name"
    )
    assert repo.creator.latest_login_time is None

    auth = repo.scm_auth
    assert isinstance(auth, ScmAuth)
    assert (auth.id, auth.auth_type) == (1, "ssh_token")
    assert auth.scm_account is None
    assert auth.scm_oauth is None
    assert auth.created_time == datetime(2021, 5, 14, 10, 34, 44, 552859, PLUS8)
    assert auth.created_time.utcoffset() == timedelta(hours=8)
    assert auth.modified_time == datetime(2021, 5, 14, 2, 34, 44, 552887, UTC)
    assert isinstance(auth.scm_ssh, ScmSsh)
    assert (auth.scm_ssh.id, auth.scm_ssh.name, auth.scm_ssh.scm_platform) == (1, "test", 2)
    assert auth.scm_ssh.scm_platform_desc is None
    assert isinstance(auth.scm_ssh.user, Creator)
    assert auth.scm_ssh.user.username == "username"
    assert auth.scm_ssh.user.nickname == "nickname"

    assert repo.project_team == ProjectTeam(
        name="test", display_name="测试", status=1, org_sid="test"
    )


def test_seed_repo_list_page() -> None:
    page = {"count": 1, "next": None, "previous": None, "results": [copy.deepcopy(SEED_REPO)]}
    (repo,) = TCA.many(page["results"], Repo)
    assert repo == TCA.one(SEED_REPO, Repo)


def test_scm_auth_with_an_account_keeps_it_as_a_dict() -> None:
    payload = _repo()
    payload["scm_auth"] = {
        "id": 4,
        "auth_type": "password",
        "scm_account": {"id": 9, "scm_username": "bot"},
        "scm_oauth": None,
        "scm_ssh": None,
    }
    repo = TCA.one(payload, Repo)
    assert repo.scm_auth is not None
    assert repo.scm_auth.scm_account == {"id": 9, "scm_username": "bot"}
    assert repo.scm_auth.scm_ssh is None


# A repository from the open-source server as captured (gw_main_repos_list.json).
CAPTURED_REPO: dict[str, Any] = {
    "id": 1,
    "name": "CodeAnalysis",
    "scm_url": "http://github.com/Tencent/CodeAnalysis",
    "scm_type": "git",
    "branch_count": 1,
    "scheme_count": 1,
    "job_count": 0,
    "created_time": "2026-11-23 09:03:37.009910+00:00",
    "recent_active": None,
    "created_from": "codedog_web",
    "creator": {
        "username": "sdkadmin",
        "nickname": "sdkadmin",
        "status": 1,
        "avatar": None,
        "latest_login_time": None,
        "org": None,
    },
    "scm_auth": None,
    "project_team": {
        "name": "sdk-team",
        "display_name": "SDK Team",
        "status": 1,
        "org_sid": "Clbx3zQ5JXu",
    },
    "ssh_url": "git@github.com:Tencent/CodeAnalysis",
}


def test_captured_repo() -> None:
    (repo,) = TCA.many([copy.deepcopy(CAPTURED_REPO)], Repo)
    _assert_fields_cover(repo, CAPTURED_REPO)
    assert repo.recent_active is None
    assert repo.scm_auth is None
    assert repo.ssh_url == "git@github.com:Tencent/CodeAnalysis"
    assert repo.job_count == 0
    assert repo.created_time == datetime(2026, 11, 23, 9, 3, 37, 9910, UTC)
    assert repo.creator is not None
    assert repo.creator.avatar is None
    assert repo.creator.org is None
    assert repo.creator.latest_login_time is None
    assert repo.project_team is not None
    assert repo.project_team.org_sid == "Clbx3zQ5JXu"


def test_creator_latest_login_time() -> None:
    creator = TCA.one(
        {"username": "sdkadmin", "latest_login_time": "2026-11-23T17:03:11.120001+08:00"}, Creator
    )
    assert creator.latest_login_time == datetime(2026, 11, 23, 9, 3, 11, 120001, UTC)


def test_repo_requires_its_identity() -> None:
    for key in ("id", "name", "scm_url", "scm_type"):
        payload = _repo()
        del payload[key]
        with pytest.raises(StructureError) as info:
            TCA.one(payload, Repo)
        assert info.value.path == f"$.{key}"


# -- TAPD models -------------------------------------------------------------------------

# The two examples of TAPD's relate_third_projects document (seeds/003_*), as data.
SEED_ZHIYAN: list[dict[str, Any]] = [{"third_project_id": 12345, "mode": "cooperate"}]
SEED_TGIT: list[dict[str, Any]] = [
    {
        "id": "1000000755000100014",
        "workspace_id": "755",
        "git_project_id": "12617341",
        "git_app_id": "3",
        "path_with_namespace": "hello/222222",
        "creator": "zhaooding",
        "created": "2025-04-10 15:03:24",
        "name": "222222",
        "modified": "2025-04-10 15:03:24",
        "status": "2",
        "url_token": "d0893e8a089f51a83c1a8c1abd47ccaf",
        "modifier": "zhaooding",
        "instance_name": "内网版",
    },
    {
        "id": "1000000755000000245",
        "workspace_id": "755",
        "git_app_id": "3",
        "group_id": "230994",
        "name": "CHEN1",
        "is_deleted": "0",
        "creator": "v_haohechen",
        "created": "2020-08-04 16:21:45",
        "path": "CHEN111111111111111111",
        "full_path": "CHEN111111111111111111",
        "modified": "2020-08-04 16:21:45",
        "full_name": "CHEN1",
        "modifier": "",
        "instance_name": "内网版",
        "is_group": True,
    },
]


def test_third_project() -> None:
    (project,) = TAPD.many(SEED_ZHIYAN, ThirdProject)
    assert project == ThirdProject(third_project_id=12345, mode="cooperate")
    assert project.raw == SEED_ZHIYAN[0]
    (from_string,) = TAPD.many([{"third_project_id": "54321"}], ThirdProject)
    assert from_string.third_project_id == 54321
    assert from_string.mode is None


def test_tgit_project() -> None:
    project = TAPD.one(SEED_TGIT[0], TGitProject)
    _assert_fields_cover(project, SEED_TGIT[0])
    assert project.id == "1000000755000100014"
    assert (project.workspace_id, project.git_project_id, project.git_app_id) == (755, 12617341, 3)
    assert project.path_with_namespace == "hello/222222"
    assert project.name == "222222"
    assert project.status == 2
    assert project.created == datetime(2025, 4, 10, 15, 3, 24, tzinfo=CHINA_TZ)
    assert project.created == datetime(2025, 4, 10, 7, 3, 24, tzinfo=UTC)
    assert project.modified == project.created
    assert (project.creator, project.modifier) == ("zhaooding", "zhaooding")
    assert project.instance_name == "内网版"
    assert project.is_group is False
    # The token is readable but never shown.
    assert project.url_token == "d0893e8a089f51a83c1a8c1abd47ccaf"
    assert "d0893e8a089f51a83c1a8c1abd47ccaf" not in repr(project)
    assert "url_token" not in repr(project)
    assert "222222" in repr(project)


def test_tgit_group() -> None:
    group = TAPD.one(SEED_TGIT[1], TGitGroup)
    _assert_fields_cover(group, SEED_TGIT[1])
    assert group.id == "1000000755000000245"
    assert (group.workspace_id, group.group_id, group.git_app_id) == (755, 230994, 3)
    assert group.is_group is True
    assert group.is_deleted is False
    assert group.modifier == ""  # a str field keeps TAPD's empty string
    assert group.full_name == "CHEN1"
    assert group.path == group.full_path == "CHEN111111111111111111"
    assert group.created == datetime(2020, 8, 4, 16, 21, 45, tzinfo=CHINA_TZ)
    deleted = TAPD.one({**SEED_TGIT[1], "is_deleted": "1"}, TGitGroup)
    assert deleted.is_deleted is True


def test_tsvn_item_takes_partial_data() -> None:
    item = TAPD.one({"is_group": True, "svn_url": "svn://x"}, TSvnItem)
    assert item.is_group is True
    assert item.id is None
    assert item.raw["svn_url"] == "svn://x"
    item = TAPD.one({"id": "1", "workspace_id": "755", "name": "trunk"}, TSvnItem)
    assert (item.workspace_id, item.is_group) == (755, False)


# The story example of TAPD.md §6 (TAPD's get_stories reference page).
DOC_STORY: dict[str, Any] = {
    "id": "1010104801124922063",
    "workitem_type_id": "1010104801000022091",
    "name": "story_created_by_api",
    "description": None,
    "workspace_id": "10104801",
    "creator": "v_xuanfang",
    "created": "2025-06-16 14:42:59",
    "modified": "2025-06-16 16:46:51",
    "status": "planning",
    "step": "",
    "owner": "",
    "cc": "",
    "begin": None,
    "due": None,
    "size": None,
    "priority": "",
    "developer": "",
    "iteration_id": "0",
    "test_focus": "",
    "type": "",
    "source": "",
    "module": "",
    "version": "",
    "completed": None,
    "category_id": "-1",
    "path": "1010104801124922063:",
    "parent_id": "0",
    "children_id": "|",
    "ancestor_id": "1010104801124922063",
    "level": "0",
    "business_value": "5",
    "effort": None,
    "effort_completed": "0",
    "exceed": "0",
    "remain": "0",
    "release_id": "0",
    "bug_id": None,
    "templated_id": None,
    "created_from": "api",
    "feature": "",
    "label": "",
    "progress": "0",
    "is_archived": "0",
    "tech_risk": "2",
    "flows": None,
    "custom_field_one": "",
    "custom_field_three": "1",
    "secret_root_id": "0",
    "progress_manual": "0",
    "priority_label": "",
}


def test_doc_story() -> None:
    wrapped = {"Story": copy.deepcopy(DOC_STORY)}
    story = TAPD.one(wrapped["Story"], Story)
    assert story.id == "1010104801124922063"
    assert story.workspace_id == 10104801
    assert story.workitem_type_id == "1010104801000022091"
    assert story.name == "story_created_by_api"
    assert story.description is None
    assert story.creator == "v_xuanfang"
    assert story.created == datetime(2025, 6, 16, 14, 42, 59, tzinfo=CHINA_TZ)
    assert story.created.tzname() == "Asia/Shanghai"
    assert story.modified == datetime(2025, 6, 16, 8, 46, 51, tzinfo=UTC)
    assert (story.status, story.step, story.owner, story.cc) == ("planning", "", "", "")
    assert story.begin is None
    assert story.due is None
    assert story.size is None
    assert story.completed is None
    assert (story.priority, story.priority_label) == ("", "")
    # "0" (not linked) and "-1" (no category) are None; raw keeps what was sent.
    assert (story.iteration_id, story.parent_id, story.release_id) == (None, None, None)
    assert story.category_id is None
    assert (story.raw["iteration_id"], story.raw["category_id"]) == ("0", "-1")
    assert story.path == "1010104801124922063:"
    assert story.children_id == ()
    assert story.ancestor_id == "1010104801124922063"
    assert (story.level, story.business_value, story.progress) == (0, 5, 0)
    assert story.effort is None
    assert (story.effort_completed, story.exceed, story.remain) == (0.0, 0.0, 0.0)
    assert story.is_archived is False
    assert story.tech_risk == "2"
    assert story.created_from == "api"
    assert story.label == ""
    assert story.custom_fields == {"custom_field_one": "", "custom_field_three": "1"}
    assert (story.owners, story.ccs, story.developers) == ((), (), ())
    # Fields the model does not name stay reachable.
    assert story.raw["secret_root_id"] == "0"
    assert story.raw["flows"] is None
    assert story.raw == DOC_STORY


def test_story_custom_fields_gather_every_prefix() -> None:
    payload = {
        **DOC_STORY,
        "custom_field_9": "x",
        "custom_field_200": "last",
        "custom_plan_field_1": "0",
        "custom_plan_field_10": "1010104801001000123",
        "custom": "not one",
        "my_custom_field_1": "not one either",
    }
    story = TAPD.one(payload, Story)
    assert story.custom_fields == {
        "custom_field_one": "",
        "custom_field_three": "1",
        "custom_field_9": "x",
        "custom_field_200": "last",
        "custom_plan_field_1": "0",
        "custom_plan_field_10": "1010104801001000123",
    }
    bare = TAPD.one({"id": "1", "name": "n", "workspace_id": 1}, Story)
    assert bare.custom_fields == {}


def test_story_people_and_markup() -> None:
    html = '<p>前置条件</p><div>step &amp; <b>result</b><br  /></div>\n<img src="/x.png">'
    story = TAPD.one(
        {
            **DOC_STORY,
            "owner": "张三;",
            "cc": ";a,b;",
            "developer": None,
            "description": html,
            "begin": "2025-07-01",
            "due": "0000-00-00",
            "completed": "0000-00-00 00:00:00",
            "effort": "2.5",
            "is_archived": "1",
        },
        Story,
    )
    assert story.owner == "张三;"  # the raw string is kept
    assert story.owners == ("张三",)
    assert story.ccs == ("a", "b")
    assert story.developer is None
    assert story.developers == ()
    assert story.description == html
    assert story.begin == date(2025, 7, 1)
    assert story.due is None
    assert story.completed is None
    assert story.effort == 2.5
    assert story.is_archived is True


def test_story_requires_only_id() -> None:
    # ``fields=`` may trim everything else away, so only ``id`` is required.
    payload = dict(DOC_STORY)
    del payload["id"]
    with pytest.raises(StructureError) as info:
        TAPD.many([DOC_STORY, payload], Story)
    assert info.value.path == "$[1].id"
    assert info.value.model == "Story"
    trimmed = TAPD.one({"id": "1", "name": "x"}, Story)
    assert (trimmed.name, trimmed.workspace_id, trimmed.custom_fields) == ("x", None, {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三;", ("张三",)),
        (";a,b;", ("a", "b")),
        (";张三", ("张三",)),
        ("alice;bob;", ("alice", "bob")),
        (" a ; b ,c", ("a", "b", "c")),
        (";;,", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_split_people(value: str | None, expected: tuple[str, ...]) -> None:
    assert split_people(value) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ab张三 ", min_size=1).filter(str.strip), max_size=5))
def test_split_people_round_trips(names: list[str]) -> None:
    for separator in (";", ","):
        text = separator + separator.join(names) + separator
        assert split_people(text) == tuple(n.strip() for n in names)


def test_third_type_values() -> None:
    assert [t.value for t in ThirdType] == ["zhiyan", "bk", "tgit", "tsvn"]


def test_clients_structure_fast_and_explain_failures_in_detail() -> None:
    # The fast converter skips cattrs' detailed validation; only a failure is re-run
    # through a detailed one, so errors name the same path either way.
    fast = Structurer.from_factory(make_converter)
    assert fast.converter.detailed_validation is False
    assert fast.explainer.detailed_validation is True
    slow = Structurer(make_converter())
    good = _repo()
    assert fast.one(good, Repo) == slow.one(good, Repo)
    bad = _repo(recent_active={"id": "x"})
    errors = []
    for structurer in (fast, slow):
        with pytest.raises(StructureError) as info:
            structurer.many([_repo(), bad], Repo)
        errors.append((info.value.path, info.value.value, info.value.reason))
    assert errors[0] == errors[1] == ("$[1].recent_active.id", "x", errors[1][2])


def test_custom_fields_are_gathered_right_for_every_payload_layout() -> None:
    # The keys to gather are remembered per key layout (bounded); 100 layouts, each
    # with its own custom field and in a different order, must each gather exactly theirs.
    stories = []
    for n in range(100):
        payload: dict[str, Any] = {"id": str(n), f"custom_field_{n}": f"v{n}", "name": "s"}
        if n % 2:
            payload = dict(reversed(list(payload.items())))
        payload["custom_plan_field_1"] = "0"
        stories.append(payload)
    got = TAPD.many(stories, Story)
    assert [s.custom_fields for s in got] == [
        {f"custom_field_{n}": f"v{n}", "custom_plan_field_1": "0"} for n in range(100)
    ]
    again = TAPD.many(stories[:3], Story)  # remembered layouts give the same answer
    assert [s.custom_fields for s in again] == [s.custom_fields for s in got[:3]]


def test_gathered_custom_fields_read_like_a_dict_built_at_once() -> None:
    # The fast path leaves custom_fields for its first read; everything that reads
    # the field must see the dict the detailed (eager) path builds.
    payload = {"id": "7", "name": "s", "custom_field_one": "a", "custom_plan_field_2": "0"}
    expected = {"custom_field_one": "a", "custom_plan_field_2": "0"}
    fast = TAPD.one(payload, Story)
    eager = Structurer(tapd_converter(detailed=True)).one(payload, Story)
    assert eager.custom_fields == expected
    assert TAPD.one(payload, Story) == eager
    assert type(fast.custom_fields) is dict
    assert fast.custom_fields == expected
    assert fast.custom_fields is fast.custom_fields  # gathered once, then kept
    assert json.dumps(TAPD.one(payload, Story).custom_fields) == json.dumps(expected)
    assert "custom_field_one" in repr(TAPD.one(payload, Story))
    assert TAPD.one(payload, Story) == TAPD.one(payload, Story)
    assert TAPD.one(payload, Story) != TAPD.one({**payload, "custom_field_one": "b"}, Story)
    unread = TAPD.one(payload, Story)
    assert pickle.loads(pickle.dumps(unread)).custom_fields == expected  # noqa: S301
    assert copy.copy(TAPD.one(payload, Story)).custom_fields == expected
    assert attrs.evolve(TAPD.one(payload, Story), name="t").custom_fields == expected
    assert attrs.asdict(TAPD.one(payload, Story))["custom_fields"] == expected


def test_a_subclass_may_gather_more_prefixes_into_an_inherited_field() -> None:
    @define(frozen=True)
    class SetByHand(Story):
        __gathered__ = {"custom_fields": ["custom_field_", "user_field_"]}  # noqa: RUF012

    @gathered(custom_fields=("custom_field_", "user_field_"))
    @define(frozen=True)
    class SetByDecorator(Story):
        pass

    @define(frozen=True)
    class OnePrefix(Story):  # one prefix as a plain string, not split into letters
        __gathered__ = {"custom_fields": "user_field_"}  # noqa: RUF012

    payload = {"id": "1", "custom_field_1": "a", "user_field_9": "z", "other": "o"}
    detailed = Structurer(tapd_converter(detailed=True))
    for cls in (SetByHand, SetByDecorator):
        fast = TAPD.one(payload, cls)
        assert fast.custom_fields == {"custom_field_1": "a", "user_field_9": "z"}
        assert fast == detailed.one(payload, cls)
    assert TAPD.one(payload, OnePrefix).custom_fields == {"user_field_9": "z"}
    assert TAPD.one(payload, Story).custom_fields == {"custom_field_1": "a"}  # unchanged


def test_custom_fields_are_gathered_from_raw_as_it_is_when_first_read() -> None:
    # Documented: the dict is built on the first read, not while structuring.
    payload = {"id": "1", "custom_field_1": "a"}
    story = TAPD.one(payload, Story)
    payload["custom_field_2"] = "b"  # raw is the payload itself (read-only by contract)
    assert story.custom_fields == {"custom_field_1": "a", "custom_field_2": "b"}
    payload["custom_field_3"] = "c"
    assert "custom_field_3" not in story.custom_fields  # kept from its first read


def test_a_dict_subclass_declaring_the_field_again_keeps_the_value_given() -> None:
    @define(frozen=True, slots=False)
    class Loose(Story):
        custom_fields: Mapping[str, Any] = field(factory=dict)

    given_fields = {"mine": 1}
    made = Loose(id="1", custom_fields=given_fields, raw={"custom_field_x": 2})
    assert made.custom_fields is given_fields
    structured = TAPD.one({"id": "1", "custom_field_x": 2}, Loose)
    assert structured.custom_fields == {"custom_field_x": 2}


def test_keys_that_are_not_strings_are_not_gathered() -> None:
    # Only a hand-made payload can have them; neither path may fail on them.
    payload = {"id": "1", 7: "x", "custom_field_1": "a"}
    for structurer in (TAPD, Structurer(tapd_converter(detailed=True))):
        assert structurer.one(payload, Story).custom_fields == {"custom_field_1": "a"}


def test_threads_reading_custom_fields_first_all_get_the_one_dict() -> None:
    # Many keys to gather and a tiny switch interval: the threads interleave inside
    # the first read (without the fill lock, most trials gave different dicts).
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        payload = {"id": "1", **{f"custom_field_{i}": str(i) for i in range(3000)}}
        for _ in range(30):
            story = TAPD.one(dict(payload), Story)
            start = threading.Barrier(4)
            seen: list[Any] = []

            def read(
                story: Story = story, start: threading.Barrier = start, seen: list[Any] = seen
            ) -> None:
                start.wait()
                seen.append(story.custom_fields)

            threads = [threading.Thread(target=read) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(seen) == 4
            assert all(value is story.custom_fields for value in seen)
    finally:
        sys.setswitchinterval(previous)


def test_gathered_fields_given_to_the_constructor_are_kept() -> None:
    assert Story(id="1").custom_fields == {}
    given_fields = {"custom_field_x": 1}
    story = Story(id="1", custom_fields=given_fields, raw={"custom_field_y": 2})
    assert story.custom_fields is given_fields  # not gathered from raw


def test_gathered_needs_a_slotted_field_of_the_class_itself() -> None:
    @define(frozen=True)
    class Item(Model):
        name: str = ""

    with pytest.raises(TypeError, match=r"Item\.extras is not a slotted field"):
        gathered(extras=("x_",))(Item)


def test_a_hand_set_gathered_map_is_still_gathered() -> None:
    # Without @gathered there is no first-read filling: the keys are gathered while
    # structuring (cattrs' path), not left unset.
    @define(frozen=True)
    class Item(Model):
        __gathered__ = {"extras": ("x_",)}  # noqa: RUF012
        name: str = ""
        extras: Mapping[str, Any] = field(factory=dict)

    item = TCA.one({"name": "n", "x_1": 1, "y": 2}, Item)
    assert item.extras == {"x_1": 1}


def test_clients_of_one_api_share_their_structurer() -> None:
    # Generated model functions are built once per process, not once per client.
    tapd = [TAPDClient(TAPDBearerAuth("t"), base_url="https://tapd.example") for _ in range(2)]
    tca = [TCAClient("https://tca.example", TCATokenAuth("t")) for _ in range(2)]
    assert tapd[0]._structurer is tapd[1]._structurer
    assert tca[0]._structurer is tca[1]._structurer
    assert tapd[0]._structurer is not tca[0]._structurer  # different zones, hooks
    assert tapd[0]._structurer.converter is not tapd[0]._structurer.explainer
