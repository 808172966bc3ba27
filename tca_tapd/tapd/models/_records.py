"""Things attached to work items: comments, attachments, timesheets, test cases, wiki pages.

Sources: go-tapd/tapd's ``get_comments``, ``get_attachments``, ``get_timesheets``,
``get_test_cases`` and ``get_wikis`` fixtures (TAPD's documentation data).
"""

from __future__ import annotations

from datetime import date, datetime

from attrs import define, field

from ..._convert import Model
from ..._redact import url_repr
from .._types import LinkId
from ._people import PeopleOf

__all__ = ["Attachment", "Comment", "TestCase", "Timesheet", "Wiki"]


@define(frozen=True)
class Comment(Model):
    """A comment. ``entry_type``: ``bug``, ``bug_remark``, ``stories``, ``tasks``…"""

    id: str
    description: str | None = None
    title: str | None = None
    author: str | None = None
    entry_type: str | None = None
    entry_id: str | None = None
    reply_id: LinkId | None = None
    root_id: LinkId | None = None
    created: datetime | None = None
    modified: datetime | None = None
    workspace_id: int | None = None


@define(frozen=True)
class Attachment(Model):
    """A file attached to a work item. ``download_url`` only from ``attachments/down``
    (valid for 300 seconds)."""

    id: str
    filename: str | None = None
    type: str | None = None
    entry_id: str | None = None
    description: str | None = None
    content_type: str | None = None
    created: datetime | None = None
    workspace_id: int | None = None
    owner: str | None = None
    download_url: str | None = field(default=None, repr=url_repr)


@define(frozen=True)
class Timesheet(Model):
    """Time spent on a work item. ``timespent`` in hours; ``spentdate`` a date."""

    id: str
    entity_type: str | None = None
    entity_id: str | None = None
    timespent: float | None = None
    timeremain: float | None = None
    spentdate: date | None = None
    owner: str | None = None
    memo: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    workspace_id: int | None = None
    is_delete: bool | None = None

    owners = PeopleOf("owner")


@define(frozen=True)
class TestCase(Model):
    """A test case (``Tcase``)."""

    __test__ = False  # not a pytest test class

    id: str
    name: str | None = None
    workspace_id: int | None = None
    category_id: LinkId | None = None
    status: str | None = None
    type: str | None = None
    priority: str | None = None
    precondition: str | None = None
    steps: str | None = None
    expectation: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modifier: str | None = None
    modified: datetime | None = None


@define(frozen=True)
class Wiki(Model):
    """A wiki page. ``description`` is HTML, ``markdown_description`` Markdown."""

    id: str
    name: str | None = None
    workspace_id: int | None = None
    description: str | None = None
    markdown_description: str | None = None
    is_rich: bool | None = None
    parent_wiki_id: LinkId | None = None
    note: str | None = None
    view_count: int | None = None
    creator: str | None = None
    created: datetime | None = None
    modifier: str | None = None
    modified: datetime | None = None
