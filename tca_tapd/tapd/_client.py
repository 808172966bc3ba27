"""TAPDClient: the TAPD open API."""

from __future__ import annotations

import os
from typing import Any

from .. import _http
from .._base_client import BaseClient
from .._ratelimit import RateLimit
from .._validate import check_int
from ._collection import PAGING_DEPTH
from ._envelope import decode_tapd
from ._types import tapd_converter
from .attachments import Attachments
from .bugs import Bugs
from .changes import BugChanges, StoryChanges, TaskChanges
from .comments import Comments
from .iterations import Iterations
from .launch_forms import LaunchForms
from .releases import Releases
from .stories import Stories
from .story_categories import StoryCategories
from .tasks import Tasks
from .tcases import TestCases
from .timesheets import Timesheets
from .users import Users
from .wikis import Wikis
from .workflows import Workflows
from .workitem_types import WorkitemTypes
from .workspaces import Workspaces

__all__ = ["DEFAULT_RATE_LIMIT", "PUBLIC_BASE_URL", "TENCENT_BASE_URL", "TAPDClient"]

BASE_URL_ENV = "TAPD_API_BASE_URL"
PUBLIC_BASE_URL = "https://api.tapd.cn"
"""The public TAPD SaaS API."""
TENCENT_BASE_URL = "https://apiv2.tapd.tencent.com"
"""The host of TAPD's own ``relate_third_projects`` document: Tencent's deployment
(front end tapd.tencent.com), with the same API surface."""
DEFAULT_RATE_LIMIT = RateLimit(60, 60.0)
"""TAPD documents 60 requests per minute as the default per-account limit."""

_UNSET: Any = object()


class TAPDClient(BaseClient):
    """An async client for the TAPD open API.

    Args:
        auth: :class:`~tca_tapd.TAPDBasicAuth`, :class:`~tca_tapd.TAPDBearerAuth` or
            :class:`~tca_tapd.TAPDClientCredentialsAuth`.
        base_url: default: the ``TAPD_API_BASE_URL`` environment variable, then
            :data:`PUBLIC_BASE_URL`.
        rate_limit: a :class:`~tca_tapd.RateLimit`; default
            :data:`DEFAULT_RATE_LIMIT`; ``None`` turns client-side throttling off.
        paging_depth: the deepest ``page * limit`` the server serves; listings go on
            by id cursor past it (default: TAPD's, 20000, not verified against the live
            API: set it if TAPD's differs, or to match ``FakeTAPD(paging_depth=...)``).
        **options: ``timeout``, ``retry``, ``max_concurrency``, ``limits``,
            ``http_client``, ``transport``, ``clock``, ``headers``.

    Resource groups: :attr:`workspaces`, :attr:`stories`, :attr:`bugs`, :attr:`tasks`,
    :attr:`iterations`, :attr:`releases`, :attr:`launch_forms`, :attr:`story_changes`,
    :attr:`bug_changes`, :attr:`task_changes`, :attr:`comments`, :attr:`workflows`,
    :attr:`workitem_types`, :attr:`story_categories`, :attr:`timesheets`,
    :attr:`attachments`, :attr:`tcases`, :attr:`wikis`, :attr:`users`.
    """

    def __init__(
        self,
        auth: _http.Auth | None = None,
        base_url: str | None = None,
        *,
        rate_limit: RateLimit | None = _UNSET,
        paging_depth: int = PAGING_DEPTH,
        **options: Any,
    ) -> None:
        check_int("paging_depth", paging_depth, minimum=1)
        self.paging_depth = paging_depth
        """The deepest ``page * limit`` listings ask for by page number."""
        base_url = base_url or os.environ.get(BASE_URL_ENV) or PUBLIC_BASE_URL
        super().__init__(
            base_url=base_url,
            auth=auth,
            decode=decode_tapd,
            converter=tapd_converter,
            rate_limit=DEFAULT_RATE_LIMIT if rate_limit is _UNSET else rate_limit,
            **options,
        )
        self.workspaces = Workspaces(self)
        """Workspaces: projects, get, user_participant_projects, sub_workspaces, users,
        roles, relate_third_projects."""
        self.stories = Stories(self)
        """Stories (需求): list, count, get, create, update, field settings."""
        self.bugs = Bugs(self)
        """Bugs (缺陷): list, count, get, create, update, custom field settings."""
        self.tasks = Tasks(self)
        """Tasks (任务): list, count, get, create, update, field settings."""
        self.iterations = Iterations(self)
        """Iterations (迭代): list, count, get, create, update, custom field settings."""
        self.releases = Releases(self)
        """Release plans: list, count, get, create, update."""
        self.launch_forms = LaunchForms(self)
        """Launch (release-review) forms: list, count, get."""
        self.story_changes = StoryChanges(self)
        """Story change history: list, count, get."""
        self.bug_changes = BugChanges(self)
        """Bug change history: list, count, get."""
        self.task_changes = TaskChanges(self)
        """Task change history: list, get."""
        self.comments = Comments(self)
        """Comments: list, count, get, create, update."""
        self.workflows = Workflows(self)
        """Workflows: status_map, transitions, last_steps, all_last_steps."""
        self.workitem_types = WorkitemTypes(self)
        """Workitem types (需求类别): list, get."""
        self.story_categories = StoryCategories(self)
        """Story categories: list, count, get, create, update."""
        self.timesheets = Timesheets(self)
        """Timesheets: list, count, get, create, update."""
        self.attachments = Attachments(self)
        """Attachments: list, get, download, download_url."""
        self.tcases = TestCases(self)
        """Test cases: list, count, get, create, update."""
        self.wikis = Wikis(self)
        """Wiki pages: list, count, get, create, update."""
        self.users = Users(self)
        """The current user: info."""
