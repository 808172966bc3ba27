"""TAPD people fields: nicknames joined by ``;`` (sometimes ``,``), with stray separators."""

from __future__ import annotations

from typing import overload

__all__ = ["PeopleOf", "split_people"]


def split_people(value: str | None) -> tuple[str, ...]:
    """Nicknames from a TAPD people field: split on ``;`` and ``,``, empties dropped.

    ``"张三;"`` → ``("张三",)``; ``";a,b;"`` → ``("a", "b")``; ``None`` → ``()``.
    """
    if not value:
        return ()
    return tuple(p.strip() for p in value.replace(",", ";").split(";") if p.strip())


class PeopleOf:
    """A read-only attribute giving a people field as a tuple of nicknames.

    ``owners = PeopleOf("owner")`` on a model makes ``item.owners`` the value of
    ``split_people(item.owner)``; the raw string stays on ``item.owner``.
    """

    def __init__(self, field: str) -> None:
        self.field = field
        self.__doc__ = f"``{field}`` as a tuple of nicknames."

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> PeopleOf: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> tuple[str, ...]: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> PeopleOf | tuple[str, ...]:
        if obj is None:
            return self
        return split_people(getattr(obj, self.field))
