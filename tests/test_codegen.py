"""The generated fast structuring functions agree with cattrs' on every kind of value."""

from __future__ import annotations

import pickle
import weakref
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import Enum
from typing import Any

import attrs
import pytest
from attrs import define, field
from hypothesis import given
from hypothesis import strategies as st

from tca_tapd._codegen import model_builder
from tca_tapd._convert import (
    CHINA_TZ,
    EMPTY_VALUES,
    Model,
    SDKConverter,
    Structurer,
    make_converter,
)
from tca_tapd._enum import OpenIntEnum
from tca_tapd.errors import StructureError
from tca_tapd.tapd import Story
from tca_tapd.tapd._types import LinkId, PipeIds, tapd_converter

FAST = Structurer.from_factory(make_converter)
DETAILED = Structurer(make_converter())


@define(frozen=True)
class Plain(Model):
    id: str
    n: int
    text: str | None = None
    count: int | None = None
    flag: bool | None = None
    ratio: float | None = None
    tags: tuple[str, ...] = ()
    extra: dict[str, Any] = field(factory=dict)
    when: datetime | None = None
    day: date | None = None


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "a", "n": 1},
        {"id": 7, "n": "42", "text": "", "count": "0", "flag": "1", "ratio": "0.5"},
        {"id": "b", "n": " 3 ", "count": "", "flag": 0, "ratio": 2, "tags": ["x", "y"]},
        {"id": "c", "n": -4, "count": "-4", "text": None, "count_extra": 1},
        {"id": "d", "n": "٣", "count": "0000-00-00", "extra": {"k": [1]}},
        {"id": "e", "n": 5, "count": None, "flag": None, "ratio": None, "tags": []},
        {"id": "f", "n": 1, "when": "2025-06-16 14:42:59", "day": "2025-06-16", "ratio": "  "},
        {"id": "g", "n": 1, "when": "0000-00-00 00:00:00", "day": "0000-00-00", "count": " "},
        {"id": "h", "n": 1, "when": "2021-05-14T10:34:44Z", "day": " 2025-01-02 ", "flag": ""},
    ],
)
def test_fast_and_detailed_structuring_give_equal_models(payload: dict[str, Any]) -> None:
    fast, detailed = FAST.one(payload, Plain), DETAILED.one(payload, Plain)
    assert fast == detailed
    assert fast.raw is payload
    assert attrs.asdict(fast) == attrs.asdict(detailed)


@pytest.mark.parametrize(
    ("payload", "path", "reason"),
    [
        ({"n": 1}, "$.id", "required field is missing"),
        ({"id": "a", "n": "x"}, "$.n", "ValueError"),
        ({"id": "a", "n": 1, "count": "1.5"}, "$.count", "ValueError"),
        ({"id": "a", "n": True}, "$.n", "TypeError"),
        ({"id": {"no": 1}, "n": 1}, "$.id", "TypeError"),
    ],
)
def test_failures_are_explained_with_the_same_path(
    payload: dict[str, Any], path: str, reason: str
) -> None:
    for structurer in (FAST, DETAILED):
        with pytest.raises(StructureError) as info:
            structurer.one(payload, Plain)
        assert info.value.path == path
        assert reason in info.value.reason


def test_defaults_are_fresh_and_never_pass_through_hooks() -> None:
    one, two = FAST.one({"id": "a", "n": 1}, Plain), FAST.one({"id": "b", "n": 2}, Plain)
    assert one.extra == {} and one.extra is not two.extra  # noqa: PT018
    assert (one.text, one.count, one.flag, one.ratio, one.tags) == (None, None, None, None, ())


def test_models_with_validators_or_post_init_fall_back_to_cattrs() -> None:
    @define(frozen=True)
    class Checked(Model):
        n: int = field(validator=attrs.validators.ge(0))

    @define(frozen=True)
    class Hooked(Model):
        n: int

        def __attrs_post_init__(self) -> None:
            pass

    converter = make_converter(detailed=False)
    assert model_builder(Checked, converter, EMPTY_VALUES, raw="raw") is None
    assert model_builder(Hooked, converter, EMPTY_VALUES, raw="raw") is None
    assert model_builder(Plain, converter, EMPTY_VALUES, raw="raw") is not None
    with pytest.raises(StructureError, match="must be >= 0"):
        FAST.one({"n": -1}, Checked)  # the validator still runs


