"""The converter factory: every structuring hook of the SDK, registered in one place.

Each API gets its converter from :func:`make_converter`, which differs between them
only in data (the time zone assumed for zone-less datetimes). The hooks make the
quirks of both servers boring:

- datetimes in every spelling seen (``2021-05-14 02:34:44.509118+00:00``,
  ``…T…+08:00``, ``…Z``, TAPD's zone-less ``YYYY-MM-DD HH:MM:SS``) become aware;
- dates ``YYYY-MM-DD``;
- the spellings of empty (``""``, ``null``, ``0000-00-00``, ``0000-00-00 00:00:00``)
  become ``None`` for optional non-string fields (a string field keeps ``""``);
- numeric strings become ``int``/``float`` where the model says so;
- durations (``timedelta``) from ``"00:02:17.844712"``, ``"1 day, 0:00:03"`` or seconds;
- a field typed ``int | SomeModel`` takes an object as the model and anything else
  as the scalar (TCA sends ``repo`` as an id in lists and as an object in details);
- enums keep unknown values (:mod:`tca_tapd._enum`);
- unknown fields are ignored, and the whole dict the server sent stays on each
  model as ``model.raw`` (not in ``repr``, not compared), so nothing is lost.
"""

from __future__ import annotations

import inspect
import re
import threading
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import Enum, IntEnum
from typing import Any, ClassVar, TypeVar

import cattrs
from attrs import define, field
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from ._codegen import StrParser, model_builder
from ._enum import OpenIntEnum, OpenStrEnum
from .errors import StructureError

__all__ = [
    "CHINA_TZ",
    "EMPTY_VALUES",
    "Model",
    "SDKConverter",
    "Structurer",
    "gathered",
    "make_converter",
    "parse_date",
    "parse_datetime",
    "parse_duration",
]

T = TypeVar("T")

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact
# for every TAPD timestamp and needs no tz database on the user's machine.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

_GATHER_SHAPES = 64
"""How many payload key layouts a model remembers for gathering prefixed keys."""

EMPTY_VALUES = frozenset({"", "0000-00-00", "0000-00-00 00:00:00"})
"""String spellings that mean "no value" (besides ``null``)."""


