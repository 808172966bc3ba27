"""TAPD payload models: frozen, slotted attrs classes keeping TAPD's field names.

TAPD sends ids and most numbers as strings (some as JSON numbers), several
spellings of empty, zone-less Asia/Shanghai times; the converter and the field
types of :mod:`tca_tapd.tapd._types` take care of those. Each model keeps the
whole object it came from on ``raw``.
"""

from ._changes import BugChange, Changes, FieldChange, WorkitemChange
from ._people import split_people
from ._records import Attachment, Comment, TestCase, Timesheet, Wiki
from ._settings import Category, CustomFieldConfig, FieldInfo, WorkflowTransition, WorkitemType
from ._workitems import Bug, Iteration, LaunchForm, Release, Story, Task, WorkItem
from ._workspaces import (
    Member,
    TGitGroup,
    TGitProject,
    ThirdProject,
    ThirdType,
    TSvnItem,
    UserInfo,
    Workspace,
)

__all__ = [
    "Attachment",
    "Bug",
    "BugChange",
    "Category",
    "Changes",
    "Comment",
    "CustomFieldConfig",
    "FieldChange",
    "FieldInfo",
    "Iteration",
    "LaunchForm",
    "Member",
    "Release",
    "Story",
    "TGitGroup",
    "TGitProject",
    "TSvnItem",
    "Task",
    "TestCase",
    "ThirdProject",
    "ThirdType",
    "Timesheet",
    "UserInfo",
    "Wiki",
    "WorkItem",
    "WorkflowTransition",
    "WorkitemChange",
    "WorkitemType",
    "Workspace",
    "split_people",
]
