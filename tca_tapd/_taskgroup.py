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
    of its own (``raise … from exc`` in the caller's block), which is kept (a note on
    it then names the others, which its traceback would not show). A group
    holding anything but ``Exception`` (a ``KeyboardInterrupt``) is re-raised as it is.
    """
    try:
        yield
    except BaseExceptionGroup as group:
        leaves = list(_leaves(group))
        if len(leaves) == 1 or (leaves and all(isinstance(e, Exception) for e in leaves)):
            if leaves[0].__cause__ is not None:
                # A traceback shows the cause, not the context: name the others in a note.
                _note_others(leaves[0], leaves[1:])
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


_SHOWN_OTHERS = 5
"""How many of the other errors a note names."""


def _note_others(error: BaseException, others: list[BaseException]) -> None:
    """Add a note to ``error`` naming the errors that happened with it."""
    if not others:
        return
    named = "; ".join(
        f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:200]}"
        for exc in others[:_SHOWN_OTHERS]
    )
    more = f" and {len(others) - _SHOWN_OTHERS} more" if len(others) > _SHOWN_OTHERS else ""
    note = (
        f"{len(others)} other error(s) happened at the same time, all in the task group's "
        f"ExceptionGroup (this error's __context__): {named}{more}"
    )
    if sys.version_info >= (3, 11):
        error.add_note(note)
    else:  # pragma: no cover - the exceptiongroup backport prints __notes__ as 3.11 does
        error.__notes__ = [*getattr(error, "__notes__", ()), note]  # type: ignore[attr-defined]