class Level(OpenIntEnum):
    LOW = 1
    HIGH = 2


class Kind(str, Enum):
    A = "a"
    B = "b"


@define(frozen=True)
class WithEnums(Model):
    level: Level
    kind: Kind | None = None
    maybe: Level | None = None


@pytest.mark.parametrize(
    "payload",
    [
        {"level": 1, "kind": "a", "maybe": 2},
        {"level": "2", "kind": None, "maybe": None},
        {"level": 7, "maybe": "7"},  # unknown values kept
        {"level": 2, "kind": "b", "maybe": ""},
    ],
)
def test_enum_fields_agree_with_cattrs(payload: dict[str, Any]) -> None:
    fast, detailed = FAST.one(payload, WithEnums), DETAILED.one(payload, WithEnums)
    assert fast == detailed
    assert type(fast.level) is Level


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({"level": True}, "$.level"),
        ({"level": 1, "kind": "z"}, "$.kind"),
        ({"level": 1.5}, "$.level"),
    ],
)
def test_enum_fields_refuse_what_cattrs_refuses(payload: dict[str, Any], path: str) -> None:
    for structurer in (FAST, DETAILED):
        with pytest.raises(StructureError) as info:
            structurer.one(payload, WithEnums)
        assert info.value.path == path


# -- string parsers: the fast path must give exactly what the hooks give ----------------

TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "0",
            "-1",
            "|",
            "1|2|",
            " 7 ",
            "0000-00-00",
            "0000-00-00 00:00:00",
            "2025-06-16 14:42:59",
            "2025-06-16T14:42:59",
            "2025-06-16T14:57+08",  # 19 characters with an offset of its own
            "2025-06-16 14:57:3Z",
            "2025-02-30 14:42:59",
            "0001-01-01 00:00:00",  # before 08:00 UTC of year 1: out of range in UTC
            "0001-01-01 07:59:59",
            "2025-06-16 24:00:00",
            "2021-05-14T10:34:44Z",
            "2021-05-14 02:34:44.509118+00:00",
            "2021-05-14T10:34:44+0800",
            " 2025-06-16 14:42:59 ",
            "2025-06-16",
            "1.5",
            "nan",
            "1_000",
            "true",
            "False",
            "yes",
            "",
            "\u3000",
        ]
    ),
)


def _outcome(fn: Any, text: str) -> tuple[str, Any]:
    try:
        return ("ok", repr(fn(text)))  # repr: nan is not equal to itself
    except Exception as exc:
        return ("error", type(exc))


@pytest.mark.parametrize("api", ["tca", "tapd"])
@given(text=TEXTS)
def test_every_string_parser_agrees_with_its_hook(api: str, text: str) -> None:
    converter = (make_converter if api == "tca" else tapd_converter)(detailed=False)
    assert isinstance(converter, SDKConverter)
    assert {datetime, date, float, bool} <= set(converter.str_parsers)
    for tp, parser in converter.str_parsers.items():
        hook = converter.get_structure_hook(tp)
        assert _outcome(parser.parse, text) == _outcome(lambda t, h=hook, tp=tp: h(t, tp), text)


def test_tapd_ids_are_parsed_once_per_string() -> None:
    converter = tapd_converter(detailed=False)
    assert converter.str_parsers[LinkId].memo
    assert converter.str_parsers[PipeIds].memo
    assert not converter.str_parsers[datetime].memo  # timestamps rarely repeat
    first = Structurer(converter).many(
        [{"id": "1", "workspace_id": "1", "iteration_id": "0", "children_id": "1|2"}] * 2, Story
    )
    assert first[0].iteration_id is None
    assert first[0].children_id == ("1", "2")
    assert first[0].children_id is first[1].children_id  # the remembered tuple


