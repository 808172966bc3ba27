"""Hardening: fuzzed decoding and structuring.

Hypothesis builds envelopes and payloads for every model of both APIs: mostly the
right shape, with wrong types, missing keys, huge numbers, odd unicode, deep nesting
and every spelling of empty mixed in. Decoding (the pure envelope decoders on a
``RawResponse``) and structuring (the production path: ``Structurer.from_factory``
with ``make_converter`` / ``tapd_converter``) give a value, an ``APIError`` for an
error answer, a ``DecodeError`` or a ``StructureError``, and never any other exception.
"""

from __future__ import annotations

import enum
import json
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tca_tapd.tapd.models
import tca_tapd.tca.analysis_models
import tca_tapd.tca.models
from tca_tapd import _json
from tca_tapd._convert import Model, Structurer, make_converter
from tca_tapd._envelope import Expect, RawResponse
from tca_tapd._ratelimit import TokenBucket
from tca_tapd._validate import check_id
from tca_tapd.errors import APIError, DecodeError, StructureError
from tca_tapd.tapd._envelope import decode_tapd, parse_rate_limit
from tca_tapd.tapd._types import tapd_converter
from tca_tapd.tca._envelope import decode_tca
from tca_tapd.testing import FakeClock

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


MODELS = sorted(
    {
        cls
        for cls in _subclasses(Model)
        if cls.__module__.startswith(("tca_tapd.tca.", "tca_tapd.tapd."))
    },
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)
STRUCTURERS = {
    "tca": Structurer.from_factory(make_converter),
    "tapd": Structurer.from_factory(tapd_converter),
}
# Kept alive for the modules imported only for their models.
_MODULES = (tca_tapd.tca.models, tca_tapd.tca.analysis_models, tca_tapd.tapd.models)


def api_of(cls: type) -> str:
    return "tca" if cls.__module__.startswith("tca_tapd.tca.") else "tapd"


def nested(depth: int, leaf: Any = None) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


# -- junk: anything JSON (or a lenient JSON decoder) can produce -----------------------------

EMPTIES = st.sampled_from(
    [None, "", " ", "\t\n", "0", 0, 0.0, False, [], {}, "null", "None", "NULL", "[]", "{}",
     "0000-00-00", "0000-00-00 00:00:00", "--", "-", "\u3000", "\u200b"]
)  # fmt: skip
ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["\ud800", "\udfff", "\x00", "\ufeff", "e\u0301", "𝟙𝟚", "²", "١٢٣", "٣", "𝓍", "\u202e",
         "9" * 5000, "-" + "9" * 5000, "1e400", "-1e400", "NaN", "Infinity", "0x1F", "1_000",
         " 42 ", "+7", "-0", "2024-13-45 25:61:61", "2024-02-30", "9999-12-31 23:59:59",
         "0001-01-01", "99999-01-01", "2024-01-01T00:00:00+99:00", "P1D", "ticket过期"]
    ),
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
)
DEEP = st.integers(min_value=1, max_value=1100).map(nested)
SCALARS = st.one_of(EMPTIES, ODD_TEXT, NUMBERS, st.booleans())
JUNK = st.one_of(
    SCALARS,
    DEEP,
    st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    ),
)


# -- plausible values for a field type, with junk mixed in -----------------------------------


def plausible(tp: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of roughly the right shape for ``tp`` (as the server would send them)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or depth > 3:
        return JUNK
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(plausible(a, depth) for a in args))
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([m.value for m in tp])
    if isinstance(tp, type) and attrs.has(tp) and issubclass(tp, Model):
        return payloads(tp, depth + 1)
    if tp is bool:
        return st.one_of(st.booleans(), st.sampled_from(["0", "1", 0, 1, "true", "false"]))
    if tp is int:
        return st.one_of(st.integers(-(10**6), 10**12), st.integers(0, 10**12).map(str))
    if tp is float:
        return st.one_of(st.floats(allow_nan=False), st.integers().map(str))
    if tp is datetime:
        return st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
    if tp is date:
        return st.dates().map(str)
    if tp is timedelta:
        return st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False))
    if origin is tuple or origin is list:
        item = args[0] if args else Any
        return st.lists(plausible(item, depth + 1), max_size=3)
    if origin is not None and issubclass(origin, Mapping):
        value = args[1] if len(args) == 2 else Any
        return st.dictionaries(st.text(max_size=10), plausible(value, depth + 1), max_size=3)
    return st.one_of(st.text(max_size=20), JUNK)  # str and the TAPD quirk types


