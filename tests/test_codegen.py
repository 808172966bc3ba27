"""The generated fast structuring functions agree with cattrs' on every kind of value."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import attrs
import pytest
from attrs import define, field

from tca_tapd._codegen import model_builder
from tca_tapd._convert import EMPTY_VALUES, Model, Structurer, make_converter
from tca_tapd._enum import OpenIntEnum
from tca_tapd.errors import StructureError

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
    assert model_builder(Checked, converter, frozenset({"raw"}), EMPTY_VALUES) is None
    assert model_builder(Hooked, converter, frozenset({"raw"}), EMPTY_VALUES) is None
    assert model_builder(Plain, converter, frozenset({"raw"}), EMPTY_VALUES) is not None
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
