"""The async context manager protocol for objects with an ``aclose()``."""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

__all__ = ["AsyncCloseable"]

Self = TypeVar("Self", bound="AsyncCloseable")


class AsyncCloseable:
    """``async with obj:`` closes ``obj`` on the way out; subclasses define :meth:`aclose`."""

    async def aclose(self) -> None:
        """Release what the object holds."""
        raise NotImplementedError

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
