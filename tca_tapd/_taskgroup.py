"""Task-group helpers shared by the pager and the crawler."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

if sys.version_info < (3, 11):  # pragma: no cover - the backport anyio depends on there
    from exceptiongroup import BaseExceptionGroup

__all__ = ["single_errors"]


@contextmanager
def single_errors() -> Iterator[None]:
    """Re-raise the error inside a task group's ``ExceptionGroup``.

    A failed request cancels its siblings, so the group normally holds just that
    error; callers then catch ``NotFoundError`` as if no task group were involved.
    Several requests can fail at the same moment, though (closing the client fails
    every one in flight with ``ClientClosedError``): then the first of them is raised,
    so the caller still gets one typed error. The group stays attached with all of
    them: as the ``__cause__``, or as the ``__context__`` of an error that has a cause
    of its own (``raise … from exc`` in the caller's block), which is kept. A group
    holding anything but ``Exception`` (a ``KeyboardInterrupt``) is re-raised as it is.
    """
    try:
        yield
    except BaseExceptionGroup as group:
        leaves = list(_leaves(group))
        if len(leaves) == 1 or (leaves and all(isinstance(e, Exception) for e in leaves)):
            if leaves[0].__cause__ is not None:
                raise leaves[0]  # noqa: B904 - its own cause is kept; the group is its context
            raise leaves[0] from group
        raise


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    """The exceptions of a group and of the groups nested in it, in order."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc
