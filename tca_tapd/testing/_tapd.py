"""FakeTAPD: an in-memory TAPD open API server, faithful to what the real one sends.

Modelled on TAPD's documentation (使用必读, API错误码, 授权凭证, the reference pages
of each endpoint), the ``relate_third_projects`` document, response fixtures of
public SDKs (go-tapd/tapd) and probes reported for the real service
(``shared/api/TAPD.md``):

- the envelope ``{"status": 1, "data": …, "info": "success"}``; list items wrapped as
  ``{"Story": {...}}``; ids and numbers as strings (some as JSON numbers); several
  spellings of empty; zone-less ``YYYY-MM-DD HH:MM:SS`` times; custom fields;
- ``page`` (from 1) and ``limit`` (default 30, at most 200; 100 for story changes)
  paging to a depth of ``page * limit`` <= 20000, then ``cursor=<last id>`` paging
  in id order, totals from ``…/count`` (a JSON int); TAPD's filter operators and
  ``order=<field> asc|desc`` (default ``id desc``), ``fields=`` trimming
  (:mod:`._tapd_query`);
- creates and updates through one POST route (``id`` makes it an update), kept in
  memory until :meth:`reset`; a custom field set as ``custom_field_*`` or by its
  display name, ``cus_<显示名>`` (the ``name`` of its custom field settings);
- Basic auth (API accounts, or app credentials used directly), Bearer tokens
  (personal access tokens and app tokens from ``POST /tokens/request_token``):
  missing or wrong Basic credentials give 401 with ``WWW-Authenticate: Basic
  realm='TAPD API'``, an unknown bearer token 422 "The access token provided is
  invalid";
- an unknown path answers 200 with the string "Hello world from TAPD API…", even
  without credentials; an unknown workspace 404 "workspace … not existed";
- ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` on every answer, counting down
  per credential (requests without a valid one in a window of their own); without a
  ``rate_limit`` they describe 10000 requests, the limit TAPD's answers showed, in a
  window of 60 s (inferred: the window is not documented), and nothing is refused;
- an optional per-credential rate limit: 429 "To many requests, api account X max
  request rates is Nreq/Mmin" (the typo is TAPD's). Whether TAPD sends
  ``Retry-After`` is not known, so by default it does not.

Endpoints: ``/tokens/request_token``; ``/workspaces/projects``,
``get_workspace_info``, ``user_participant_projects``, ``sub_workspaces``,
``users``, ``relate_third_projects``; ``/roles``; list, ``/count`` and save routes
of stories, bugs, tasks, iterations, releases (saved by ``/new_releases``),
comments, story categories, timesheets, test cases (``/tcases``), wiki
(``/tapd_wikis``); ``/story_changes`` (+count), ``/bug_changes`` (+count),
``/task_changes``; ``/launch_forms`` (+count, read only); ``/workitem_types``;
``/attachments`` and ``/attachments/down``; ``…/custom_fields_settings`` of
stories, bugs, tasks, iterations; ``/stories/get_fields_info`` and
``/tasks/get_fields_info``; ``/workflows/status_map``, ``all_transitions``,
``last_steps``, ``all_last_steps``; ``/stories/copy_story``; ``/iterations/lock_iteration`` and
``unlock_iteration`` (answering TAPD's documented sentence; the locks are kept in
:attr:`FakeTAPD.locked_iterations`); ``/users/info``.

Inferred, not documented: the ``<``/``>`` filters are inclusive; how deep paging
is refused (422) and that a cursor page starts after the cursor's item, on every list
route (TAPD's page shows it for ``/tcases`` only); a missing or
invalid parameter (a required create field, an unknown id in an update, change
queries without ``story_id``/``bug_id``/``created``) gives 422 with a short English
``info``; tsvn items of ``relate_third_projects`` have the shape of tgit's;
``users/info`` refuses Basic credentials and app tokens with 422, and its fields
beyond ``nick``; ``limit`` above the route's maximum is capped, not refused, and
``limit=0`` reads as 1; a known path asked with another method gives 405 "405
error"; any path below a route that is not itself a route (``/stories/nosuch``)
gives the greeting of unknown paths; locking an iteration that is not there, or
with a ``lock_types`` value other than ``__ALL_STORY__``/``__ALL_BUG__``, gives 422,
and a lock shows in no field of the iteration; a ``cus_<显示名>`` naming no custom field gives
422 "no custom field is named '…'"; a wrong app secret at the token endpoint gives
401 with TAPD's ``WWW-Authenticate``; new items' ``creator`` is the fake's API user,
whoever asks; the ``all_transitions`` item shape; ``__format=xml`` is not modelled
(answers stay JSON); the ``story_categories``,
``last_steps`` and ``sub_workspaces`` data shapes; launch forms other than
the fixture's; new ids are the workspace's prefix plus a counter.
"""

from __future__ import annotations

import base64
import itertools
import random
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from attrs import define, field

