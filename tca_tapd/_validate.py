"""Argument checks run before a request is built: clear errors naming the argument."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

__all__ = [
    "check_bool",
    "check_enum",
    "check_id",
    "check_int",
    "check_name",
    "clean_params",
    "parse_int",
]

E = TypeVar("E", bound=Enum)


def _type_name(value: object) -> str:
    return type(value).__name__


def parse_int(text: str, *, signed: bool = False) -> int | None:
    """The integer a string of ASCII digits spells (a leading ``-`` when ``signed``), or
    ``None``: ``str.isdigit`` also accepts digits ``int`` refuses (``"²"``), and ``int``
    refuses strings of more than about 4300 digits; neither may escape as a bare
    ``ValueError`` from a server's header or envelope, or from an argument check."""
    text = text.strip()
    digits = text[1:] if signed and text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return int(text)
    except ValueError:  # longer than sys.get_int_max_str_digits()
        return None


def check_id(name: str, value: object) -> int:
    """A positive integer id (``repo_id``, ``workspace_id``…); numeric strings are accepted."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got bool {value!r}")
    if isinstance(value, str) and value.strip().isdigit():
        parsed = parse_int(value)
        if parsed is None:
            raise ValueError(f"{name} must be a positive id, got {value[:40]!r}")
        value = parsed
    if not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_type_name(value)} {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive id, got {value!r}")
    return value


def check_int(
    name: str, value: object, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An integer within bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {_type_name(value)} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}")
    return value


def check_bool(name: str, value: object) -> bool:
    """A real bool: ``"no"`` or ``0`` would be read as a flag by mistake, so they are refused."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {_type_name(value)} {value!r}")
    return value


def check_name(name: str, value: object) -> str:
    """A non-empty string path segment (``org_sid``, ``team_name``)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_type_name(value)} {value!r}")
    if not value.strip() or "/" in value:
        raise ValueError(f"{name} must be a non-empty name without '/', got {value!r}")
    return value


def check_enum(name: str, value: object, enum: type[E]) -> E:
    """A member of ``enum``, or one of its values; anything else is refused up front."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in enum)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}") from None


def clean_params(
    params: Mapping[str, Any] | Iterable[tuple[str, Any]],
) -> dict[str, str | int | float]:
    """Drop ``None`` values; render booleans as ``true``/``false`` and enums as their value."""
    items = params.items() if isinstance(params, Mapping) else params
    out: dict[str, str | int | float] = {}
    for key, value in items:
        if value is None:
            continue
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, bool):
            value = "true" if value else "false"
        out[key] = value
    return out