class SDKConverter(cattrs.Converter):
    """A cattrs converter that also knows fast string parsers for some types.

    :meth:`register_str_parser` adds one; the generated model functions
    (:mod:`tca_tapd._codegen`) call it for string values of that type instead of the
    type's hook.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.str_parsers: dict[Any, StrParser] = {}

    def register_str_parser(
        self, tp: Any, parse: Callable[[str], Any], *, memo: bool = False
    ) -> None:
        """Read strings of type ``tp`` with ``parse``, which must return what the
        structure hook of ``tp`` returns for the same string (or raise as it does).
        ``memo``: remember results by string (immutable results of repeated values)."""
        self.str_parsers[tp] = StrParser(parse, memo)


def _gatherer(prefixes: tuple[str, ...]) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """A function returning ``{key: value}`` for a payload's keys that start with one
    of ``prefixes``.

    It remembers the keys by the payload's key layout: the items of one page share
    it, so each item costs a layout comparison instead of a scan of every key.
    """
    by_shape: dict[tuple[str, ...], tuple[str, ...]] = {}
    # The latest layout and its keys, as one tuple read and replaced whole (so threads
    # sharing the converter never pair one layout with another's keys).
    last: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((), ())]

    def gather(value: Mapping[str, Any]) -> dict[str, Any]:
        shape = tuple(value)
        last_shape, keys = last[0]
        if shape != last_shape:  # a page repeats one layout: no hashing
            found = by_shape.get(shape)
            if found is None:
                if len(by_shape) >= _GATHER_SHAPES:
                    by_shape.clear()  # bounded, whatever the server sends
                found = by_shape[shape] = tuple(
                    k for k in shape if isinstance(k, str) and k.startswith(prefixes)
                )
            keys = found
            last[0] = (shape, keys)
        return {k: value[k] for k in keys}

    return gather


@define(frozen=True)
class Model:
    """Base of every payload model: frozen, slotted, with the server's dict on ``raw``.

    A subclass may collect prefixed payload keys into dict fields with
    :func:`gathered` (TAPD's hundreds of ``custom_field_*`` keys).
    """

    __gathered__: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """``{field_name: (prefix, ...)}``, set by :func:`gathered`. A subclass may set its
    own: fields :func:`gathered` installed are still filled on first read, other
    fields it names are gathered while structuring."""

    raw: Mapping[str, Any] = field(factory=dict, repr=False, eq=False, kw_only=True)
    """Everything the server sent for this object, known fields or not (read-only:
    gathered fields are read from it when first asked for)."""


Gather = Callable[[Mapping[str, Any]], dict[str, Any]]
_GATHERERS: dict[tuple[str, ...], Gather] = {}


def _gatherer_for(prefixes: str | Iterable[str]) -> Gather:
    """The process's one :func:`_gatherer` for ``prefixes`` (its layout memory shared)."""
    # One prefix may come as a plain string, several as a list (a hand-set __gathered__).
    key = (prefixes,) if isinstance(prefixes, str) else tuple(prefixes)
    found = _GATHERERS.get(key)
    if found is None:
        found = _GATHERERS.setdefault(key, _gatherer(key))
    return found


class _GatheredField:
    """A gathered field's class attribute: the field's slot, filled on first read.

    The generated structuring function leaves the slot empty, and the first read
    gathers the keys from ``raw`` (the payload itself, read-only by contract) with
    the prefixes the instance's class names in ``__gathered__``, and stores the dict.
    Most crawls never read custom fields, and building the dict was about 40% of
    structuring a TAPD story. A read, ``==``, ``repr``, pickling, ``attrs.evolve`` and
    ``attrs.asdict`` all see that one dict (threads reading it first at once too); the
    constructor and every store go to the slot as before. Only this field's reads
    pass through here: a class-wide ``__getattr__`` would have made every field's read
    several times slower.
    """

    __slots__ = ("_name", "_slot")

    def __init__(self, slot: Any, name: str) -> None:
        self._slot = slot
        self._name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return self._slot.__get__(obj, owner)
        except AttributeError:
            return self._fill(obj)

    def _fill(self, obj: Any) -> Any:
        given = getattr(obj, "__dict__", {})
        if self._name in given:
            # A subclass without slots that declares the field again: attrs put the
            # constructor's value in the instance dict, which this descriptor shadows.
            value = given[self._name]
        else:
            prefixes = type(obj).__gathered__.get(self._name)
            value = _gatherer_for(prefixes)(obj.raw) if prefixes else {}
        with _FILLING:  # the first of several threads to get here stores its dict
            try:
                return self._slot.__get__(obj)
            except AttributeError:
                self._slot.__set__(obj, value)
                return value

    def __set__(self, obj: Any, value: Any) -> None:
        self._slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self._slot.__delete__(obj)


_FILLING = threading.Lock()


M = TypeVar("M", bound=Model)


def gathered(**fields: tuple[str, ...]) -> Callable[[type[M]], type[M]]:
    """Class decorator, placed above ``@define``: each named dict field receives every
    key of the payload that starts with one of its prefixes, with the value as sent
    (keys that are not strings are left out). Subclasses inherit the gathering; one
    may name other prefixes for an inherited field with ``@gathered`` again (or by
    setting ``__gathered__``).

    ::

        @gathered(custom_fields=("custom_field_",))
        @define(frozen=True)
        class Item(Model):
            custom_fields: Mapping[str, Any] = field(factory=dict)
    """

    def install(cls: type[M]) -> type[M]:
        for name in fields:
            if isinstance(inspect.getattr_static(cls, name, None), _GatheredField):
                continue  # inherited: the prefixes are read from the class's __gathered__
            slot = cls.__dict__.get(name)
            if not isinstance(slot, types.MemberDescriptorType):
                raise TypeError(f"{cls.__name__}.{name} is not a slotted field of this class")
            setattr(cls, name, _GatheredField(slot, name))
        cls.__gathered__ = {**cls.__gathered__, **fields}
        return cls

    return install


_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_datetime(value: str, naive_tz: tzinfo) -> datetime:
    """Parse the datetime spellings both APIs send; zone-less ones get ``naive_tz``."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        parsed = _parse_datetime_slow(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    return parsed


def _parse_datetime_slow(text: str) -> datetime:
    """The spellings ``fromisoformat`` rejects on older Pythons (odd fraction digits, ``+0800``)."""
    match = _DATETIME.match(text)
    if match is None:
        raise ValueError(f"not a datetime: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz: tzinfo | None = None
    if zone == "Z":
        tz = timezone.utc
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        tz = timezone(sign * offset)
    return datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
    )


# Python's "N day(s), HH:MM:SS" and DRF's DurationField "N HH:MM:SS" (a day or more).
_DURATION = re.compile(r"(?:(-?\d+)(?: days?,)? )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def parse_duration(value: str | float) -> timedelta:
    """``HH:MM:SS[.ffffff]`` (with an optional ``N day(s), `` or DRF's ``N `` prefix for
    days) or seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if not isinstance(value, str):
        raise TypeError(f"expected a duration, got {type(value).__name__}")
    text = value.strip()
    match = _DURATION.match(text)
    if match is None:
        return timedelta(seconds=float(text))
    days, hours, minutes, seconds = match.groups()
    return timedelta(
        days=int(days or 0), hours=int(hours), minutes=int(minutes), seconds=float(seconds)
    )


def parse_date(value: str) -> date:
    """Parse ``YYYY-MM-DD`` (a datetime string gives its date part)."""
    text = value.strip()
    return date.fromisoformat(text[:10])


def _is_optional(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


def _scalar_or_model(tp: Any) -> bool:
    """``int | Model`` or ``str | Model`` (optionally ``| None``)."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    args = [t for t in typing.get_args(tp) if t is not type(None)]
    return (
        len(args) == 2
        and sum(_is_model(t) for t in args) == 1
        and sum(t in (int, str) for t in args) == 1
    )


def _structure_enum(value: Any, tp: Any) -> Any:
    if isinstance(value, tp):
        return value
    if issubclass(tp, int):
        return tp(_structure_int(value))
    if issubclass(tp, str):
        return tp(_structure_str(value))
    return tp(value)


def _structure_int(value: Any, tp: Any = int) -> int:
    if type(value) is int and tp is int:  # the common case, first and cheap
        return value
    if tp is not int and issubclass(tp, Enum):
        return _structure_enum(value, tp)  # type: ignore[no-any-return]
    if isinstance(value, bool):
        raise TypeError("expected an integer, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected an integer, got {type(value).__name__}")


def _structure_float(value: Any, tp: Any = float) -> float:
    if type(value) is str and tp is float:  # TAPD's numbers; float() allows blanks around
        return float(value)
    if tp is not float and issubclass(tp, Enum):
        return _structure_enum(value, tp)  # type: ignore[no-any-return]
    if isinstance(value, bool):
        raise TypeError("expected a number, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(f"expected a number, got {type(value).__name__}")


_TRUE = frozenset({"1", "true", "True", "yes"})
_FALSE = frozenset({"0", "false", "False", "no", ""})
_BOOLEANS = _TRUE | _FALSE


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip() in _BOOLEANS:
        return value.strip() in _TRUE
    raise TypeError(f"expected a boolean, got {value!r}")


def _structure_str(value: Any, tp: Any = str) -> str:
    if type(value) is str and tp is str:  # the common case, first and cheap
        return value
    if tp is not str and issubclass(tp, Enum):
        # singledispatch picks ``str`` before ``Enum`` in the MRO of ``class E(str, Enum)``
        return _structure_enum(value, tp)  # type: ignore[no-any-return]
    if isinstance(value, str):
        return value
    # TAPD sends some ids as JSON numbers; a string field takes them as text.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


def make_converter(
    *,
    naive_tz: tzinfo = timezone.utc,
    register: Callable[[SDKConverter], None] | None = None,
    detailed: bool = True,
) -> cattrs.Converter:
    """Build a converter with every hook of the SDK registered.

    Args:
        naive_tz: the zone given to datetimes sent without one (UTC for TCA, whose
            servers always send an offset; Asia/Shanghai for TAPD, which never does).
        register: the API's own hooks (for types only that API sends), called last,
            so they may reach the general hooks through the converter.
        detailed: collect where a failure happened (slower); :class:`Structurer` uses
            a converter without it and asks a detailed one only to explain a failure.
    """
    conv = SDKConverter(detailed_validation=detailed, forbid_extra_keys=False)

    def structure_datetime(value: Any, _: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise TypeError(f"expected a datetime string, got {type(value).__name__}")
        return parse_datetime(value, naive_tz)

    def structure_date(value: Any, _: Any) -> date:
        if not isinstance(value, str):
            raise TypeError(f"expected a date string, got {type(value).__name__}")
        return parse_date(value)

    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(datetime, structure_datetime)
    conv.register_structure_hook(date, structure_date)
    fromisoformat = datetime.fromisoformat

    def datetime_from_str(value: str) -> datetime:
        # structure_datetime's result for a string, without its checks and copies
        # when fromisoformat takes the string as it is (no blanks to strip).
        try:
            parsed = fromisoformat(value)
        except ValueError:
            return structure_datetime(value, datetime)
        if parsed.tzinfo is not None:
            return parsed
        # parsed.replace(tzinfo=naive_tz) at under half the cost: the naive datetime's
        # pickle state (``__reduce__``; fromisoformat never sets ``fold``) given back to
        # the constructor with the zone, as unpickling does. replace parses keywords.
        return datetime(parsed.__reduce__()[1][0], naive_tz)  # type: ignore[arg-type, call-arg]

    # Remembered by string where values repeat down a page (dates, "0" for numbers,
    # flags); timestamps rarely repeat, so they are parsed each time.
    conv.register_str_parser(datetime, datetime_from_str)
    conv.register_str_parser(date, parse_date, memo=True)
    conv.register_str_parser(float, float, memo=True)  # _structure_float's rule for strings
    conv.register_str_parser(bool, lambda text: _structure_bool(text, bool), memo=True)
    conv.register_structure_hook(timedelta, lambda value, _: parse_duration(value))
    # Registered by class too: singledispatch would otherwise send an IntEnum (an int
    # subclass first in its MRO) to the int hook.
    for enum_base in (Enum, IntEnum, OpenIntEnum, OpenStrEnum):
        conv.register_structure_hook(enum_base, _structure_enum)

    def optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
        inner_types = [t for t in typing.get_args(tp) if t is not type(None)]
        inner: Any = inner_types[0] if len(inner_types) == 1 else typing.Union[tuple(inner_types)]  # noqa: UP007
        inner_hook = conv.get_structure_hook(inner)
        if inner is str:  # "" is a value for a text field, not "empty"

            def structure_optional_str(value: Any, _: Any) -> Any:
                if value is None or type(value) is str:
                    return value
                return inner_hook(value, inner)

            return structure_optional_str

        def structure_optional(value: Any, _: Any) -> Any:
            # Generated model functions inline this rule (tca_tapd._codegen).
            if value is None:
                return None
            # ``strip`` returns the string itself when there is nothing to strip.
            if type(value) is str and value.strip() in EMPTY_VALUES:
                return None
            return inner_hook(value, inner)

        return structure_optional

    def model_factory(tp: Any) -> Callable[[Any, Any], Any]:
        gatherers = {name: _gatherer_for(prefixes) for name, prefixes in tp.__gathered__.items()}
        # The generated function leaves gathered fields for their first read, which only
        # a field whose descriptor @gathered installed can fill (not one a hand-set
        # __gathered__ adds): otherwise cattrs' function gathers them while structuring.
        deferrable = all(
            isinstance(inspect.getattr_static(tp, name, None), _GatheredField) for name in gatherers
        )
        fast = (
            None
            if detailed or not deferrable
            else model_builder(
                tp, conv, EMPTY_VALUES, raw="raw", deferred=gatherers, parsers=conv.str_parsers
            )
        )
        if fast is not None:
            return fast
        omitted = {name: override(omit=True) for name in ("raw", *gatherers)}
        build = make_dict_structure_fn(tp, conv, **omitted)  # type: ignore[arg-type]

        def structure_model(value: Any, _: Any) -> Any:
            if type(value) is not dict and not isinstance(value, Mapping):
                raise TypeError(f"expected an object, got {type(value).__name__}")
            obj = build(value, tp)
            # Omitted fields are not constructor arguments of the generated function;
            # attrs' own __init__ sets frozen fields the same way.
            object.__setattr__(obj, "raw", value)
            for name, gather in gatherers.items():
                object.__setattr__(obj, name, gather(value))
            return obj

        return structure_model

    def scalar_or_model_factory(tp: Any) -> Callable[[Any, Any], Any]:
        args = [t for t in typing.get_args(tp) if t is not type(None)]
        model = next(t for t in args if _is_model(t))
        scalar = next(t for t in args if not _is_model(t))
        model_hook, scalar_hook = conv.get_structure_hook(model), conv.get_structure_hook(scalar)
        optional = type(None) in typing.get_args(tp)

        def structure_scalar_or_model(value: Any, _: Any) -> Any:
            if value is None and optional:
                return None
            if isinstance(value, Mapping):
                return model_hook(value, model)
            return scalar_hook(value, scalar)

        return structure_scalar_or_model

    # After the optional factory: cattrs tries the latest registration first.
    conv.register_structure_hook_factory(_is_optional, optional_factory)
    conv.register_structure_hook_factory(_scalar_or_model, scalar_or_model_factory)
    conv.register_structure_hook_factory(_is_model, model_factory)
    if register is not None:
        register(conv)
    return conv


class Structurer:
    """Structures payloads; failures become :class:`StructureError` naming the field.

    Args:
        converter: the converter that structures (fast when built with
            ``detailed=False``).
        explainer: a converter built with ``detailed=True``, asked only after a
            failure, to find the path of the offending field. Default: ``converter``.
    """

    def __init__(
        self, converter: cattrs.Converter, explainer: cattrs.Converter | None = None
    ) -> None:
        self.converter = converter
        self.explainer = explainer or converter

    @classmethod
    def from_factory(cls, factory: Callable[..., cattrs.Converter]) -> Structurer:
        """A fast converter and a detailed explainer from the same factory
        (:func:`make_converter` or an API's wrapper of it taking ``detailed=``)."""
        return cls(factory(detailed=False), factory(detailed=True))

    @classmethod
    def shared(cls, factory: Callable[..., cattrs.Converter]) -> Structurer:
        """The process's one :meth:`from_factory` structurer for ``factory``.

        Converters hold no per-client state, and generating a model's function costs
        about a millisecond: clients share them instead of each paying it again.
        """
        found = _SHARED.get(factory)
        if found is None:
            found = _SHARED.setdefault(factory, cls.from_factory(factory))
        return found

    def one(self, data: Any, cls: type[T]) -> T:
        """Structure one object."""
        try:
            return self.converter.structure(data, cls)
        except Exception as exc:
            raise self._explain(exc, data, cls, "$") from None

    def many(self, items: Any, cls: type[T]) -> list[T]:
        """Structure a list of objects; an error names the index of the bad item."""
        if not isinstance(items, list):
            raise StructureError(
                model=f"list[{cls.__name__}]", path="$", value=items, reason="expected a list"
            )
        hook = self.converter.get_structure_hook(cls)
        out: list[T] = []
        try:  # around the loop, not each item
            for item in items:
                out.append(hook(item, cls))
        except Exception as exc:
            index = len(out)  # the bad item is the first not structured
            raise self._explain(exc, items[index], cls, f"$[{index}]") from None
        return out

    def _explain(self, exc: Exception, data: Any, cls: type, path: str) -> StructureError:
        """The error for a failure, located by the detailed converter when there is one."""
        if self.explainer is not self.converter:
            try:
                self.explainer.structure(data, cls)
            except Exception as detailed:
                exc = detailed
        return _structure_error(exc, cls, path, data)


_SHARED: dict[Callable[..., cattrs.Converter], Structurer] = {}
"""Structurer.shared's structurers, by factory (module-level functions: a handful)."""


def _structure_error(exc: Exception, cls: type, path: str, value: Any) -> StructureError:
    leaf_path, leaf_value, leaf = _leaf(exc, path, value)
    if isinstance(leaf, KeyError):
        reason = "required field is missing"
    else:
        reason = f"{type(leaf).__name__}: {leaf}" if str(leaf) else type(leaf).__name__
    return StructureError(model=cls.__name__, path=leaf_path, value=leaf_value, reason=reason)


def _leaf(exc: BaseException, path: str, value: Any) -> tuple[str, Any, BaseException]:
    """Follow cattrs' nested validation errors down to the first failing value."""
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        if with_notes:
            sub, note = with_notes[0]
            child = value.get(note.name) if isinstance(value, Mapping) else None
            return _leaf(sub, f"{path}.{note.name}", child)
        if others:
            return _leaf(others[0], path, value)
    if isinstance(exc, IterableValidationError):
        with_index, others = exc.group_exceptions()
        if with_index:
            sub, inote = with_index[0]
            try:
                child = value[inote.index]
            except (KeyError, IndexError, TypeError):
                child = None
            return _leaf(sub, f"{path}[{inote.index!r}]", child)
        if others:
            return _leaf(others[0], path, value)
    return path, value, exc
