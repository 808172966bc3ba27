"""TCA enumerations (values from the open-source server's models, TCA.md §4).

Every enum is an :class:`~tca_tapd.OpenIntEnum`: a value the SDK does not know (the
hosted server adds job states 6 and 7 and resolutions 9, 10 and 20) becomes an
``UNKNOWN_<n>`` member instead of failing the whole response.
"""

from __future__ import annotations

from .._enum import OpenIntEnum

__all__ = [
    "CCIssueStatus",
    "IssueCategory",
    "IssueResolution",
    "IssueSeverity",
    "IssueState",
    "JobState",
    "PathType",
    "ProjectStatus",
    "ScanType",
    "SchemeStatus",
    "TaskState",
]


class IssueState(OpenIntEnum):
    """A lint issue's state (``state``)."""

    ACTIVE = 1
    RESOLVED = 2
    CLOSED = 3


class IssueSeverity(OpenIntEnum):
    """A lint issue's severity (``severity``)."""

    FATAL = 1
    ERROR = 2
    WARNING = 3
    INFO = 4


class IssueResolution(OpenIntEnum):
    """How a lint issue was resolved (``resolution``)."""

    NONE = 0
    FIXED = 1
    WONT_FIX = 2
    INVALID = 3
    DUPLICATE = 4
    PATH_FILTER = 5
    RULE_REMOVED = 6
    HISTORY = 7
    COMMENT_IGNORE = 8


class IssueCategory(OpenIntEnum):
    """A lint issue's category (``category``)."""

    CORRECTNESS = 1
    SECURITY = 2
    PERFORMANCE = 3
    USABILITY = 4
    ACCESSIBILITY = 5
    I18N = 6
    CONVENTION = 7
    OTHER = 8


class JobState(OpenIntEnum):
    """A scan job's state; poll until :attr:`CLOSED`."""

    WAITING = 0
    RUNNING = 1
    CLOSED = 2
    CLOSING = 3
    INITING = 4
    INITIALIZED = 5


class TaskState(OpenIntEnum):
    """A job task's state."""

    WAITING = 0
    RUNNING = 1
    CLOSED = 2
    CREATING = 3
    ACKING = 4


class ProjectStatus(OpenIntEnum):
    """An analysis project's status (the server's ``BaseProject.StatusEnum``).

    ``CLOSED`` is an old name of :attr:`ARCHIVING` (3), kept as an alias.
    """

    ACTIVE = 1
    INACTIVE = 2
    ARCHIVING = 3
    ARCHIVED_WITHOUT_CLEAN = 4
    ARCHIVED = 5
    CLOSED = 3


class SchemeStatus(OpenIntEnum):
    """A scan scheme's status."""

    ACTIVE = 1
    DEPRECATED = 2


class CCIssueStatus(OpenIntEnum):
    """A cyclomatic-complexity issue's status."""

    ATTENTION = 1
    IGNORED = 2


class PathType(OpenIntEnum):
    """How a scan directory's ``dir_path`` is matched."""

    GLOB = 1
    REGEX = 2


class ScanType(OpenIntEnum):
    """Whether a scan directory is included or excluded.

    :attr:`DEFAULT` (0, no label on the server) is what the server stores when a rule
    is created without a ``scan_type``.
    """

    DEFAULT = 0
    INCLUDE = 1
    EXCLUDE = 2
