"""JSON encoding and decoding: orjson when it is installed, the standard library otherwise."""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only without the extra
    _orjson = None  # type: ignore[assignment]

HAVE_ORJSON = _orjson is not None

# Both libraries raise a ValueError subclass on malformed input.
JSONDecodeError = ValueError


def loads(data: bytes | str) -> Any:
    """Decode JSON text; raises ``ValueError`` on malformed input.

    Nesting deeper than the decoder can follow is malformed input too: orjson refuses
    it with its ``ValueError``, the standard library runs out of stack (``RecursionError``),
    which is turned into a ``ValueError`` here so a hostile body cannot escape decoding.
    """
    if _orjson is not None:
        return _orjson.loads(data)
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def dumps(obj: Any) -> bytes:
    """Encode ``obj`` as compact UTF-8 JSON bytes (non-ASCII kept as is)."""
    if _orjson is not None:
        return _orjson.dumps(obj)
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()
