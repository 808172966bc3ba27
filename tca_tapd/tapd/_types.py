"""Field types for TAPD's quirky values, and their structuring hooks.

Each type names one quirk of TAPD.md §5 so that models say what they expect:

- :data:`LinkId`: an id where ``"0"`` means "not linked" and ``"-1"`` "no category"
  (``iteration_id``, ``parent_id``, ``release_id``, ``category_id``, ``story_id``);
  both become ``None``, as do the other spellings of empty;
- :data:`PipeIds`: ``children_id`` as a tuple: ``"|"`` (no children) is ``()``;
- :data:`Options`: candidate values, sent as ``{key: label}`` when there are some
  and as ``[]`` when there are none; always a mapping here (a tree of cascade
  options is not a mapping, and stays on ``raw``);
- :data:`ObjectMap`: an object sent as ``[]`` when empty (PHP's empty array);
- :data:`JsonText`: a JSON document sent inside a string (custom-field ``options``);
- :data:`UnicodeText`, :func:`unescape_unicode`: ``\\uXXXX`` sequences left as
  text in older change values.

The hooks are registered by :func:`register_tapd_hooks`, which the TAPD client
hands to :func:`tca_tapd._convert.make_converter`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, NewType

import cattrs

from .._convert import CHINA_TZ, SDKConverter, make_converter

__all__ = [
    "JsonText",
    "LinkId",
    "ObjectMap",
    "Options",
    "PipeIds",
    "UnicodeText",
    "decode_json_text",
    "register_tapd_hooks",
    "tapd_converter",
    "unescape_unicode",
]

LinkId = NewType("LinkId", str)
"""A linked object's id; ``"0"``/``"-1"`` (not linked) and empties become ``None``."""
PipeIds = NewType("PipeIds", tuple[str, ...])
"""``"a|b"`` → ``("a", "b")``; ``"|"``, ``""`` and ``null`` → ``()``."""
Options = NewType("Options", Mapping[str, str])
"""Candidate values ``{key: label}``; TAPD's ``[]`` for none is ``{}``."""
JsonText = NewType("JsonText", object)
"""A JSON document inside a string, decoded (text that is not JSON stays as is)."""
ObjectMap = NewType("ObjectMap", Mapping[str, Any])
"""An object that TAPD (PHP) sends as ``[]`` when empty: always a mapping here."""
UnicodeText = NewType("UnicodeText", str)
"""Text whose literal ``\\uXXXX`` escapes are decoded (older change values)."""

_NOT_LINKED = frozenset({"", "0", "-1", "0000-00-00", "0000-00-00 00:00:00"})
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def unescape_unicode(text: str) -> str:
    """Turn literal ``\\uXXXX`` sequences into their characters (surrogate pairs too).

    ``"\\\\u9700\\\\u6c42"`` (as text) → ``"需求"``. Text without escapes is returned
    unchanged, so HTML and ordinary backslashes are left alone.
    """
    if "\\u" not in text:
        return text
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    # A pair of escaped surrogates becomes two lone surrogates: join them.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16")


def decode_json_text(value: Any) -> Any:
    """A JSON array, object or string inside a string, decoded; anything else as is."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text.startswith(("[", "{", '"')):
        return value
    try:
        return json.loads(text)
    except ValueError:
        return value


def _link_id(value: Any, _: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return None if text in _NOT_LINKED else text


def _pipe_ids(value: Any, _: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if str(v).strip())
    return tuple(part.strip() for part in str(value).split("|") if part.strip())


def _options(value: Any, _: Any) -> Mapping[str, str]:
    if isinstance(value, Mapping):
        return {str(k): "" if v is None else str(v) for k, v in value.items()}
    if value is None or isinstance(value, list):
        return {}
    raise TypeError(f"expected options as an object or a list, got {type(value).__name__}")


def _object_map(value: Any, _: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if value is None or value == []:
        return {}
    raise TypeError(f"expected an object, got {type(value).__name__}")


def _unicode_text(value: Any, _: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return unescape_unicode(value)


def tapd_converter(*, detailed: bool = True) -> cattrs.Converter:
    """The TAPD converter: zone-less times in Asia/Shanghai, and this module's hooks."""
    return make_converter(naive_tz=CHINA_TZ, register=register_tapd_hooks, detailed=detailed)


def register_tapd_hooks(conv: SDKConverter) -> None:
    """Register the hooks of this module's types (and the change records') on ``conv``."""
    from .models._changes import register_change_hooks  # models import this module

    conv.register_structure_hook(LinkId, _link_id)
    conv.register_structure_hook(PipeIds, _pipe_ids)
    # Ids repeat across a page (one iteration, "0" for none): remembered by string.
    conv.register_str_parser(LinkId, lambda text: _link_id(text, LinkId), memo=True)
    conv.register_str_parser(PipeIds, lambda text: _pipe_ids(text, PipeIds), memo=True)
    conv.register_structure_hook(Options, _options)
    conv.register_structure_hook(ObjectMap, _object_map)
    conv.register_structure_hook(UnicodeText, _unicode_text)
    conv.register_structure_hook(JsonText, lambda value, _: decode_json_text(value))
    register_change_hooks(conv)