def payloads(cls: type, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A dict for ``cls``: every key optional, each value plausible or junk; extra keys."""
    hints = typing.get_type_hints(cls)
    fields = {
        f.name: st.one_of(plausible(hints[f.name], depth), JUNK) if depth < 3 else JUNK
        for f in attrs.fields(cls)
        if f.name != "raw"
    }
    gathered = getattr(cls, "__gathered__", {})
    extra_keys = [
        f"{prefix}{n}" for prefixes in gathered.values() for prefix in prefixes for n in "12"
    ]
    extra = st.dictionaries(st.sampled_from([*extra_keys, "unknown", "raw"]), JUNK, max_size=3)
    return st.builds(
        lambda known, more: {**known, **more},
        st.fixed_dictionaries({}, optional=fields),
        extra,
    )


def any_payload(cls: type) -> st.SearchStrategy[Any]:
    """Mostly a dict for ``cls``; sometimes not a dict at all."""
    return st.one_of(payloads(cls), payloads(cls), payloads(cls), JUNK)


def structure(cls: type, data: Any) -> None:
    """Structure ``data``: a model or a StructureError, nothing else."""
    structurer = STRUCTURERS[api_of(cls)]
    try:
        model = structurer.one(data, cls)
    except StructureError as exc:
        str(exc), repr(exc)  # showing the error must not fail either
        return
    assert isinstance(model, cls)
    repr(model)  # nor showing the model


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_structuring_any_payload_gives_a_model_or_a_structure_error(cls: type) -> None:
    @FUZZ
    @given(data=any_payload(cls))
    def check(data: Any) -> None:
        structure(cls, data)

    check()


def test_every_model_of_both_apis_is_fuzzed() -> None:
    exported = {
        value
        for module in _MODULES
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Model) and value is not Model
    }
    assert exported <= set(MODELS)
    assert {api_of(cls) for cls in MODELS} == {"tca", "tapd"}
    assert len(MODELS) >= 75


@pytest.mark.parametrize("api", ["tca", "tapd"])
def test_structuring_lists_gives_models_or_a_structure_error(api: str) -> None:
    models = [cls for cls in MODELS if api_of(cls) == api]

    @FUZZ
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        cls = data.draw(st.sampled_from(models))
        items = data.draw(st.one_of(st.lists(any_payload(cls), max_size=4), JUNK))
        try:
            got = STRUCTURERS[api].many(items, cls)
        except StructureError as exc:
            str(exc)
            return
        assert all(isinstance(item, cls) for item in got)

    check()


# -- envelopes -----------------------------------------------------------------------------

STATUSES = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502,
                            503, 504, 599, 600, 999, 100, 0])  # fmt: skip
EXPECTS: st.SearchStrategy[Expect] = st.sampled_from([None, list, dict, (list, dict), str, bool])
HEADER_TEXT = st.one_of(
    ODD_TEXT.map(lambda t: t.encode("utf-8", "replace").decode("latin-1")),
    st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 99999 23:59:59 GMT",
                     "Mon, 01 Jan 0001 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 +9999", "120",
                     "-5", "1e308", "inf", "²", "\xb2", "9" * 5000]),
)  # fmt: skip
HEADERS = st.dictionaries(
    st.sampled_from(["retry-after", "content-type", "x-request-id", "x-ratelimit-limit",
                     "x-ratelimit-remaining", "www-authenticate"]),
    HEADER_TEXT,
    max_size=4,
)  # fmt: skip
RATE_INFO = st.sampled_from(
    ["To many requests, api account X max request rates is 6000req/10min", "0req/min",
     "9" * 5000 + "req/min", "1req/" + "9" * 5000 + "min", "²req/min", "5req/²min",
     "٣req/min", "The access token provided is invalid", "ticket过期", ""]
)  # fmt: skip


def tca_envelopes() -> st.SearchStrategy[Any]:
    code = st.one_of(st.just(0), st.just("0"), st.just(-3), st.just("-3"), SCALARS)
    invalid = st.lists(
        st.one_of(st.fixed_dictionaries({"field": JUNK, "message": JUNK}), JUNK), max_size=3
    )
    return st.fixed_dictionaries(
        {},
        optional={"data": JUNK, "code": code, "msg": st.one_of(RATE_INFO, JUNK),
                  "status_code": JUNK, "detail": JUNK, "invalid_fields": invalid},
    )  # fmt: skip


def tapd_envelopes() -> st.SearchStrategy[Any]:
    status = st.one_of(st.just(1), st.just("1"), st.sampled_from([401, 404, 422, 429]), SCALARS)
    return st.fixed_dictionaries(
        {},
        optional={"status": status, "data": JUNK, "info": st.one_of(RATE_INFO, JUNK),
                  "meta": st.one_of(st.fixed_dictionaries({"request_id": JUNK}), JUNK)},
    )  # fmt: skip


def dumps(value: Any) -> bytes:
    """JSON text for ``value`` (NaN, huge and deep values included: the stdlib writes them)."""
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


def bodies(envelopes: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        envelopes.map(dumps),
        envelopes.map(dumps).map(lambda b: b[: len(b) // 2]),  # truncated
        JUNK.map(dumps),
        st.binary(max_size=64),
        st.sampled_from([b"", b"<html><title>502 Bad Gateway</title></html>", b"\xff\xfe{",
                         b"[" * 5000, b'{"data":' * 1100, b"\xef\xbb\xbf{}"]),
    )  # fmt: skip


def decode_and_structure(
    decoder: Callable[[RawResponse, Expect], Any], api: str, draw: Any
) -> None:
    response = RawResponse(
        status_code=draw(STATUSES),
        content=draw(bodies(tca_envelopes() if api == "tca" else tapd_envelopes())),
        headers=draw(HEADERS),
        method=draw(st.sampled_from(["GET", "POST"])),
        url="http://api.test/x",
        received_at=draw(st.sampled_from([0.0, 1_700_000_000.0, 1e18])),
    )
    try:
        payload = decoder(response, draw(EXPECTS))
    except (APIError, DecodeError) as exc:
        str(exc), repr(exc)
        return
    cls = draw(st.sampled_from([cls for cls in MODELS if api_of(cls) == api]))
    structure(cls, payload)


@pytest.mark.parametrize("api", ["tca", "tapd"])
@pytest.mark.parametrize("json_library", ["orjson", "stdlib"])
def test_decoding_any_answer_gives_a_payload_or_a_typed_error(
    api: str, json_library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if json_library == "stdlib":
        monkeypatch.setattr(_json, "_orjson", None)
    decoder = decode_tca if api == "tca" else decode_tapd

    @settings(FUZZ, max_examples=150)
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        decode_and_structure(decoder, api, data.draw)

    check()


# -- the bugs the fuzzing found, pinned -------------------------------------------------------


@pytest.mark.parametrize("json_library", ["orjson", "stdlib"])
def test_json_nested_deeper_than_the_decoder_follows_is_a_decode_error(
    json_library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stdlib decoder ran out of stack (RecursionError escaped decoding).
    if json_library == "stdlib":
        monkeypatch.setattr(_json, "_orjson", None)
    body = b'{"data":' * 100_000 + b"1" + b"}" * 100_000
    for decoder in (decode_tca, decode_tapd):
        with pytest.raises(DecodeError, match="malformed JSON"):
            decoder(RawResponse(200, body), None)


def test_a_deeply_nested_value_is_shown_in_a_structure_error() -> None:
    # repr() of a value ~1000 levels deep (which orjson decodes) raised RecursionError.
    deep = _json.loads(b"[" * 1000 + b"]" * 1000)
    for api, cls in (("tca", tca_tapd.tca.models.Creator), ("tapd", tca_tapd.tapd.models.Story)):
        with pytest.raises(StructureError) as info:
            STRUCTURERS[api].one({"username": deep, "id": deep, "name": deep}, cls)
        assert "[[[" in str(info.value)
        assert len(str(info.value)) < 400
    assert sys.getrecursionlimit() >= 1000


@pytest.mark.parametrize("spelling", ["9" * 5000, "²", "-" + "9" * 5000])
def test_codes_and_statuses_int_refuses_stay_as_sent(spelling: str) -> None:
    # int() refuses both (over 4300 digits; a digit that is not decimal), and the bare
    # ValueError escaped the decoders.
    for status in (200, 400):
        with pytest.raises(APIError) as info:
            decode_tca(RawResponse(status, dumps({"data": 1, "code": spelling})), None)
        assert info.value.api_code == spelling
    with pytest.raises(APIError) as tapd_info:
        decode_tapd(RawResponse(200, dumps({"status": spelling, "data": 1})), None)
    assert tapd_info.value.api_code == spelling


@pytest.mark.parametrize(
    "info", ["9" * 5000 + "req/min", "1req/" + "9" * 5000 + "min", "²req/min", "5req/²min"]
)
def test_a_rate_limit_stated_in_digits_int_refuses_is_no_limit(info: str) -> None:
    assert parse_rate_limit(info) is None
    with pytest.raises(APIError) as caught:
        decode_tapd(RawResponse(429, dumps({"status": 429, "info": info})), None)
    assert getattr(caught.value, "limit", "?") is None


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_rate_limit_headers_int_refuses_are_ignored(value: str) -> None:
    bucket = TokenBucket(tca_tapd.RateLimit(10, 1.0), clock=FakeClock())
    bucket.observe(200, {"x-ratelimit-limit": value, "x-ratelimit-remaining": value})
    assert bucket.server_limit is None
    assert bucket.server_remaining is None


@pytest.mark.parametrize("value", ["²", "9" * 5000])
def test_an_id_int_refuses_is_refused_naming_the_argument(value: str) -> None:
    with pytest.raises(ValueError, match="repo_id must be a positive id"):
        check_id("repo_id", value)