def test_gathered_keys_follow_each_payloads_own_layout() -> None:
    # Alternating layouts defeat the "same layout as the last item" shortcut: each
    # item must still get exactly its own custom fields.
    rows = [
        {"id": "1", "workspace_id": "1", "custom_field_one": "a"},
        {"id": "2", "workspace_id": "1", "custom_field_two": "b", "custom_field_one": "c"},
        {"id": "3", "workspace_id": "1"},
        {"id": "4", "workspace_id": "1", "custom_field_one": "d"},
    ]
    stories = Structurer(tapd_converter(detailed=False)).many(rows * 2, Story)
    assert [dict(s.custom_fields) for s in stories[:4]] == [
        {"custom_field_one": "a"},
        {"custom_field_two": "b", "custom_field_one": "c"},
        {},
        {"custom_field_one": "d"},
    ]
    assert [s.custom_fields for s in stories[4:]] == [s.custom_fields for s in stories[:4]]


def test_structured_models_are_ordinary_frozen_instances_of_the_model() -> None:
    # The generated function fills a private mutable subclass, then switches the class.
    full = {"id": "a", "n": 1, "text": "t", "count": "2", "flag": "1", "ratio": "0.5"}
    full |= {"tags": ["x"], "extra": {}, "when": "2025-06-16 14:42:59", "day": "2025-06-16"}
    for payload in ({"id": "a", "n": 1}, full):  # the sparse body and the dense one
        model = FAST.one(payload, Plain)
        assert type(model) is Plain
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            model.n = 2  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            del model.text  # type: ignore[misc]
        assert model == DETAILED.one(payload, Plain)
        assert pickle.loads(pickle.dumps(model)) == model  # noqa: S301 - our own bytes
        assert weakref.ref(model)() is model
        assert attrs.evolve(model, n=5).n == 5


def test_remembered_numbers_never_answer_for_another_string() -> None:
    # More distinct values than the memo keeps, each seen twice: every item must get
    # its own number, from a fresh parse or from the memo, across the memo's resets.
    rows = [{"id": "x", "n": str(i % 3000), "count": f"{i % 1500}"} for i in range(6000)]
    models = Structurer(make_converter(detailed=False)).many(rows, Plain)
    assert [(m.n, m.count) for m in models] == [(i % 3000, i % 1500) for i in range(6000)]
    # A string the digits rule refuses still goes to the hook, memo or not.
    signed = FAST.many([{"id": "x", "n": "-4", "count": " 7 "}] * 2, Plain)
    assert [(m.n, m.count) for m in signed] == [(-4, 7)] * 2


def test_remembered_strings_keep_the_empty_rule_and_never_remember_a_failure() -> None:
    structurer = Structurer.from_factory(make_converter)  # fresh memos
    rows = [
        {"id": "x", "n": 1, "ratio": r, "day": d, "flag": f}
        for r, d, f in [
            ("", "0000-00-00", ""),
            ("0", "2025-06-16", "0"),
            (" ", " 2025-06-16 ", "1"),
            ("1.5", "2025-06-16", "true"),
        ]
    ]
    twice = structurer.many(rows * 2, Plain)
    assert [(m.ratio, m.day, m.flag) for m in twice[:4]] == [
        (None, None, None),
        (0.0, date(2025, 6, 16), False),
        (None, date(2025, 6, 16), True),
        (1.5, date(2025, 6, 16), True),
    ]
    assert twice[4:] == twice[:4]  # the second time from the memo
    for bad in ({"ratio": "x"}, {"day": "2025-02-30"}, {"flag": "maybe"}):
        for _ in range(2):  # a failure is raised each time, not remembered as a value
            with pytest.raises(StructureError) as info:
                structurer.one({"id": "x", "n": 1, **bad}, Plain)
            assert info.value.path == f"$.{next(iter(bad))}"


def test_memos_keep_short_strings_only() -> None:
    # A server controls these strings: a memo must not keep long ones alive.
    converter = make_converter(detailed=False)
    structurer = Structurer(converter)
    padding = "x" * 10_000
    rows = [{"id": "x", "n": 1, "day": f"2025-06-{1 + i % 28:02d}{padding}"} for i in range(50)]
    rows += [{"id": "x", "n": 1, "count": f"{i}", "ratio": f"{i}.5"} for i in range(50)]
    models = structurer.many(rows, Plain)
    assert models[3].day == date(2025, 6, 4)
    assert (models[60].count, models[60].ratio) == (10, 10.5)
    build = converter.get_structure_hook(Plain)
    memos = [v for k, v in build.__globals__.items() if k.startswith("c") and isinstance(v, dict)]
    assert memos
    assert any(memos)  # the short strings were remembered…
    assert all(len(key) <= 64 for memo in memos for key in memo)  # …the long ones not


