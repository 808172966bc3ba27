"""FakeTCA: an in-memory TCA server, faithful to what the real one sends.

Modelled on the open-source server (Tencent/CodeAnalysis, Django REST framework
behind nginx) as captured in ``shared/api/tca-captures``, and on the hosted
server's documentation for the ``TCA-*`` ticket headers:

- the envelope ``{"data", "code": 0, "msg": "请求成功", "status_code"}``; errors as
  ``{"status_code", "code", "msg"}`` with Chinese messages (code 1000 on main, 100
  on analysis);
- limit/offset pages ``{count, next, previous, results}`` with absolute ``next``
  URLs built from the request's Host (as Django does), default page size 10;
- a GET without the trailing slash is redirected (301), a POST without it is a 500
  HTML page (Django's APPEND_SLASH);
- ``Authorization: Token <key>`` (self-hosted) and the hosted ``TCA-USERID`` /
  ``TCA-TIMESTAMP`` / ``TCA-TICKET`` headers. How the hosted server checks tickets
  is not public: the window (default 1200 s) and the error bodies (``code`` "-3"
  "ticket过期", "-2" "鉴权失败") are inferred from the open-source server's internal
  tickets. ``Bearer`` is treated as no credentials, as the real server does.
- On ``/server/analysis/`` auth failures are nginx HTML pages
  (``text/html; charset=utf-8``), as behind the real gateway; its internal-only
  routes (``…/projects/{id}/scans/``) then answer a JSON 401 with
  ``WWW-Authenticate: main-internal-ticket`` (captured).
- The analysis routes main serves for scan nodes want ``Node-Identity`` besides the
  token: without it a JSON 401 with ``WWW-Authenticate: tca-node-auth`` (captured).

Endpoints: everything in TCA.md §4 that the SDK calls, in :mod:`._tca_main` (orgs,
teams, repos, branches, schemes and their confs, scan dirs, rule sets, projects,
scans, jobs) and :mod:`._tca_analysis` (lint issues, complexity, duplicates, line
counts, overviews, scan histories), over the deterministic data set of
:mod:`._tca_data`. Creates, updates and deletes persist until :meth:`reset`.

Modelled on captures: envelopes, 201 on creates, ``invalid_fields``, code 1040,
404 "未找到。" (code 100 on analysis), main's JSON 401/403 and the gateway's HTML
401/403 (analysis also answers 403 for a team or repository the caller cannot see, as
the gateway's permission check does), the trailing-slash behaviour, the timestamp
formats. Inferred: the JSON 405 "方法不被允许。" for a method a path does not take
(DRF's message; not captured) and Django's plain 404 page for an unknown path (not
captured), the outsider user (``TCA_OUTSIDER_API_TOKEN``, a valid token
with no access), job progress over ``self.clock`` (``job_durations``: seconds
waiting, seconds running), a configurable result code for the next scan
(``next_scan_result_code``, through :meth:`configure` too). The cancel answer
``{"msg": "取消成功"}`` is taken from the server code (not captured).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from .._clock import Clock
from ..auth import tca_ticket
from ._asgi import Request, Response, json_response
from ._base import FakeServer
from ._faults import HTML_UTF8, Fault
from ._tca_analysis import AnalysisAPI
from ._tca_data import DataSet
from ._tca_filters import BadFilterError, Selections
from ._tca_main import NODE_PROXY_PATH, MainAPI

__all__ = ["TCA_API_TOKEN", "TCA_OUTSIDER_API_TOKEN", "TCA_TOKEN", "TCA_USER_ID", "FakeTCA"]

TCA_USER_ID = "tca-demo-user"
"""The user id the fake accepts for ticket auth by default."""
TCA_TOKEN = "tca-demo-personal-token"
"""The personal token paired with :data:`TCA_USER_ID` for ticket auth."""
TCA_API_TOKEN = "0123456789abcdef0123456789abcdef01234567"
"""The ``Authorization: Token`` key the fake accepts by default (belongs to TCA_USER_ID)."""
TCA_OUTSIDER_API_TOKEN = "fedcba9876543210fedcba9876543210fedcba98"
"""A valid token of a user who is not a member of the team (403 everywhere)."""
OUTSIDERS = frozenset({"outsider"})

MAIN = "/server/main/api"
ANALYSIS = "/server/analysis/api"

_MESSAGES = {
    400: "请求参数错误。",
    401: "身份认证信息未提供。",
    403: "您没有执行该操作的权限。",
    404: "未找到。",
    405: "方法不被允许。",  # inferred: DRF's zh-CN message, no capture of a 405
    429: "请求超过了限速。",
    500: "服务器内部错误。",
    502: "网关错误。",
    503: "服务暂不可用。",
    504: "网关超时。",
}

# Inferred (no capture): Django's stock 404 page for a path no route takes.
_DJANGO_404 = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n'
    "<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n"
    "</body>\n</html>\n"
)
_DJANGO_500 = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n'
    "<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
)


class FakeTCA(FakeServer):
    """A fake TCA server (main and analysis APIs) with deterministic data.

    Args:
        users: user id → personal token, accepted with ticket auth.
        api_tokens: ``Authorization: Token`` key → user id.
        org_sid, team_name: the organisation and team holding the data set.
        orgs, teams_per_org: how many organisations there are, and teams in each. The
            first ones are ``org_sid`` and ``team_name``; the others are named
            ``{org_sid}-{n}`` and ``{team_name}-{n}`` and have no repositories.
        repos: how many repositories the team has.
        projects_per_repo, jobs_per_project: projects of each repository, past jobs
            of each project (all closed; repository 25, when there is one, was
            never scanned: its projects have no job).
        issues_per_project, metrics_per_project: lint issues, and complexity /
            duplicate / line-count rows, of each project.
        job_durations: seconds a created scan's job waits, then runs (fake clock).
        seed: the random seed of the data set.
        ticket_window: seconds a ticket timestamp may be off from the server's clock.
        clock, latency, rate_limit: see :class:`FakeServer`.
    """

    def __init__(
        self,
        *,
        users: Mapping[str, str] | None = None,
        api_tokens: Mapping[str, str] | None = None,
        org_sid: str = "hellotca",
        team_name: str = "demo",
        orgs: int = 1,
        teams_per_org: int = 1,
        repos: int = 25,
        projects_per_repo: int = 2,
        jobs_per_project: int = 3,
        issues_per_project: int = 30,
        metrics_per_project: int = 8,
        job_durations: tuple[float, float] = (2.0, 10.0),
        seed: int = 0,
        ticket_window: float = 1200.0,
        clock: Clock | None = None,
        latency: float = 0.0,
        rate_limit: tuple[int, float] | None = None,
    ) -> None:
        super().__init__(clock=clock, latency=latency, rate_limit=rate_limit)
        self.users = dict(users or {TCA_USER_ID: TCA_TOKEN})
        self.api_tokens = dict(
            api_tokens or {TCA_API_TOKEN: TCA_USER_ID, TCA_OUTSIDER_API_TOKEN: "outsider"}
        )
        self.sizes: dict[str, Any] = {
            "org_sid": org_sid,
            "team_name": team_name,
            "orgs": orgs,
            "teams_per_org": teams_per_org,
            "repos": repos,
            "projects_per_repo": projects_per_repo,
            "jobs_per_project": jobs_per_project,
            "issues_per_project": issues_per_project,
            "metrics_per_project": metrics_per_project,
            "seed": seed,
        }
        self.org_sid = org_sid
        self.team_name = team_name
        self.ticket_window = ticket_window
        self.job_durations = (float(job_durations[0]), float(job_durations[1]))
        self.next_scan_result_code: int | None = None
        self._initial_settings.update(
            ticket_window=ticket_window,
            job_durations=list(self.job_durations),
            next_scan_result_code=None,
        )
        self.data = DataSet(**self.sizes)
        self.selections = Selections()
        """Listings' selected rows, remembered until the data changes (a write, a reset)."""
        self.main = MainAPI(self)
        self.analysis = AnalysisAPI(self)

    # -- data ------------------------------------------------------------------------

    def reset_data(self) -> None:
        """Rebuild the data set from the seed (forgetting every change)."""
        self.data = DataSet(**self.sizes)
        self.selections.clear()

    @property
    def repos(self) -> list[dict[str, Any]]:
        """The team's repositories (raw dicts)."""
        return self.data.repos

    def take_next_result_code(self) -> int:
        """The result code of the scan being created (0 unless one was configured)."""
        code, self.next_scan_result_code = self.next_scan_result_code, None
        return code or 0

    # -- protocol ----------------------------------------------------------------------

    @staticmethod
    def envelope(data: Any, status: int = 200) -> Response:
        """The TCA success envelope, as the servers' ``DefaultJSONRenderer`` makes it
        (TCA.md §2): no data is an empty body; a dict's ``msg`` is the envelope's."""
        if data is None:
            return Response(status=status)
        msg = data.get("msg", "请求成功") if isinstance(data, dict) else "请求成功"
        return json_response({"data": data, "code": 0, "msg": msg, "status_code": status}, status)

    def error_response(
        self, status: int, message: str | None = None, *, code: Any = None, analysis: bool = False
    ) -> Response:
        """The TCA error body for ``status``."""
        body = {
            "status_code": status,
            "code": code if code is not None else (100 if analysis else 1000),
            "msg": message or _MESSAGES.get(status, "请求失败。"),
        }
        headers = {"WWW-Authenticate": "Token"} if status == 401 else {}
        return json_response(body, status, headers)

    def not_found_response(self, request: Request) -> Response:
        """Django's answers for unknown paths, including the APPEND_SLASH behaviour."""
        if request.path.startswith(ANALYSIS):
            # The gateway checks credentials (nginx auth_request) before the analysis
            # server sees the path: no valid credentials is a 401 page whatever the path.
            failure = self.authenticate(request)[1]
            if failure is not None:
                return failure
        if not request.path.endswith("/"):
            handler, _, exists = self.router.match(request.method, request.path + "/")
            if handler is not None or exists:
                if request.method in ("GET", "HEAD"):
                    # Captured: an empty body, typed as Django's HttpResponse types it.
                    query = urlencode(request.query)
                    location = request.path + "/" + (f"?{query}" if query else "")
                    return Response(
                        status=301,
                        headers={"location": location, "content-type": HTML_UTF8},
                    )
                return Response(
                    status=500, body=_DJANGO_500.encode(), headers={"content-type": "text/html"}
                )
        # Inferred: the content type of the (not captured) 404 page is the 500's.
        return Response(
            status=404, body=_DJANGO_404.encode(), headers={"content-type": "text/html"}
        )

    def rate_limit_response(self, identity: str, limit: tuple[int, float], wait: float) -> Response:
        """DRF's throttled answer (inferred: the open-source server configures no throttle)."""
        seconds = max(1, int(wait + 0.999))
        response = self.error_response(
            429, f"请求超过了限速。 Expected available in {seconds} seconds."
        )
        response.headers["Retry-After"] = str(seconds)
        return response

    def authenticate(self, request: Request) -> tuple[str | None, Response | None]:
        """Token or ticket auth; failures as main (JSON) or the gateway (HTML) sends them.

        Main's proxies for scan nodes take only ``Authorization: Token`` with a
        ``Node-Identity`` header (``TCANodeTokenBackend``): anything else is not
        credentials, a 401 challenging ``tca-node-auth`` (captured without the header;
        a bad token's "认证令牌无效。" is DRF's, inferred).
        """
        if NODE_PROXY_PATH.match(request.path):
            return self._node_authenticate(request)
        analysis = request.path.startswith(ANALYSIS)
        user, failure = self._check_credentials(request)
        if failure is None:
            return user, None
        status, code, message = failure
        if analysis:
            page = self._fault_response(Fault.html(status))
            if status == 401:  # nginx passes main's challenge on (captured)
                page.headers["WWW-Authenticate"] = "Token"
            return None, page
        return None, self.error_response(status, message, code=code)

    def _node_authenticate(self, request: Request) -> tuple[str | None, Response | None]:
        authorization = request.headers.get("authorization", "")
        if request.headers.get("node-identity") and authorization.startswith("Token "):
            user, failure = self._check_credentials(request)
        else:
            user, failure = None, (401, 1000, "身份认证信息未提供。")
        if failure is None:
            return user, None
        response = self.error_response(401, failure[2], code=failure[1])
        response.headers["WWW-Authenticate"] = "tca-node-auth"
        return None, response

    def _check_credentials(
        self, request: Request
    ) -> tuple[str | None, tuple[int, Any, str] | None]:
        headers = request.headers
        authorization = headers.get("authorization", "")
        if authorization.startswith("Token "):
            user = self.api_tokens.get(authorization[len("Token ") :].strip())
            if user is None:
                return None, (401, 1000, "认证令牌无效。")
            return user, None
        if "tca-ticket" in headers or "tca-userid" in headers:
            user_id = headers.get("tca-userid", "")
            stamp = headers.get("tca-timestamp", "")
            ticket = headers.get("tca-ticket", "")
            token = self.users.get(user_id)
            if token is None or not stamp.isdigit() or not ticket:
                return None, (401, "-2", "鉴权失败")
            if abs(self.clock.time() - int(stamp)) > self.ticket_window:
                return None, (401, "-3", "ticket过期")
            if ticket != tca_ticket(int(stamp), user_id, token):
                return None, (401, "-2", "鉴权失败")
            return user_id, None
        return None, (401, 1000, "身份认证信息未提供。")

    def paginate(
        self, request: Request, items: list[Any], default_limit: int = 10
    ) -> dict[str, Any]:
        """Django REST framework's LimitOffsetPagination, ``next``/``previous`` included."""
        limit = _positive(request.arg("limit"), default_limit) or default_limit
        offset = _positive(request.arg("offset"), 0)
        count = len(items)
        others = [(k, v) for k, v in request.query if k not in ("limit", "offset")]

        def link(new_offset: int) -> str:
            query = [*others, ("limit", str(limit))]
            if new_offset > 0:
                query.append(("offset", str(new_offset)))
            return request.url_for(request.path, urlencode(query))

        return {
            "count": count,
            "next": link(offset + limit) if offset + limit < count else None,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
            "results": items[offset : offset + limit],
        }

    def configure_extra(self, key: str, value: Any) -> None:
        """``ticket_window`` (seconds), ``job_durations`` ([waiting, running] seconds),
        ``next_scan_result_code`` (the next created scan ends with it; >= 100 fails)."""
        if key == "ticket_window":
            self.ticket_window = float(value)
        elif key == "job_durations":
            self.job_durations = (float(value[0]), float(value[1]))
        elif key == "next_scan_result_code":
            self.next_scan_result_code = None if value is None else int(value)
        else:
            super().configure_extra(key, value)

    async def _dispatch(self, request: Request) -> Response:
        """The base dispatch; a refused filter value is DRF's 400. A write forgets the
        remembered selections (it may change what a listing selects)."""
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self.selections.clear()
        try:
            return await super()._dispatch(request)
        except BadFilterError as exc:
            return self.invalid({exc.field: [exc.message]})

    def caller(self, request: Request) -> str:
        """The authenticated user of a request."""
        return self._check_credentials(request)[0] or ""

    def check_team(self, request: Request) -> Response | None:
        """403 (as main sends it) unless the path's team exists and the caller is a member."""
        team = self.data.find_team(
            request.params.get("org_sid", ""), request.params.get("team_name", "")
        )
        if team is None or self.caller(request) in OUTSIDERS:
            return self.error_response(403)
        return None

    def html_error(self, status: int) -> Response:
        """The gateway's nginx page for ``status``."""
        return self._fault_response(Fault.html(status))

    def invalid(self, errors: Mapping[str, list[str]]) -> Response:
        """DRF's 400: ``msg`` is the first field and message, ``invalid_fields`` all of them."""
        field, messages = next(iter(errors.items()))
        body = {
            "status_code": 400,
            "code": 1000,
            "msg": f"{field} {messages[0]}",
            "invalid_fields": [{"field": k, "message": v} for k, v in errors.items()],
        }
        return json_response(body, 400)


def _positive(value: str | None, default: int) -> int:
    """DRF's lenient positive-int parsing: anything invalid gives the default."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if number >= 0 else default
