"""Generated structuring functions for models: the converter's fast path.

cattrs' generated functions call a hook for every field and build the instance
from a keyword dict. Payloads are dominated by fields that arrive already in
their final form (a ``str`` field holding a string, an ``int | None`` holding an
int or null), so the function generated here checks for that case inline and
calls the field's hook only otherwise, then fills the slots of a fresh instance
directly. Behaviour is the hooks' behaviour: for any value that is not already in
final form, the same hook cattrs would call decides.

Only plain models qualify (no attrs validators, converters, ``__attrs_post_init__``
or factories that take ``self``); :func:`model_builder` returns ``None`` for others
and the caller falls back to cattrs.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

import attrs
import cattrs

__all__ = ["model_builder"]

_counter = itertools.count()


def _fast_lines(tp: Any, n: int, namespace: dict[str, Any]) -> list[str] | None:
    """Statements handling the common forms of ``v`` for type ``tp`` inline, ending in
    an ``else`` that calls a hook (``h{n}`` for the field's type, ``i{n}`` for the type
    inside an optional); ``None`` when there is nothing to inline. Names the lines
    use are added to ``namespace``."""
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
    final = {str: "v.__class__ is str", int: "v.__class__ is int", bool: "v.__class__ is bool"}
    if tp not in final:
        if not optional:
            return None
        # The optional hook's own rule, inline: null and the spellings of empty are
        # None, anything else goes straight to the inner type's hook.
        return [
            "if v is None: pass",
            "elif v.__class__ is str and (v in _E or ((v[:1].isspace() or v[-1:].isspace())"
            " and v.strip() in _E)): v = None",
            f"else: v = i{n}(v, it{n})",
        ]
    # "" is a value for text fields, so any string is final there.
    done = f"v is None or {final[tp]}" if optional else final[tp]
    lines = [f"if {done}: pass"]
    if tp is int:
        # TAPD sends numbers as strings: plain ASCII digits convert here, the rest
        # (signs, blanks, the spellings of empty) go to the hook.
        lines.append("elif v.__class__ is str and v.isascii() and v.isdigit(): v = int(v)")
    lines.append(f"else: v = h{n}(v, t{n})")
    return lines


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The fastest way to fill ``name`` on a new instance: its slot's descriptor when
    the class has slots (a frozen class's ``__setattr__`` refuses), else
    ``object.__setattr__``."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if isinstance(slot, types.MemberDescriptorType):
            return slot.__set__
    return lambda obj, value: object.__setattr__(obj, name, value)


def model_builder(
    cls: type, converter: cattrs.Converter, omit: frozenset[str], empty: frozenset[str]
) -> Callable[[Mapping[str, Any]], Any] | None:
    """A function building ``cls`` from a payload mapping, or ``None`` if ``cls`` does
    not qualify. Fields named in ``omit`` get their defaults (the caller sets them);
    ``empty`` holds the string spellings of "no value" for optional non-text fields."""
    if getattr(cls, "__attrs_post_init__", None) is not None:
        return None
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_E": empty}
    lines = ["def build(o, _cls=_cls):", "    obj = _new(_cls)"]
    for n, field in enumerate(attrs.fields(cls)):
        if field.validator is not None or field.converter is not None:
            return None
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
        name = field.name
        namespace[f"s{n}"] = _slot_setter(cls, name)
        if name in omit:
            if fallback is None:
                return None
            lines.append(f"    s{n}(obj, {fallback})")
            continue
        tp = hints[name]
        namespace[f"h{n}"] = converter.get_structure_hook(tp)
        namespace[f"t{n}"] = tp
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) == 1:
            namespace[f"i{n}"] = converter.get_structure_hook(inner[0])
            namespace[f"it{n}"] = inner[0]
        fast = [f"    {line}" for line in _fast_lines(tp, n, namespace) or [f"v = h{n}(v, t{n})"]]
        if fallback is None:  # a missing key raises KeyError(name), as cattrs' functions do
            lines += [f"    v = o[{name!r}]", *fast]
        else:  # defaults are never passed through the hook
            lines += [
                "    try:",
                f"        v = o[{name!r}]",
                "    except KeyError:",
                f"        v = {fallback}",
                "    else:",
                *[f"    {line}" for line in fast],
            ]
        lines.append(f"    s{n}(obj, v)")
    lines.append("    return obj")
    source = "\n".join(lines)
    code = compile(
        source, f"<tca_tapd generated structure {cls.__qualname__} {next(_counter)}>", "exec"
    )
    exec(code, namespace)  # noqa: S102 - our own generated source
    return namespace["build"]  # type: ignore[no-any-return]
