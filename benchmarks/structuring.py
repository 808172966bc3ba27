"""2. Structuring cost: one page of 200 TAPD stories, bytes in, typed objects out.

The SDK (orjson + its cattrs converter, into ``Story``) against pydantic v2
(``model_validate_json`` on a model with the same fields and the same lenient
conversions, built from the SDK's own field list so the two cannot drift) and
msgspec (a Struct with the same field names, strings kept as sent: msgspec's
speed limit, not an equivalent model). orjson alone is the floor.
"""

from __future__ import annotations

import datetime as dt
import timeit
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Optional

import attrs
import msgspec
import orjson
import pydantic
from pydantic import BeforeValidator

from tca_tapd import TAPDClient
from tca_tapd.tapd import Story
from tca_tapd.testing import FakeTAPD

from ._common import TAPD_AUTH, WORKSPACE, Section, verdict

EMPTY = (None, "", "0000-00-00", "0000-00-00 00:00:00")


def _empty_to_none(value: Any) -> Any:
    return None if value in EMPTY else value


def _pydantic_type(tp: Any) -> Any:
    """The pydantic annotation for one of Story's field types."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    inner = args[0] if typing.get_origin(tp) in (typing.Union, types.UnionType) else tp
    if inner in (int, float, dt.datetime, dt.date, bool):
        return Annotated[Optional[inner], BeforeValidator(_empty_to_none)]  # noqa: UP045
    if typing.get_origin(inner) is tuple:
        return Optional[Any]  # noqa: UP045
    return Optional[str]  # noqa: UP045


def pydantic_page_model() -> type[pydantic.BaseModel]:
    """``{"status", "data": [{"Story": ...}], "info"}`` with Story's fields."""
    hints = typing.get_type_hints(Story)
    fields: dict[str, Any] = {
        a.name: (_pydantic_type(hints[a.name]), None)
        for a in attrs.fields(Story)
        if a.name not in ("raw", "custom_fields")
    }
    config = pydantic.ConfigDict(extra="allow", coerce_numbers_to_str=True)
    story = pydantic.create_model("PStory", __config__=config, **fields)
    wrap = pydantic.create_model("PWrap", Story=(story, ...))
    return pydantic.create_model(
        "PEnvelope", status=(int, ...), data=(list[wrap], ...), info=(str, ...)
    )  # type: ignore[valid-type]


def msgspec_decoder() -> msgspec.json.Decoder[Any]:
    """Story's field names as optional strings/anything."""
    names = [a.name for a in attrs.fields(Story) if a.name not in ("raw", "custom_fields")]
    story = msgspec.defstruct("MStory", [(n, Any, None) for n in names])
    wrap = msgspec.defstruct("MWrap", [("Story", story)])
    envelope = msgspec.defstruct(
        "MEnvelope", [("status", int), ("data", list[wrap]), ("info", str)]
    )  # type: ignore[valid-type]
    return msgspec.json.Decoder(envelope)


def page_bytes(stories: int = 200) -> bytes:
    """A page as the fake TAPD serves it."""
    fake = FakeTAPD(stories=stories, workspaces=[WORKSPACE])
    return orjson.dumps(
        {"status": 1, "data": [{"Story": s} for s in fake.stories[WORKSPACE]], "info": "success"}
    )


def candidates(page: bytes) -> dict[str, Callable[[], Any]]:
    """Each way of decoding the page, ready to time."""
    structurer = TAPDClient(TAPD_AUTH, base_url="http://tapd.test", rate_limit=None)._structurer
    pmodel = pydantic_page_model()
    decoder = msgspec_decoder()

    def sdk() -> Any:
        data = orjson.loads(page)["data"]
        return structurer.many([entry["Story"] for entry in data], Story)

    return {
        "orjson alone (dicts)": lambda: orjson.loads(page),
        "msgspec (strings as sent)": lambda: decoder.decode(page),
        "pydantic v2": lambda: pmodel.model_validate_json(page),
        "SDK (orjson + cattrs)": sdk,
    }


def run(smoke: bool) -> Section:
    """Measure and report."""
    page = page_bytes()
    ways = candidates(page)
    assert len(ways["SDK (orjson + cattrs)"]()) == 200
    assert len(ways["pydantic v2"]().data) == 200
    number = 3 if smoke else 50
    millis = {
        name: min(timeit.repeat(fn, number=number, repeat=3 if smoke else 7)) / number * 1000
        for name, fn in ways.items()
    }
    section = Section(
        title="2. Structuring one page of 200 TAPD stories",
        intro=f"{len(page) // 1024} KB of JSON; best of several repeats; ms per page.",
        header=("decoder", "ms per page", "÷ pydantic v2"),
    )
    for name, value in millis.items():
        section.rows.append((name, f"{value:.2f}", f"{value / millis['pydantic v2']:.2f}×"))
    ratio = millis["SDK (orjson + cattrs)"] / millis["pydantic v2"]
    section.verdicts.append(verdict("SDK time ÷ pydantic v2 time", ratio, "≤ 1.0", ratio <= 1.0))
    return section
