"""Generated structuring functions for models: the converter's fast path.

cattrs' generated functions call a hook for every field and build the instance
from a keyword dict. Payloads are dominated by fields that arrive already in
their final form (a ``str`` field holding a string, an ``int | None`` holding an
int or null), so the function generated here checks for that case inline, calls a
plain string parser for the next most common case (a string to turn into a
datetime, a float, an id), and calls the field's hook only otherwise; then it
stores each value on a fresh instance with a plain attribute store, ``raw``
included (see :func:`_filling_class`); fields the class fills on first read
(gathered dicts) are left unset. Behaviour is the hooks' behaviour: a parser is
registered only where it gives what the hook gives for the same string, and every
other value goes to the same hook cattrs would call.

Only plain models qualify (no attrs validators, converters, ``__attrs_post_init__``,
factories that take ``self``, ``cache_hash``, ``__init_subclass__`` or metaclass);
:func:`model_builder` returns ``None`` for others and the caller falls back to cattrs.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Callable, Collection, Mapping
from enum import Enum
from typing import Any

import attrs
import cattrs

__all__ = ["StrParser", "model_builder"]

_counter = itertools.count()

_MEMO_SIZE = 1024
"""Entries a memoising parser keeps per field before it starts afresh."""
_MEMO_KEY_LENGTH = 64
"""The longest string a memo keeps (ids, dates and numbers are far shorter)."""

_MISSING = object()


@attrs.frozen
class StrParser:
    """How a type is read from a string, for the generated fast path.

    ``parse(text)`` must return what the type's structure hook returns for the same
    string, or raise what it raises. ``memo``: remember results by string (only for
    immutable results of values that repeat across a page, like ids and ``"0"``).
    """

    parse: Callable[[str], Any]
    memo: bool = False


def _fast_lines(
    tp: Any, n: int, namespace: dict[str, Any], parsers: Mapping[Any, StrParser]
) -> list[str] | None:
    """Statements handling the common forms of ``v`` for type ``tp`` inline, ending in
    an ``else`` that calls a hook (``h{n}`` for the field's type, ``i{n}`` for the type
    inside an optional); ``None`` when there is nothing to inline. Names the lines
    use are added to ``namespace``: hooks, the string parser ``p{n}``, a memo ``c{n}``
    of strings already read (for ints, and for parsers registered with ``memo``), the
    members ``m{n}`` of an enum."""
    optional = False
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1 or len(typing.get_args(tp)) != 2:
            return None
        optional, tp = True, args[0]
    if isinstance(tp, type) and issubclass(tp, Enum) and issubclass(tp, int | str):
        # A known member by its exact value (an int for int enums, a str for str
        # enums: ``True`` would find member 1, and the hook refuses booleans).
        namespace[f"m{n}"] = tp._value2member_map_
        exact = "int" if issubclass(tp, int) else "str"
        lines = ["if v is None: pass"] if optional else []
        lines += [
            f"elif v.__class__ is {exact} and v in m{n}: v = m{n}[v]",
            f"else: v = h{n}(v, t{n})",
        ]
        lines[0] = lines[0].removeprefix("el")
        return lines
    parser = parsers.get(tp)
    if parser is not None:
        namespace[f"p{n}"] = parser.parse
    final = {str: "v.__class__ is str", int: "v.__class__ is int", bool: "v.__class__ is bool"}
    if tp in final:
        # "" is a value for text fields, so any string is final there.
        done = f"v is None or {final[tp]}" if optional else final[tp]
        if tp is int:
            # TAPD sends numbers as strings: plain ASCII digits convert here (and are
            # remembered: levels, counts and workspace ids repeat down a page), the
            # rest (signs, blanks, the spellings of empty) go to the hook.
            namespace[f"c{n}"] = {}
            convert = _memo_lines(n, f"int(v) if v.isascii() and v.isdigit() else h{n}(v, t{n})")
        elif parser is not None:
            convert = _parsed_lines(n, parser, namespace, optional)
        else:
            return [f"if {done}: pass", f"else: v = h{n}(v, t{n})"]
        return [
            f"if {done}: pass",
            "elif v.__class__ is str:",
            *_indent(convert),
            f"else: v = h{n}(v, t{n})",
        ]
    hook = f"i{n}(v, it{n})" if optional else f"h{n}(v, t{n})"
    if parser is not None:
        convert = _parsed_lines(n, parser, namespace, optional)
    elif optional:
        convert = [f"v = {_empty_or(hook)}"]
    else:
        return None
    first = (
        ["if v is None: pass", "elif v.__class__ is str:"]
        if optional
        else ["if v.__class__ is str:"]
    )
    return [*first, *_indent(convert), f"else: v = {hook}"]


def _empty_or(expression: str) -> str:
    """The optional hook's own rule, inline: the spellings of empty are ``None``
    (``strip`` returns the string itself when there is nothing to strip), any other
    string becomes ``expression``."""
    return f"None if v.strip() in _E else {expression}"


def _parsed_lines(
    n: int, parser: StrParser, namespace: dict[str, Any], optional: bool
) -> list[str]:
    """Statements setting ``v`` from the string ``v`` with the parser ``p{n}``
    (remembered in ``c{n}`` when the parser allows it)."""
    parse = _empty_or(f"p{n}(v)") if optional else f"p{n}(v)"
    if not parser.memo:
        return [f"v = {parse}"]
    namespace[f"c{n}"] = {}
    return _memo_lines(n, parse)


def _memo_lines(n: int, compute: str) -> list[str]:
    """Statements setting ``v`` from the memo ``c{n}``, evaluating ``compute`` on a miss.

    The memo keeps at most ``_MEMO_SIZE`` strings of at most ``_MEMO_KEY_LENGTH``
    characters each, so its size is bounded whatever a server sends; a string that
    fails to parse raises and is not remembered.
    """
    return [
        f"w = c{n}.get(v, _M)",
        "if w is _M:",
        f"    w = {compute}",
        f"    if len(v) <= {_MEMO_KEY_LENGTH}:",
        f"        if len(c{n}) >= {_MEMO_SIZE}: c{n}.clear()",
        f"        c{n}[v] = w",
        "v = w",
    ]


def _indent(lines: list[str]) -> list[str]:
    """``lines`` one level deeper."""
    return [f"    {line}" for line in lines]


def _filling_class(cls: type) -> type:
    """A private subclass of ``cls`` that accepts attribute stores, for filling a new
    instance before it becomes a ``cls``.

    A frozen class refuses ``obj.x = v``, and the ways around that (a slot's
    ``__set__``, ``object.__setattr__``) are calls costing about 100 ns per field,
    half the time of structuring a wide model. This subclass adds no slots and puts
    back ``object``'s ``__setattr__`` and ``__delattr__`` (CPython keeps one C slot
    for both: with either left Python-level, stores stay slow), so stores compile to
    the specialised slot store; when every field is set, ``obj.__class__ = cls``
    makes the instance an ordinary ``cls`` (the layouts are the same, so CPython
    allows the switch). No instance of this class ever leaves the generated
    function, but the class is visible in ``cls.__subclasses__()``.
    """
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        "__module__": __name__,
        "__qualname__": f"_Filling{cls.__name__}",
    }
    return type(f"_Filling{cls.__name__}", (cls,), namespace)


def _has_own_class_machinery(cls: type) -> bool:
    """Whether making a subclass of ``cls`` runs code of its own (``__init_subclass__``,
    a metaclass other than ``type``) or its instances need more than their fields
    (attrs' ``cache_hash`` slot): such models keep cattrs' functions."""
    if type(cls) is not type:
        return True
    own = any("__init_subclass__" in vars(klass) for klass in cls.__mro__[:-1])
    return own or any("_attrs_cached_hash" in vars(klass) for klass in cls.__mro__)


def model_builder(
    cls: type,
    converter: cattrs.Converter,
    empty: frozenset[str],
    *,
    raw: str | None = None,
    deferred: Collection[str] = (),
    parsers: Mapping[Any, StrParser] | None = None,
) -> Callable[[Any, Any], Any] | None:
    """A structure hook ``build(payload, type)`` for ``cls``, or ``None`` if ``cls``
    does not qualify.

    Args:
        cls: the attrs model class.
        converter: where the fields' hooks come from.
        empty: the string spellings of "no value" for optional non-text fields.
        raw: the field that receives the payload itself.
        deferred: fields left unset: the class fills them when first read (see
            :func:`tca_tapd._convert.gathered`).
        parsers: string parsers by type, for the fast path (:class:`StrParser`).

    A payload that is not a mapping raises ``TypeError``; a missing required key
    ``KeyError(name)``, as cattrs' functions do.
    """
    if getattr(cls, "__attrs_post_init__", None) is not None or _has_own_class_machinery(cls):
        return None
    parsers = parsers or {}
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_cls": cls,
        "_E": empty,
        "_M": _MISSING,
        "_Mapping": Mapping,
    }
    # Two bodies from one field list: ``dense`` reads each key with a bare lookup, which
    # costs nothing while keys are there; ``sparse`` asks ``get``, which does not raise,
    # for payloads with fewer keys than the model has fields (``fields=`` trimmed them):
    # a KeyError raised and caught per missing field would cost more than the rest.
    dense = [
        "def build(o, _t=None, _cls=_cls):",
        "    if o.__class__ is not dict and not isinstance(o, _Mapping):",
        "        raise TypeError(f'expected an object, got {type(o).__name__}')",
        "    if len(o) < _N: return _sparse(o)",
        "    obj = _new(_F)",
    ]
    sparse = ["def _sparse(o, _cls=_cls):", "    obj = _new(_F)"]
    read = 0
    for n, field in enumerate(attrs.fields(cls)):
        if field.validator is not None or field.converter is not None:
            return None
        name = field.name
        if name == raw:
            for lines in (dense, sparse):
                lines.append(f"    obj.{name} = o")
            continue
        if name in deferred:
            continue
        read += 1
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                return None
            namespace[f"f{n}"] = default.factory
            fallback = f"f{n}()"
        elif default is attrs.NOTHING:
            fallback = None
        else:
            namespace[f"d{n}"] = default
            fallback = f"d{n}"
        tp = hints[name]
        namespace[f"h{n}"] = converter.get_structure_hook(tp)
        namespace[f"t{n}"] = tp
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            namespace[f"i{n}"] = converter.get_structure_hook(inner[0])
            namespace[f"it{n}"] = inner[0]
        fast = _fast_lines(tp, n, namespace, parsers) or [f"v = h{n}(v, t{n})"]
        if fallback is None:  # a missing key raises KeyError(name), as cattrs' functions do
            for lines in (dense, sparse):
                lines += [f"    v = o[{name!r}]", *[f"    {line}" for line in fast]]
        else:  # defaults are never passed through the hook
            dense += [
                "    try:",
                f"        v = o[{name!r}]",
                "    except KeyError:",
                f"        v = {fallback}",
                "    else:",
                *[f"        {line}" for line in fast],
            ]
            sparse += [
                f"    v = o.get({name!r}, _M)",
                f"    if v is _M: v = {fallback}",
                "    else:",
                *[f"        {line}" for line in fast],
            ]
        for lines in (dense, sparse):
            lines.append(f"    obj.{name} = v")
    namespace["_N"] = read
    namespace["_F"] = _filling_class(cls)  # only once the model is known to qualify
    done = ["    obj.__class__ = _cls", "    return obj"]
    lines = [*sparse, *done, *dense, *done]
    source = "\n".join(lines)
    code = compile(
        source, f"<tca_tapd generated structure {cls.__qualname__} {next(_counter)}>", "exec"
    )
    exec(code, namespace)  # noqa: S102 - our own generated source
    return namespace["build"]  # type: ignore[no-any-return]
