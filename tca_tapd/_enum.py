"""Enumerations that keep values they do not know.

Servers add states (hosted TCA has job states 6 and 7 that the open-source code does
not); a crawl must not fail on them. Looking up an unknown value gives a pseudo
member named ``UNKNOWN_<value>`` that compares equal to the raw value.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any

__all__ = ["OpenIntEnum", "OpenStrEnum"]


class OpenIntEnum(IntEnum):
    """An :class:`~enum.IntEnum` whose unknown values become ``UNKNOWN_<n>`` members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        member = int.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}" if value >= 0 else f"UNKNOWN_MINUS_{-value}"
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether the value is one the SDK knows (not an ``UNKNOWN_`` pseudo member)."""
        return self._name_ in type(self).__members__


class OpenStrEnum(str, Enum):
    """A string enum whose unknown values become ``UNKNOWN`` pseudo members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether the value is one the SDK knows."""
        return self._name_ in type(self).__members__