from .._clock import Clock
from . import _tapd_data as data
from ._asgi import Request, Response, json_response
from ._base import FakeServer
from ._tapd_query import (
    PAGING_DEPTH,
    PagingError,
    filtered,
    matches_filter,
    ordered,
    page_of,
    trimmed,
)

__all__ = [
    "TAPD_ACCESS_TOKEN",
    "TAPD_API_PASSWORD",
    "TAPD_API_USER",
    "TAPD_AUTH_CODE",
    "TAPD_CLIENT_ID",
    "TAPD_CLIENT_SECRET",
    "FakeTAPD",
    "matches_filter",
]

TAPD_API_USER = "demo_api_user"
"""The company API account the fake accepts by default (Basic auth)."""
TAPD_API_PASSWORD = "demo-api-password"
"""Its password."""
TAPD_ACCESS_TOKEN = "demo-personal-access-token"
"""A personal access token the fake accepts by default (Bearer auth)."""
TAPD_CLIENT_ID = "demo-app"
"""An open-platform app the fake knows (client credentials)."""
TAPD_CLIENT_SECRET = "demo-app-secret"
"""Its secret."""
TAPD_AUTH_CODE = "demo-auth-code"
"""An authorization code the fake accepts once (``grant_type=authorization_code``), as
if the user ``alice`` had granted the app access on TAPD's authorization page."""

_HELLO = "Hello world from TAPD API. Good luck!"
_DOCS = "Documents can be found in https://www.tapd.cn/help/show#1120003271001000103"
_EMPTY_SPELLINGS = frozenset({"0", "-1", "|"})
_NOT_STORED = frozenset({"current_user", "change_creator", "is_auto_close_task", "workspace_id"})
_NOT_COPIED = frozenset({"id", "workspace_id", "created", "modified", "creator"})
"""Fields a copied story never takes from its source: the new story has its own."""


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")


def _emptied(value: Any) -> Any:
    """A listed item's value as a new item has it: the spellings of "none" kept, a date
    or time null (as unset dates are listed), other text empty."""
    if value is None or value in _EMPTY_SPELLINGS or not isinstance(value, str):
        return value
    return None if _TIME.fullmatch(value) else ""


@define(frozen=True)
class Table:
    """How one list resource is served: its table, wrapper key and rules."""

    name: str
    wrapper: str
    required: tuple[str, ...] = ()
    max_limit: int = 200
    needs_one_of: tuple[str, ...] = ()
    update_needs: tuple[str, ...] = ()
    created: Mapping[str, str] = field(factory=dict)
    """What TAPD fills in on a new item, beyond emptying the rest (see ``_new_row``)."""


# A story created through the API, as TAPD's own example shows it (TAPD.md §6,
# "story_created_by_api"): whether business_value and tech_risk were defaults or sent
# by that call is not documented; the fake gives the example's values.
_NEW_STORY = {
    "status": "planning", "iteration_id": "0", "category_id": "-1", "parent_id": "0",
    "children_id": "|", "level": "0", "business_value": "5", "tech_risk": "2",
    "progress": "0", "is_archived": "0", "created_from": "api", "release_id": "0",
    "effort_completed": "0", "exceed": "0", "remain": "0", "secret_root_id": "0",
    "progress_manual": "0",
}  # fmt: skip
# Inferred for bugs and tasks (no example of a new one is documented): the first
# status of their workflows, and "0" for links and numbers, as listed items spell them.
_NEW_BUG = {
    "status": "new", "flows": "new", "iteration_id": "0", "regression_number": "0",
    "issue_id": "0", "effort_completed": "0", "exceed": "0", "remain": "0",
}  # fmt: skip
_NEW_TASK = {
    "status": "open", "iteration_id": "0", "story_id": "0", "progress": "0",
    "effort_completed": "0", "exceed": "0", "remain": "0", "has_attachment": "0",
    "release_id": "0",
}  # fmt: skip