def test_models_that_run_code_when_subclassed_keep_cattrs_functions() -> None:
    seen: list[type] = []

    @define(frozen=True)
    class Registering(Model):
        n: int = 0

        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            seen.append(cls)

    @define(frozen=True, cache_hash=True)
    class Hashed(Model):
        n: int = 0

    converter = make_converter(detailed=False)
    assert model_builder(Registering, converter, EMPTY_VALUES, raw="raw") is None
    assert model_builder(Hashed, converter, EMPTY_VALUES, raw="raw") is None
    assert FAST.one({"n": "2"}, Registering).n == 2
    assert seen == []  # no private subclass was made
    hashed = FAST.one({"n": "2"}, Hashed)
    assert hash(hashed) == hash(Hashed(n=2))


def test_a_bad_item_in_a_list_is_named_by_its_index() -> None:
    rows = [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": "x"}]
    with pytest.raises(StructureError) as info:
        FAST.many(rows, Plain)
    assert info.value.path == "$[2].n"


STORY = {
    "id": "1110104801000000001",
    "workspace_id": "10104801",
    "name": "需求 1",
    "created": "2025-06-16 14:57:38",
    "modified": " 2025-06-17 14:58:38 ",
    "begin": "0000-00-00",
    "due": "2025-07-01",
    "owner": "alice;bob;",
    "priority": "4",
    "iteration_id": "0",
    "category_id": "-1",
    "children_id": "|",
    "effort": "1.5",
    "exceed": "",
    "is_archived": "0",
    "custom_field_one": "x",
    "custom_plan_field_1": "0",
    "unknown_key": [1, 2],
}


@given(keys=st.sets(st.sampled_from(sorted(STORY)), min_size=2))
def test_trimmed_and_full_payloads_structure_alike(keys: set[str]) -> None:
    # Payloads with fewer keys than the model has fields take the generated
    # function's get-based body, full ones its lookup-based body: both must agree
    # with cattrs' own (detailed) functions on every subset of a story.
    payload = {k: STORY[k] for k in STORY if k in keys | {"id", "workspace_id"}}
    padded = {**payload, **{f"extra_{i}": i for i in range(60)}}  # as many keys as a full one
    fast, slow = Structurer(tapd_converter(detailed=False)), Structurer(tapd_converter())
    for one in (payload, padded):
        assert attrs.asdict(fast.one(one, Story)) == attrs.asdict(slow.one(one, Story))


class _Hourly(tzinfo):
    """A zone that is not a ``datetime.timezone``."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=1)


@pytest.mark.parametrize(
    "zone",
    [CHINA_TZ, timezone.utc, timezone(-timedelta(hours=5, minutes=30)), _Hourly()],
)
def test_zone_less_timestamps_get_the_converters_zone_itself(zone: tzinfo) -> None:
    converter = make_converter(naive_tz=zone, detailed=False)
    parser = converter.str_parsers[datetime].parse
    hook = converter.get_structure_hook(datetime)
    for text in ("2025-06-16 14:42:59", "2025-06-16T14:42:59.123456", "2025-06-16"):
        parsed = parser(text)
        assert parsed == hook(text, datetime)
        assert parsed.tzinfo is zone
        assert parsed.fold == 0
        assert (parsed.year, parsed.month, parsed.day) == (2025, 6, 16)
    assert parser("2025-06-16 14:42:59.123456").microsecond == 123456
    assert parser("2025-06-16 14:42:59+01:00").tzinfo == timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    "text", ["0001-01-01 00:00:00", "0001-01-01 07:59:59", "9999-12-31 23:59:59"]
)
def test_timestamps_at_the_ends_of_the_calendar_read_as_the_hook_reads_them(text: str) -> None:
    # Year 1 before 08:00 has no UTC equivalent: the zone must be attached, not converted.
    converter = tapd_converter(detailed=False)
    parser = converter.str_parsers[datetime].parse
    hook = converter.get_structure_hook(datetime)
    assert parser(text) == hook(text, datetime)
    assert parser(text).tzinfo is CHINA_TZ
