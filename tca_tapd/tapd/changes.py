"""Change history: ``/story_changes``, ``/bug_changes``, ``/task_changes``.

Modelled on TAPD.md §4 and go-tapd's fixtures: TAPD wants ``story_id``/``bug_id``
or a ``created`` range (pass them as filters), and ``story_changes`` pages hold at
most 100 records (large pages of change history are what TAPD answers 502 to, so
the other two use 100 as well). ``task_changes`` has no documented count route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._collection import ReadCollection, Spec
from .models import BugChange, WorkitemChange

if TYPE_CHECKING:
    from ._client import TAPDClient

__all__ = ["BugChanges", "StoryChanges", "TaskChanges"]


class StoryChanges(ReadCollection[WorkitemChange]):
    """Story change records. Reached as ``tapd.story_changes``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/story_changes",
                wrapper="WorkitemChange",
                model=WorkitemChange,
                count_path="/story_changes/count",
                max_page_size=100,
                needs_one_of=("story_id", "created"),
            ),
        )


class TaskChanges(ReadCollection[WorkitemChange]):
    """Task change records. Reached as ``tapd.task_changes``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/task_changes",
                wrapper="WorkitemChange",
                model=WorkitemChange,
                max_page_size=100,
            ),
        )


class BugChanges(ReadCollection[BugChange]):
    """Bug change records (one field each). Reached as ``tapd.bug_changes``."""

    def __init__(self, client: TAPDClient) -> None:
        super().__init__(
            client,
            Spec(
                path="/bug_changes",
                wrapper="BugChange",
                model=BugChange,
                count_path="/bug_changes/count",
                max_page_size=100,
                needs_one_of=("bug_id", "created"),
            ),
        )