_NOT_SELECTING = frozenset({"page", "limit", "cursor", "fields", "order"})
_TABLES: dict[str, Table] = {
    "/stories": Table("stories", "Story", ("name",), created=_NEW_STORY),
    "/bugs": Table("bugs", "Bug", ("title",), created=_NEW_BUG),
    "/tasks": Table("tasks", "Task", ("name",), created=_NEW_TASK),
    "/iterations": Table(
        "iterations",
        "Iteration",
        ("name", "startdate", "enddate", "creator"),
        update_needs=("current_user",),
    ),
    "/releases": Table("releases", "Release", ("name", "startdate", "enddate")),
    "/launch_forms": Table("launch_forms", "LaunchForm"),
    "/comments": Table("comments", "Comment", ("entry_type", "entry_id", "description", "author")),
    "/story_categories": Table("story_categories", "Category", ("name",)),
    "/timesheets": Table(
        "timesheets", "Timesheet", ("entity_type", "entity_id", "timespent", "spentdate", "owner")
    ),
    "/tcases": Table("tcases", "Tcase", ("name",)),
    "/tapd_wikis": Table("wikis", "Wiki", ("name",)),
    "/story_changes": Table(
        "story_changes", "WorkitemChange", max_limit=100, needs_one_of=("story_id", "created")
    ),
    "/bug_changes": Table("bug_changes", "BugChange", needs_one_of=("bug_id", "created")),
    "/task_changes": Table("task_changes", "WorkitemChange"),
    "/workitem_types": Table("workitem_types", "WorkitemType"),
    "/attachments": Table("attachments", "Attachment"),
}
_COUNTED = (
    "/stories", "/bugs", "/tasks", "/iterations", "/releases", "/launch_forms", "/comments",
    "/story_categories", "/timesheets", "/tcases", "/tapd_wikis", "/story_changes", "/bug_changes",
)  # fmt: skip
_SAVED = {
    "/stories": "/stories", "/bugs": "/bugs", "/tasks": "/tasks", "/iterations": "/iterations",
    "/new_releases": "/releases", "/comments": "/comments",
    "/story_categories": "/story_categories", "/timesheets": "/timesheets",
    "/tcases": "/tcases", "/tapd_wikis": "/tapd_wikis",
}  # fmt: skip
_SETTINGS = {"stories": "story", "bugs": "bug", "tasks": "task", "iterations": "iteration"}

Handler = Callable[[Request], Awaitable[Response]]


class FakeTAPD(FakeServer):
    """A fake TAPD open API with deterministic data (see :mod:`._tapd_data`).

    Args:
        api_users: Basic-auth API accounts, user → password.
        access_tokens: accepted personal access tokens.
        apps: open-platform apps, client id → secret.
        workspaces: workspace ids; the first three get the ``relate_third_projects``
            examples of TAPD's document; the third is a sub-workspace of the first.
        stories: stories per workspace.
        token_lifetime: ``expires_in`` of app tokens, in seconds.
        paging_depth: the deepest ``page * limit`` served; past it, only
            ``cursor=<id>`` pages (TAPD: 20000; smaller, to try a crawl that deep
            without that many items).
        seed: the random seed of the data set.
        retry_after_on_429: also send ``Retry-After`` with a 429.
        clock, latency, rate_limit: see :class:`FakeServer`.

    The data can be read and edited directly: :attr:`tables` (table name → workspace
    id → list of raw dicts) and :attr:`stories` (``tables["stories"]``). A listing's
    filtered and ordered rows are remembered, so that paging deep does not filter and
    sort every page again, until the fake saves something or a workspace's list is
    replaced or changes length (rows appended or removed). After changing rows in place
    (``fake.stories[ws][0]["status"] = "resolved"``, or a row replaced by another at
    the same place), call :meth:`data_changed`, else listings may not see the change.
    :attr:`locked_iterations` holds the iterations locked through the API (id → the
    ``lock_types`` asked for; empty for TAPD's default).
    """

    def __init__(
        self,
        *,
        api_users: Mapping[str, str] | None = None,
        access_tokens: Iterable[str] | None = None,
        apps: Mapping[str, str] | None = None,
        workspaces: Iterable[int] = (10104801, 755, 20375102),
        stories: int = 120,
        token_lifetime: int = 7200,
        paging_depth: int = PAGING_DEPTH,
        seed: int = 0,
        retry_after_on_429: bool = False,
        clock: Clock | None = None,
        latency: float = 0.0,
        rate_limit: tuple[int, float] | None = None,
    ) -> None:
        super().__init__(clock=clock, latency=latency, rate_limit=rate_limit)
        self.api_users = dict(api_users or {TAPD_API_USER: TAPD_API_PASSWORD})
        self.access_tokens = set(access_tokens or {TAPD_ACCESS_TOKEN})
        self.apps = dict(apps or {TAPD_CLIENT_ID: TAPD_CLIENT_SECRET})
        self.workspace_ids = list(workspaces)
        self.stories_per_workspace = stories
        self.token_lifetime = token_lifetime
        self.paging_depth = paging_depth
        self.seed = seed
        self.retry_after_on_429 = retry_after_on_429
        self.issued_tokens: dict[str, tuple[str, float]] = {}  # token -> (client_id, expiry)
        self.auth_codes: set[str] = set()  # each accepted once; reset_data fills it
        self._user_tokens: set[str] = set()  # issued for an authorization code
        self._token_numbers = itertools.count(1)
        self._new_ids = itertools.count(1)
        self.tables: dict[str, dict[int, list[dict[str, Any]]]] = {}
        self.workspaces: dict[int, dict[str, Any]] = {}
        self.third_projects: dict[int, dict[str, list[dict[str, Any]]]] = {}
        self.reset_data()
        self._routes()

    @property
    def stories(self) -> dict[int, list[dict[str, Any]]]:
        """The stories of each workspace (raw dicts)."""
        return self.tables["stories"]

    def data_changed(self) -> None:
        """Say that rows of :attr:`tables` were edited in place (a value of an existing
        row changed, or a row replaced by another at the same place): the next listing
        filters and orders afresh. Not needed after adding or removing rows, or
        replacing a workspace's list or a table, nor after the fake's own saves."""
        self._remembered.clear()

    def _routes(self) -> None:
        r = self.router
        r.add("POST", "/tokens/request_token", self.request_token)
        r.add("GET", "/workspaces/projects", self.projects)
        r.add("GET", "/workspaces/get_workspace_info", self.workspace_info)
        r.add("GET", "/workspaces/user_participant_projects", self.user_participant_projects)
        r.add("GET", "/workspaces/sub_workspaces", self.sub_workspaces)
        r.add("GET", "/workspaces/users", self.members)
        r.add("GET", "/workspaces/relate_third_projects", self.relate_third_projects)
        r.add("GET", "/roles", self.roles)
        r.add("GET", "/users/info", self.user_info)
        for path, table in _TABLES.items():
            r.add("GET", path, self._lister(table))
        for path in _COUNTED:
            r.add("GET", f"{path}/count", self._counter(_TABLES[path]))
        for path, listed in _SAVED.items():
            r.add("POST", path, self._saver(_TABLES[listed]))
        for plural, entity in _SETTINGS.items():
            r.add("GET", f"/{plural}/custom_fields_settings", self._settings(entity))
        for plural in ("stories", "tasks"):
            r.add("GET", f"/{plural}/get_fields_info", self.fields_info)
        r.add("GET", "/attachments/down", self.attachment_down)
        r.add("GET", "/workflows/status_map", self._workflow("status_map"))
        r.add("GET", "/workflows/all_transitions", self._workflow("transitions"))
        r.add("GET", "/workflows/last_steps", self._workflow("last_steps"))
        r.add("GET", "/workflows/all_last_steps", self.all_last_steps)
        r.add("POST", "/stories/copy_story", self.copy_story)
        r.add("POST", "/iterations/lock_iteration", self._iteration_lock(locking=True))
        r.add("POST", "/iterations/unlock_iteration", self._iteration_lock(locking=False))

    # -- data ------------------------------------------------------------------------

    def reset_data(self) -> None:
        """Build the data set from the seed (and forget issued tokens and changes)."""
        rnd = random.Random(self.seed)
        self.issued_tokens.clear()
        self.auth_codes = {TAPD_AUTH_CODE}
        self._user_tokens.clear()
        self._new_ids = itertools.count(1)
        self.tables = data.build_tables(self.workspace_ids, self.stories_per_workspace, rnd)
        self._remembered: dict[tuple[Any, ...], _Remembered] = {}
        first = self.workspace_ids[0] if self.workspace_ids else None
        self.workspaces = {
            ws: data.workspace(ws, n, first if n == 2 else None)
            for n, ws in enumerate(self.workspace_ids)
        }
        self.third_projects = {
            ws: data.third_projects(ws, n) for n, ws in enumerate(self.workspace_ids)
        }
        self.locked_iterations: dict[str, tuple[str, ...]] = {}

    # -- protocol ----------------------------------------------------------------------

    @staticmethod
    def envelope(data: Any) -> Response:
        """TAPD's success envelope."""
        return json_response({"status": 1, "data": data, "info": "success"})

    def error_response(self, status: int, message: str | None = None) -> Response:
        """TAPD's error body: ``status`` repeats the HTTP status."""
        default = {401: "401 Unauthorized", 404: "404 Not Found", 422: "422 Unprocessable Entity"}
        body = {
            "status": status,
            "data": "",
            "info": message or default.get(status, f"{status} error"),
            "meta": {"request_id": self.next_request_id()},
        }
        headers = {"WWW-Authenticate": "Basic realm='TAPD API'"} if status == 401 else {}
        return json_response(body, status, headers)

    def not_found_response(self, request: Request) -> Response:
        """TAPD answers unknown paths with 200 and a greeting string."""
        return json_response({"status": 1, "data": _HELLO, "info": _DOCS})

    advertised_rate_limit = (10000, 60.0)
    """What the rate-limit headers describe without a ``rate_limit`` (the window inferred)."""

    def rate_limit_response(self, identity: str, limit: tuple[int, float], wait: float) -> Response:
        """TAPD's 429, with its own spelling."""
        requests, window = limit
        window_text = f"{int(window // 60)}min" if window % 60 == 0 else f"{int(window)}s"
        response = self.error_response(
            429,
            f"To many requests, api account {identity} max request rates is "
            f"{requests}req/{window_text}",
        )
        if self.retry_after_on_429:
            response.headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        return response

    def rate_limit_headers(self, limit: tuple[int, float], remaining: int) -> dict[str, str]:
        """``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` on every answer."""
        return {"X-RateLimit-Limit": str(limit[0]), "X-RateLimit-Remaining": str(remaining)}

    def authenticate(self, request: Request) -> tuple[str | None, Response | None]:
        """Basic (API account or app), or Bearer (personal or app token)."""
        if request.path == "/tokens/request_token":
            return "token-endpoint", None  # checks the app's own credentials itself
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("Basic "):
            user, password = _basic_pair(authorization)
            if user is not None and (
                self.api_users.get(user) == password or self.apps.get(user) == password
            ):
                return user, None
            return None, self.error_response(401)
        if authorization.startswith("Bearer "):
            token = authorization[len("Bearer ") :].strip()
            if token in self.access_tokens:
                return f"token:{token[:4]}", None
            issued = self.issued_tokens.get(token)
            if issued is not None and self.clock.monotonic() < issued[1]:
                return issued[0], None
            return None, self.error_response(422, "The access token provided is invalid")
        return None, self.error_response(401)

    # -- endpoints: tokens -------------------------------------------------------------

    async def request_token(self, request: Request) -> Response:
        """``POST /tokens/request_token``: ``grant_type=client_credentials`` (an app
        token, as TAPD's example answers), or ``authorization_code`` with ``code`` and
        ``redirect_uri`` (a user token: it reaches ``/users/info``).

        Inferred for the authorization code: the app authenticates with Basic as for
        client credentials; a code works once (TAPD's are valid 5 minutes: the fake's,
        :data:`TAPD_AUTH_CODE` and any added to :attr:`auth_codes`, do not expire, as
        nothing here issues them); an unknown code or a missing ``redirect_uri`` gives
        422; the answer's ``resource`` names the user.
        """
        client_id, secret = _basic_pair(request.headers.get("authorization", ""))
        if client_id is None or self.apps.get(client_id) != secret:
            return self.error_response(401)
        form = request.form()
        grant = form.get("grant_type")
        resource: dict[str, str] = {"type": "open_app_auth", "app_id": "404"}
        if grant == "authorization_code":
            if not form.get("redirect_uri"):
                return self.error_response(422, "redirect_uri is required")
            if form.get("code") not in self.auth_codes:
                return self.error_response(422, "code is invalid or expired")
            self.auth_codes.discard(form["code"])
            resource = {"type": "user", "nick": "alice"}
        elif grant != "client_credentials":
            return self.error_response(422, "grant_type is invalid")
        token = f"app-token-{next(self._token_numbers):06d}-{client_id}"
        self.issued_tokens[token] = (client_id, self.clock.monotonic() + self.token_lifetime)
        if grant == "authorization_code":
            self._user_tokens.add(token)
        return self.envelope(
            {
                "access_token": token,
                "expires_in": self.token_lifetime,
                "token_type": "Bearer",
                "scope": "story bug task iteration workspace wiki ",
                "resource": resource,
                "now": data.tapd_time(
                    datetime(2025, 6, 16) + timedelta(seconds=self.clock.monotonic())
                ),
            }
        )

    def _workspace(self, request: Request) -> tuple[int | None, Response | None]:
        raw = request.arg("workspace_id")
        if raw is None or not raw.isdigit():
            return None, self.error_response(422, "workspace_id is required and must be an integer")
        workspace_id = int(raw)
        if workspace_id not in self.workspaces:
            return None, self.error_response(404, f"workspace {workspace_id} not existed")
        return workspace_id, None

    def _form_workspace(
        self, request: Request, key: str = "workspace_id"
    ) -> tuple[int | None, Response | None]:
        """:meth:`_workspace` for a POST, whose workspace id (``key``) is in its form."""
        request.query = [("workspace_id", request.form().get(key, ""))]
        return self._workspace(request)

    def _company(self, request: Request) -> Response | None:
        if request.arg("company_id") != str(data.COMPANY_ID):
            return self.error_response(422, "company_id is invalid")
        return None

    # -- endpoints: workspaces -----------------------------------------------------------

    def _workspace_rows(self, request: Request) -> list[dict[str, Any]]:
        extends = request.arg("with_extends") == "1"
        rows = []
        for n, row in enumerate(self.workspaces.values()):
            item = dict(row)
            if extends:
                item["WorkspaceExtends"] = {"flow_view": "scrum"} if n % 2 == 0 else []
            rows.append(item)
        return rows

    async def projects(self, request: Request) -> Response:
        """``GET /workspaces/projects?company_id=``: every workspace, not paged."""
        failure = self._company(request)
        if failure is not None:
            return failure
        rows = filtered(
            self._workspace_rows(request), [("category", request.arg("category") or "")]
        )
        return self.envelope([{"Workspace": r} for r in rows])

    async def workspace_info(self, request: Request) -> Response:
        """``GET /workspaces/get_workspace_info``: one ``{"Workspace": …}``."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        assert workspace_id is not None
        row = {k: v for k, v in self.workspaces[workspace_id].items() if k != "member_count"}
        return self.envelope({"Workspace": row})

    async def user_participant_projects(self, request: Request) -> Response:
        """``GET /workspaces/user_participant_projects?nick=&company_id=``: the
        workspaces of a member, plus the company's ``organization`` row."""
        failure = self._company(request)
        if failure is not None:
            return failure
        if request.arg("nick") not in data.PEOPLE:
            return self.envelope([])
        organization = {"id": str(data.COMPANY_ID), "name": "Demo Co.", "category": "organization",
                        "status": "normal", "company_id": str(data.COMPANY_ID)}  # fmt: skip
        rows = [organization, *self.workspaces.values()]
        return self.envelope([{"Workspace": r} for r in rows])

    async def sub_workspaces(self, request: Request) -> Response:
        """``GET /workspaces/sub_workspaces``: workspaces whose ``parent_id`` is this one."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        rows = [r for r in self.workspaces.values() if r["parent_id"] == str(workspace_id)]
        return self.envelope([{"Workspace": r} for r in rows])

    async def members(self, request: Request) -> Response:
        """``GET /workspaces/users``: ``UserWorkspace`` rows (``user``, ``fields``); the
        ``workspace_id`` may be the company's id too (TAPD.md §4), which gives the same
        people here (whom TAPD lists for a company id is not documented)."""
        if request.arg("workspace_id") != str(data.COMPANY_ID):
            _, failure = self._workspace(request)
            if failure is not None:
                return failure
        wanted = [u for u in (request.arg("user") or "").split(",") if u]
        rows = [data.member(n, nick) for n, nick in enumerate(data.PEOPLE)]
        rows = [r for r in rows if not wanted or r["user"] in wanted]
        fields = request.arg("fields")
        return self.envelope([{"UserWorkspace": trimmed(r, fields)} for r in rows])

    async def roles(self, request: Request) -> Response:
        """``GET /roles``: role id → name."""
        _, failure = self._workspace(request)
        if failure is not None:
            return failure
        return self.envelope({"1000000000000000010": "开发人员", "1000000000000000015": "管理员"})

    async def user_info(self, request: Request) -> Response:
        """``GET /users/info``: only for user tokens (personal access tokens, and tokens
        of an authorization code); the answer's fields beyond ``nick`` are inferred."""
        authorization = request.headers.get("authorization", "")
        token = authorization[len("Bearer ") :].strip()
        if not authorization.startswith("Bearer ") or (
            token not in self.access_tokens and token not in self._user_tokens
        ):
            return self.error_response(422, "users/info needs a user access token")
        return self.envelope(
            {"id": "6081", "nick": "alice", "name": "Alice", "avatar": "https://tapd.test/a.png",
             "enabled": "1", "status_id": "1", "status_name": "在职"}
        )  # fmt: skip

    async def relate_third_projects(self, request: Request) -> Response:
        """``GET /workspaces/relate_third_projects?workspace_id=&third_type=``."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        assert workspace_id is not None
        third_type = request.arg("third_type")
        projects = self.third_projects[workspace_id]
        if third_type not in projects:
            return self.error_response(422, "third_type must be one of zhiyan, bk, tgit, tsvn")
        return self.envelope(projects[third_type])

    # -- endpoints: list resources ---------------------------------------------------

    def _rows(
        self, request: Request, table: Table
    ) -> tuple[list[dict[str, Any]] | None, Response | None]:
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return None, failure
        assert workspace_id is not None
        if table.needs_one_of and not any(request.arg(k) for k in table.needs_one_of):
            needed = " or ".join(table.needs_one_of)
            return None, self.error_response(422, f"{needed} is required")
        rows = self.tables[table.name][workspace_id]
        key = (table.name, _selection(request))
        return self._remember(key, rows, lambda: filtered(rows, request.query)), None

    def _ordered(
        self, table: Table, request: Request, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The filtered rows in the order asked for."""
        order = _order(request)
        key = (table.name, _selection(request), order)
        return self._remember(key, rows, lambda: ordered(rows, order))

    def _remember(
        self,
        key: tuple[Any, ...],
        source: list[dict[str, Any]],
        compute: Callable[[], list[dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        """``compute()``, remembered while ``source`` is the same list of the same length
        and nothing was saved (or :meth:`data_changed`), so that paging through a large
        set neither filters nor sorts it again for every page. Holding ``source`` keeps
        its identity from being reused by another list."""
        held = self._remembered.get(key)
        if held is not None and held.source is source and held.length == len(source):
            return held.rows
        result = compute()
        self._remembered[key] = _Remembered(source, len(source), result)
        return result

    def _lister(self, table: Table) -> Handler:
        async def list_items(request: Request) -> Response:
            rows, failure = self._rows(request, table)
            if failure is not None:
                return failure
            assert rows is not None
            rows = self._ordered(table, request, rows)
            try:
                chosen = page_of(
                    rows,
                    request.args,
                    table.max_limit,
                    max_depth=self.paging_depth,
                    order=_order(request),
                )
            except PagingError as exc:
                return self.error_response(422, str(exc))
            fields = request.arg("fields")
            return self.envelope([{table.wrapper: trimmed(r, fields)} for r in chosen])

        list_items.__doc__ = f"``GET`` {table.name}: filters, order, fields, paging."
        return list_items

    def _counter(self, table: Table) -> Handler:
        async def count_items(request: Request) -> Response:
            rows, failure = self._rows(request, table)
            if failure is not None:
                return failure
            assert rows is not None
            return self.envelope({"count": len(rows)})

        return count_items

    def _saver(self, table: Table) -> Handler:
        async def save(request: Request) -> Response:
            form = request.form()
            workspace_id, failure = self._form_workspace(request)
            if failure is not None:
                return failure
            assert workspace_id is not None
            rows = self.tables[table.name][workspace_id]
            self.data_changed()  # filters and orders must be computed again
            form, unknown = _custom_fields_named(form, table, workspace_id)
            if unknown is not None:
                return self.error_response(422, f"no custom field is named {unknown!r}")
            if form.get("id"):
                return self._update(table, rows, form)
            missing = [k for k in table.required if not form.get(k)]
            if missing:
                return self.error_response(422, f"{', '.join(missing)} is required")
            row = self._new_row(workspace_id, rows, form, table.created)
            rows.append(row)
            return self.envelope({table.wrapper: row})

        return save

    def _now(self) -> str:
        return data.tapd_time(datetime(2025, 9, 1) + timedelta(seconds=self.clock.monotonic()))

    def _new_row(
        self,
        workspace_id: int,
        rows: list[dict[str, Any]],
        form: Mapping[str, str],
        created: Mapping[str, str],
    ) -> dict[str, Any]:
        # The shape of the table's rows, emptied the way TAPD empties a new item, then
        # what TAPD fills in itself (``created``); a type or template id is the
        # workspace's, as on every listed item.
        template = rows[0] if rows else {}
        row: dict[str, Any] = {k: _emptied(v) for k, v in template.items()}
        for key in ("workitem_type_id", "template_id"):
            if template.get(key):
                row[key] = template[key]
        row.update({k: v for k, v in created.items() if k in row})
        now = self._now()
        new_id = f"11{workspace_id}{990000000 + next(self._new_ids)}"
        row.update({"id": new_id, "workspace_id": str(workspace_id), "created": now,
                    "modified": now})  # fmt: skip
        if "creator" in row and not form.get("creator"):
            row["creator"] = TAPD_API_USER
        for key in ("path", "ancestor_id"):
            if key in row:
                row[key] = f"{new_id}:" if key == "path" else new_id
        row.update({k: v for k, v in form.items() if k not in _NOT_STORED})
        return row

    def _update(
        self, table: Table, rows: list[dict[str, Any]], form: Mapping[str, str]
    ) -> Response:
        missing = [k for k in table.update_needs if not form.get(k)]
        if missing:
            return self.error_response(422, f"{', '.join(missing)} is required")
        for row in rows:
            if row["id"] == form["id"]:
                row.update({k: v for k, v in form.items() if k not in _NOT_STORED})
                if "modified" in row:
                    row["modified"] = self._now()
                return self.envelope({table.wrapper: row})
        return self.error_response(422, f"{table.wrapper} {form['id']} not existed")

    async def copy_story(self, request: Request) -> Response:
        """``POST /stories/copy_story``: ``workspace_id`` and ``src_story_id`` name the
        story, ``dst_workspace_id`` where its copy goes; ``sync_fields``,
        ``dst_workitem_type_id``, ``new_creator``, ``new_status`` as TAPD's reference
        page lists them. Answers ``{"Story": …}``, the new story.

        Inferred (TAPD's page does not say): the copy always takes the ``name`` and
        ``description`` (as both of TAPD's examples show), then each of ``sync_fields``
        that is a story field (``begin_due``: ``begin`` and ``due``; attachments,
        comments and ``custom_field::<名>`` are not modelled); without
        ``new_status`` it starts ``planning``, without ``new_creator`` it is created by
        the fake's API user; an unknown source story gives 422, an unknown target
        workspace 404 as for ``workspace_id``.
        """
        form = request.form()
        source_ws, failure = self._form_workspace(request)
        if failure is not None:
            return failure
        target_ws, failure = self._form_workspace(request, "dst_workspace_id")
        if failure is not None:
            return failure
        assert source_ws is not None
        assert target_ws is not None
        story_id = form.get("src_story_id", "")
        source = next((r for r in self.tables["stories"][source_ws] if r["id"] == story_id), None)
        if source is None:
            return self.error_response(422, f"Story {story_id} not existed")
        synced = {"name", "description"}
        for name in filter(None, form.get("sync_fields", "").split(",")):
            synced.update(("begin", "due") if name == "begin_due" else (name,))
        copied = {k: v for k, v in source.items() if k in synced and k not in _NOT_COPIED}
        copied["status"] = form.get("new_status") or "planning"
        if form.get("new_creator"):
            copied["creator"] = form["new_creator"]
        if form.get("dst_workitem_type_id"):
            copied["workitem_type_id"] = form["dst_workitem_type_id"]
        rows = self.tables["stories"][target_ws]
        self.data_changed()
        row = self._new_row(target_ws, rows, copied, _NEW_STORY)
        rows.append(row)
        return self.envelope({"Story": row})

    def _iteration_lock(self, *, locking: bool) -> Handler:
        async def lock(request: Request) -> Response:
            form = request.form()
            workspace_id, failure = self._form_workspace(request)
            if failure is not None:
                return failure
            assert workspace_id is not None
            iteration_id = form.get("iteration_id", "")
            if not iteration_id:
                return self.error_response(422, "iteration_id is required")
            rows = self.tables["iterations"][workspace_id]
            if not any(row["id"] == iteration_id for row in rows):
                return self.error_response(422, f"Iteration {iteration_id} not existed")
            if not locking:
                self.locked_iterations.pop(iteration_id, None)
                return self.envelope(f"unlock {iteration_id} successfully")
            types = tuple(t for t in form.get("lock_types", "").split(",") if t)
            if any(t not in ("__ALL_STORY__", "__ALL_BUG__") for t in types):
                return self.error_response(422, "lock_types is invalid")
            self.locked_iterations[iteration_id] = types
            return self.envelope(f"lock {iteration_id} successfully")

        return lock

    # -- endpoints: settings and workflows ---------------------------------------------

    def _settings(self, entity: str) -> Handler:
        async def settings(request: Request) -> Response:
            workspace_id, failure = self._workspace(request)
            if failure is not None:
                return failure
            assert workspace_id is not None
            rows = data.custom_field_settings(workspace_id, entity)
            return self.envelope([{"CustomFieldConfig": r} for r in rows])

        return settings

    async def fields_info(self, request: Request) -> Response:
        """``GET /stories/get_fields_info`` (and tasks'): a dict keyed by field."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        assert workspace_id is not None
        return self.envelope(data.fields_info(workspace_id))

    def _workflow(self, part: str) -> Handler:
        async def workflow(request: Request) -> Response:
            _, failure = self._workspace(request)
            if failure is not None:
                return failure
            system = request.arg("system")
            if system not in ("story", "bug"):
                return self.error_response(422, "system must be story or bug")
            return self.envelope(data.workflow(system)[part])

        return workflow

    async def all_last_steps(self, request: Request) -> Response:
        """``GET /workflows/all_last_steps``: workitem type id → {status: name}."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        assert workspace_id is not None
        last = data.workflow(request.arg("system") or "story")["last_steps"]
        types = self.tables["workitem_types"][workspace_id]
        return self.envelope({t["id"]: last for t in types})

    async def attachment_down(self, request: Request) -> Response:
        """``GET /attachments/down?id=``: the attachment with a ``download_url``."""
        workspace_id, failure = self._workspace(request)
        if failure is not None:
            return failure
        assert workspace_id is not None
        for row in self.tables["attachments"][workspace_id]:
            if row["id"] == request.arg("id"):
                url = f"https://file.tapd.test/{row['id']}/{row['filename']}?expires=300"
                return self.envelope({"Attachment": {**row, "download_url": url}})
        return self.error_response(422, "attachment not existed")


@define(frozen=True)
class _Remembered:
    """A listing's filtered or ordered rows, and the list they were computed from."""

    source: list[dict[str, Any]] = field(eq=False)
    length: int
    rows: list[dict[str, Any]] = field(eq=False)


def _custom_fields_named(
    form: Mapping[str, str], table: Table, workspace_id: int
) -> tuple[dict[str, str], str | None]:
    """The form with each ``cus_<显示名>`` turned into the ``custom_field_*`` it names
    (TAPD.md §4), by the ``name`` of the entity's custom field settings; else the first
    unknown display name (its refusal, 422, is inferred). A table without custom field
    settings knows no display names."""
    named = [k for k in form if k.startswith("cus_")]
    if not named:
        return dict(form), None
    entity = _SETTINGS.get(table.name)
    settings = data.custom_field_settings(workspace_id, entity) if entity else []
    fields = {s["name"]: s["custom_field"] for s in settings if s.get("enabled") == "1"}
    result: dict[str, str] = {}
    for key, value in form.items():
        if key.startswith("cus_"):
            name = key[len("cus_") :]
            if name not in fields:
                return {}, name
            key = fields[name]
        result[key] = value
    return result, None


def _basic_pair(authorization: str) -> tuple[str | None, str | None]:
    if not authorization.startswith("Basic "):
        return None, None
    try:
        decoded = base64.b64decode(authorization[len("Basic ") :].strip()).decode()
    except (ValueError, UnicodeDecodeError):
        return None, None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else (None, None)


def _order(request: Request) -> str:
    """The order asked for, else TAPD's default (``id desc``)."""
    return request.arg("order") or "id desc"


def _selection(request: Request) -> tuple[tuple[str, str], ...]:
    """The query parameters that choose rows (not how they are paged or trimmed)."""
    return tuple(sorted((k, v) for k, v in request.query if k not in _NOT_SELECTING))
