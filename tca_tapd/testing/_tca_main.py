"""The main-server endpoints of :class:`~tca_tapd.testing.FakeTCA`.

Modelled on TCA.md §4 and the captures (``main_*``): creates answer 201 (the scan
create 200), validation failures 400 with ``invalid_fields``, a registered
repository 400 code 1040 "代码库已接入", unknown objects 404 "未找到。"; an org
create needs ``owner`` and ``tel_number``, a team create only ``name``; a created
repository's ``scm_url`` is normalised to ``http://host/path`` and its ``ssh_url``
derived (captured for an https URL; the other URL forms follow the server's
``util/scm`` code); a waiting job shows the seconds waited so far, no expiry and no
task (captured). The cancel answer ``{"msg": "取消成功"}`` is from the server code
(``JobCancelApiView``), not captured. The analysis routes main proxies for scan nodes
(``…/projects/{id}/codelint/issues/`` and ``overview/…``) want ``Node-Identity``
besides the token (captured 401 ``WWW-Authenticate: tca-node-auth``). Inferred: the
400 for a duplicate team name, and job progress (waiting for ``job_durations[0]``
seconds of the fake's clock, then running for ``job_durations[1]``, then closed).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ._asgi import Request, Response
from ._tca_data import analysis_time, public, user
from ._tca_filters import apply_filters, contains, csv_in, exact, range_of

if TYPE_CHECKING:
    from ._tca import FakeTCA
    from ._tca_data import DataSet

__all__ = ["NODE_PROXY_PATH", "MainAPI", "repo_urls"]

MAIN = "/server/main/api"
REQUIRED = "该字段是必填项。"
NODE_PROXY_PATH = re.compile(
    "^" + MAIN + r"/orgs/[^/]+/teams/[^/]+/repos/[^/]+/projects/[^/]+/"
    r"(codelint/issues|overview|overview/(latestscan|lintscans|cycscans|dupscans|clocscans))/$"
)
"""Main's proxies to the analysis server for scan nodes (``PTAnalyseServerProxyAPIView``):
Token auth only with a ``Node-Identity`` header (``TCANodeTokenBackend``)."""


def _not_a_choice(value: Any) -> str:
    return f"“{value}” 不是合法选项。"


class MainAPI:
    """Handlers for ``/server/main/api/…``; registered on the fake's router."""

    def __init__(self, fake: FakeTCA) -> None:
        self.fake = fake
        r = fake.router
        v3_org = MAIN + "/v3/orgs/{org_sid}"
        team = MAIN + "/orgs/{org_sid}/teams/{team_name}"
        repo = team + "/repos/{repo_id}"
        scheme = repo + "/schemes/{scheme_id}"
        project = repo + "/projects/{project_id}"
        r.add("GET", MAIN + "/v3/orgs/", self.list_orgs)
        r.add("POST", MAIN + "/v3/orgs/", self.create_org)
        r.add("GET", v3_org + "/", self.get_org)
        r.add("GET", v3_org + "/teams/", self.list_teams)
        r.add("POST", v3_org + "/teams/", self.create_team)
        r.add("GET", v3_org + "/teams/{team_name}/", self.get_team)
        r.add("GET", MAIN + "/orgs/{org_sid}/schemes/", self.list_templates)
        r.add("GET", MAIN + "/orgs/{org_sid}/schemes/{template_id}/", self.get_template)
        r.add("GET", team + "/repos/", self.list_repos)
        r.add("POST", team + "/repos/", self.create_repo)
        r.add("GET", repo + "/", self.get_repo)
        r.add("PUT", repo + "/", self.update_repo)
        r.add("PATCH", repo + "/", self.update_repo)
        r.add("DELETE", repo + "/", self.delete_repo)
        r.add("GET", repo + "/branches/", self.list_branches)
        r.add("GET", repo + "/schemes/", self.list_schemes)
        r.add("POST", repo + "/copyscheme/", self.copy_scheme)
        r.add(
            "POST",
            MAIN + "/v3/orgs/{org_sid}/teams/{team_name}/repos/{repo_id}/initscheme/",
            self.init_scheme,
        )
        for leaf in ("basicconf", "lintconf", "metricconf"):
            r.add("GET", f"{scheme}/{leaf}/", self.get_conf)
            r.add("PUT", f"{scheme}/{leaf}/", self.update_conf)
            r.add("PATCH", f"{scheme}/{leaf}/", self.update_conf)
        r.add("GET", scheme + "/scandirs/", self.list_scan_dirs)
        r.add("POST", scheme + "/scandirs/", self.create_scan_dir)
        r.add("GET", scheme + "/scandirs/{dir_id}/", self.get_scan_dir)
        r.add("PUT", scheme + "/scandirs/{dir_id}/", self.update_scan_dir)
        r.add("PATCH", scheme + "/scandirs/{dir_id}/", self.update_scan_dir)
        r.add("DELETE", scheme + "/scandirs/{dir_id}/", self.delete_scan_dir)
        v3_repo = MAIN + "/v3/orgs/{org_sid}/teams/{team_name}/repos/{repo_id}"
        v3_profile = v3_repo + "/schemes/{scheme_id}/checkprofile"
        r.add("GET", v3_profile + "/checkpackages/", self.list_scheme_packages)
        r.add("POST", v3_profile + "/checkpackages/", self.add_scheme_packages)
        r.add("GET", v3_profile + "/allcheckpackages/", self.list_all_packages)
        r.add("GET", repo + "/projects/", self.list_projects)
        r.add("POST", repo + "/projects/", self.create_project)
        r.add("GET", project + "/", self.get_project)
        r.add("POST", project + "/scans/create/", self.create_scan)
        r.add("GET", project + "/jobs/", self.list_jobs)
        r.add("GET", project + "/jobs/{job_id}/detail/", self.get_job)
        r.add(
            "POST",
            v3_repo + "/projects/{project_id}/jobs/{job_id}/cancel/",
            self.cancel_job,
        )
        # The analysis routes main proxies for scan nodes (server code, v1_org.py; the
        # issue list and the overview captured). Its scans/, issues/summary/ and
        # epreport/ proxies are not modelled (the fake has no such analysis route).
        r.add("GET", project + "/codelint/issues/", self.node_proxy)
        r.add("GET", project + "/overview/", self.node_proxy)
        for leaf in ("latestscan", "lintscans", "cycscans", "dupscans", "clocscans"):
            r.add("GET", f"{project}/overview/{leaf}/", self.node_proxy)

    # -- helpers -------------------------------------------------------------------

    @property
    def data(self) -> DataSet:
        """The fake's current data set."""
        return self.fake.data

    def _find(self, request: Request, *levels: str) -> tuple[dict[str, Any], ...] | Response:
        """Resolve the path's objects (``repo``, ``scheme``, ``project``); 403/404 as the server."""
        fake = self.fake
        denied = fake.check_team(request)
        if denied is not None:
            return denied
        found: list[dict[str, Any]] = []
        params = request.params
        repo = self.data.team_repo(params["org_sid"], params["team_name"], _int(params["repo_id"]))
        if repo is None:
            return fake.error_response(404)
        found.append(repo)
        if "scheme" in levels:
            scheme = self.data.schemes.get(_int(request.params["scheme_id"]))
            if scheme is None or scheme["repo"] != repo["id"]:
                return fake.error_response(404)
            found.append(scheme)
        if "project" in levels:
            project = self.data.projects.get(_int(request.params["project_id"]))
            if project is None or project["repo"] != repo["id"]:
                return fake.error_response(404)
            found.append(project)
        return tuple(found)

    def _org_known(self, request: Request) -> Response | None:
        if self.data.find_org(request.params["org_sid"]) is None:
            return self.fake.error_response(404)
        return None

    # -- orgs and teams -------------------------------------------------------------------

    async def list_orgs(self, request: Request) -> Response:
        """``GET v3/orgs/``: ``name`` contains."""
        orgs = apply_filters(request, self.data.orgs, [contains("name")])
        return self.fake.envelope(self.fake.paginate(request, orgs))

    async def create_org(self, request: Request) -> Response:
        """``POST v3/orgs/``: 201 with the org (captured); ``owner`` and ``tel_number``
        required (captured with ``name`` given). ``name`` is required too and comes
        after them in ``invalid_fields`` (the serializer's field order, server code)."""
        body = _body(request)
        errors = {f: [REQUIRED] for f in ("owner", "tel_number", "name") if not body.get(f)}
        if errors:
            return self.fake.invalid(errors)
        org = self.data.add_org(
            str(body["name"]),
            str(body["owner"]),
            str(body["tel_number"]),
            self.fake.caller(request),
            address=body.get("address"),
            description=body.get("description"),
        )
        return self.fake.envelope(org, 201)

    async def get_org(self, request: Request) -> Response:
        """``GET v3/orgs/{org_sid}/``."""
        org = self.data.find_org(request.params["org_sid"])
        return self.fake.envelope(org) if org else self.fake.error_response(404)

    async def list_teams(self, request: Request) -> Response:
        """``GET v3/orgs/{org_sid}/teams/``: a bare array (unpaginated)."""
        missing = self._org_known(request)
        if missing:
            return missing
        teams = apply_filters(
            request,
            self.data.org_teams(request.params["org_sid"]),
            [exact("status", numeric=True), contains("query", "name", "display_name")],
        )
        return self.fake.envelope(teams)

    async def get_team(self, request: Request) -> Response:
        """``GET v3/orgs/{org_sid}/teams/{team_name}/`` (route from server code)."""
        team = self.data.find_team(request.params["org_sid"], request.params["team_name"])
        return self.fake.envelope(team) if team else self.fake.error_response(404)

    async def create_team(self, request: Request) -> Response:
        """``POST v3/orgs/{org_sid}/teams/``: only ``name`` required (captured).

        An omitted or empty ``display_name`` becomes the ``name`` (server code:
        ``ProjectTeamManager.create_project_team``). Inferred: the 400 for a name taken.
        """
        org = self.data.find_org(request.params["org_sid"])
        if org is None:
            return self.fake.error_response(404)
        body = _body(request)
        errors = {"name": [REQUIRED]} if not body.get("name") else {}
        if not errors and self.data.find_team(org["org_sid"], body["name"]) is not None:
            errors["name"] = ["团队唯一标识已存在"]
        if errors:
            return self.fake.invalid(errors)
        display_name = body.get("display_name") or body["name"]
        team = self.data.add_team(org, body["name"], display_name, body.get("description"))
        return self.fake.envelope(team, 201)

    async def list_templates(self, request: Request) -> Response:
        """``GET orgs/{org_sid}/schemes/``: ``name`` contains; ``scope``.

        ``scope`` (inferred from its names): ``system`` is the built-in templates,
        ``not_system`` and ``editable`` the organisation's own (the caller administers
        it), ``all`` (or none) every template.
        """
        missing = self._org_known(request)
        if missing:
            return missing
        items = apply_filters(request, self.data.templates, [contains("name")])
        scope = request.arg("scope")
        if scope == "system":
            items = [t for t in items if t["_system"]]
        elif scope in ("not_system", "editable"):
            items = [t for t in items if not t["_system"]]
        return self.fake.envelope(self.fake.paginate(request, [public(t) for t in items]))

    async def get_template(self, request: Request) -> Response:
        """``GET orgs/{org_sid}/schemes/{id}/``."""
        missing = self._org_known(request)
        if missing:
            return missing
        for template in self.data.templates:
            if str(template["id"]) == request.params["template_id"]:
                return self.fake.envelope(public(template))
        return self.fake.error_response(404)

    # -- repositories ---------------------------------------------------------------------

    async def list_repos(self, request: Request) -> Response:
        """``GET …/repos/``: filters scm_url, scm_url_or_name, scope.

        As the server's ``RepositoryFilter`` (code): ``scm_url`` is normalised as a git
        and as an svn URL and either must equal the stored one (so any spelling of a
        registered URL finds it); ``scm_url_or_name`` loses its ``http(s)://``, trailing
        ``/`` and ``.git`` and is searched in the URL or the name (case-insensitive).
        """
        denied = self.fake.check_team(request)
        if denied is not None:
            return denied
        repos = self.data.team_repos(request.params["org_sid"], request.params["team_name"])
        wanted = request.arg("scm_url")
        if wanted:
            forms = {_git_repository(wanted), _svn_repository(wanted)} - {None}
            repos = [r for r in repos if r["scm_url"] in forms]
        needle = request.arg("scm_url_or_name")
        if needle:
            needle = needle.replace("https://", "").replace("http://", "").strip().rstrip("/")
            needle = _without_git_suffix(needle).lower()
            repos = [
                r for r in repos if needle in r["scm_url"].lower() or needle in r["name"].lower()
            ]
        if request.arg("scope") in ("my", "related_me"):
            # Inferred: "my" and "related_me" narrow to repos the caller created.
            caller = self.fake.caller(request)
            repos = [r for r in repos if r["creator"]["username"] == caller]
        # Inferred: newest (highest id) first; no capture lists more than one repository.
        ordered = sorted(repos, key=lambda r: r["id"], reverse=True)
        return self.fake.envelope(self.fake.paginate(request, ordered))

    async def get_repo(self, request: Request) -> Response:
        """``GET …/repos/{repo_id}/``."""
        found = self._find(request)
        return found if isinstance(found, Response) else self.fake.envelope(found[0])

    async def create_repo(self, request: Request) -> Response:
        """``POST …/repos/``: 201 with the short form; 1040 when the URL is registered.

        ``scm_url`` is stored normalised and ``ssh_url``, unless given, derived from it
        (:func:`repo_urls`; captured: ``https://github.com/Tencent/CodeAnalysis`` gives
        ``http://github.com/Tencent/CodeAnalysis`` and
        ``git@github.com:Tencent/CodeAnalysis``). A URL is registered once per team
        (the server's unique ``(scm_url, url_key)``, its ``url_key`` naming the team):
        the same repository in another team is a new one. A URL with no path is a 400
        code 1040 "代码库地址无效" (server code). Inferred: URLs compare
        case-insensitively (as MySQL's default collation does).
        """
        denied = self.fake.check_team(request)
        if denied is not None:
            return denied
        body = _body(request)
        errors = {f: [REQUIRED] for f in ("scm_url", "scm_type") if not body.get(f)}
        if body.get("scm_type") and body["scm_type"] not in ("git", "svn"):
            errors["scm_type"] = [_not_a_choice(body["scm_type"])]
        if errors:
            return self.fake.invalid(errors)
        org_sid, team_name = request.params["org_sid"], request.params["team_name"]
        scm_url, ssh_url = repo_urls(body["scm_type"], str(body["scm_url"]), body.get("ssh_url"))
        if scm_url is None:
            return self.fake.error_response(400, "代码库地址无效", code=1040)
        wanted = scm_url.lower()
        if any(r["scm_url"].lower() == wanted for r in self.data.team_repos(org_sid, team_name)):
            return self.fake.error_response(400, "代码库已接入", code=1040)
        team = self.data.find_team(org_sid, team_name)
        assert team is not None  # check_team passed
        repo = self.data.add_repo(
            team,
            scm_url,
            body["scm_type"],
            body.get("name"),
            ssh_url,
            self.fake.caller(request),
        )
        short = {
            k: repo[k]
            for k in ("id", "name", "scm_url", "ssh_url", "scm_type", "created_from", "scm_auth")
        }
        return self.fake.envelope({**short, "labels": []}, 201)

    async def update_repo(self, request: Request) -> Response:
        """``PUT``/``PATCH …/repos/{repo_id}/``: name, ssh_url, scm_auth (partial)."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        repo = found[0]
        body = _body(request)
        for key in ("name", "ssh_url"):
            if key in body:
                repo[key] = body[key]
        if isinstance(body.get("scm_auth"), dict):
            repo["scm_auth"] = self._scm_auth(
                repo["id"], body["scm_auth"], self.fake.caller(request)
            )
        return self.fake.envelope(repo)

    def _scm_auth(self, repo_id: int, given: dict[str, Any], caller: str) -> dict[str, Any]:
        """The stored credential reference, expanded as the server shows it (inferred names)."""
        now = analysis_time(datetime.fromtimestamp(self.fake.clock.time(), timezone.utc))
        auth: dict[str, Any] = {
            "id": repo_id,
            "scm_account": None,
            "scm_oauth": None,
            "scm_ssh": None,
        }
        for key in ("scm_account", "scm_oauth", "scm_ssh"):
            if key in given:
                auth[key] = {
                    "id": given[key],
                    "name": f"credential-{given[key]}",
                    "scm_platform": 2,
                    "scm_platform_desc": None,
                    "user": user(caller),
                }
        auth.update(auth_type=given.get("auth_type"), created_time=now, modified_time=now)
        return auth

    async def delete_repo(self, request: Request) -> Response:
        """``DELETE …/repos/{repo_id}/``: 204, empty body."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        self.data.repos.remove(found[0])
        return Response(status=204)

    async def list_branches(self, request: Request) -> Response:
        """``GET …/repos/{repo_id}/branches/``."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        return self.fake.envelope(self.fake.paginate(request, self.data.branches(found[0]["id"])))

    # -- schemes --------------------------------------------------------------------------

    async def list_schemes(self, request: Request) -> Response:
        """``GET …/schemes/``: ``name`` contains, ``status``, ``default_flag``,
        ``include_branch``/``exclude_branch`` (comma-separated: a project of the scheme
        on one of them, or none), ``refer_template_ids`` (exactly these templates; a
        value the server cannot read filters nothing, as its ``ScanSchemeFilter`` does)."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        schemes = [s for s in self.data.schemes.values() if s["repo"] == found[0]["id"]]
        schemes = apply_filters(
            request,
            schemes,
            [contains("name"), exact("status", numeric=True), exact("default_flag")],
        )
        for param, wanted in (("include_branch", True), ("exclude_branch", False)):
            branches = set(filter(None, (request.arg(param) or "").split(",")))
            if branches:
                schemes = [s for s in schemes if bool(self._branches(s) & branches) is wanted]
        templates = request.arg("refer_template_ids")
        if templates:
            try:
                ids = sorted(int(part) for part in templates.split(","))
            except ValueError:
                ids = None
            if ids is not None:
                schemes = [s for s in schemes if s.get("refer_template_ids") == ids]
        return self.fake.envelope(self.fake.paginate(request, schemes))

    def _branches(self, scheme: dict[str, Any]) -> set[str]:
        """The branches of the projects using ``scheme``."""
        return {
            p["branch"]
            for p in self.data.projects.values()
            if p["scan_scheme"]["id"] == scheme["id"]
        }

    async def copy_scheme(self, request: Request) -> Response:
        """``POST …/copyscheme/`` ``{name, ref_scheme}``: 201 ``{"scan_scheme": id}``."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        body = _body(request)
        errors = {f: [REQUIRED] for f in ("name", "ref_scheme") if not body.get(f)}
        if not errors and not any(t["id"] == body["ref_scheme"] for t in self.data.templates):
            errors["ref_scheme"] = [f"无效主键 “{body['ref_scheme']}” － 对象不存在。"]
        if errors:
            return self.fake.invalid(errors)
        scheme = self.data.add_scheme(found[0]["id"], body["name"], ["python", "go"])
        scheme["refer_scheme"] = body["ref_scheme"]
        return self.fake.envelope({"scan_scheme": scheme["id"]}, 201)

    async def init_scheme(self, request: Request) -> Response:
        """``POST v3/…/initscheme/``: 201 ``{"scan_scheme": id}``."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        body = _body(request)
        if not body.get("name"):
            return self.fake.invalid({"name": [REQUIRED]})
        scheme = self.data.add_scheme(
            found[0]["id"], body["name"], list(body.get("languages") or [])
        )
        self.data.lint_confs[scheme["id"]]["enabled"] = bool(body.get("lint_enabled", True))
        metric = self.data.metric_confs[scheme["id"]]
        for key in ("cc_scan_enabled", "dup_scan_enabled", "cloc_scan_enabled"):
            metric[key] = bool(body.get(key, True))
        return self.fake.envelope({"scan_scheme": scheme["id"]}, 201)

    def _conf(self, scheme: dict[str, Any], leaf: str) -> dict[str, Any]:
        if leaf == "basicconf":
            return scheme
        if leaf == "lintconf":
            return self.data.lint_confs[scheme["id"]]
        return self.data.metric_confs[scheme["id"]]

    async def get_conf(self, request: Request) -> Response:
        """``GET …/schemes/{id}/{basicconf,lintconf,metricconf}/``."""
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        scheme = found[1]
        leaf = request.path.rstrip("/").rsplit("/", 1)[-1]
        return self.fake.envelope(self._shown_conf(scheme, leaf))

    def _shown_conf(self, scheme: dict[str, Any], leaf: str) -> dict[str, Any]:
        """A conf as its route answers it: the lint conf with its rule sets' ids, the
        basic conf with the scheme it was copied from described (``RefSchemeSimple``,
        the server's schema), where the schemes list gives only its id."""
        if leaf == "lintconf":
            return self.data.lint_conf(scheme["id"])
        if leaf == "basicconf" and scheme.get("refer_scheme") is not None:
            ref = next(t for t in self.data.templates if t["id"] == scheme["refer_scheme"])
            described = {"id": ref["id"], "scheme_key": ref["scheme_key"], "repo": None,
                         "is_template": True, "name": ref["name"]}  # fmt: skip
            return {**scheme, "refer_scheme": described}
        return self._conf(scheme, leaf)

    async def update_conf(self, request: Request) -> Response:
        """``PUT`` (a whole update: ``basicconf`` needs its ``name``, the server's schema)
        or ``PATCH`` (partial) a conf: known fields are updated, type-checked like DRF.

        The messages are DRF's zh-CN ones; inferred (not captured): "请填写合法的整数值。"
        for a non-integer where an integer is wanted.
        """
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        scheme = found[1]
        leaf = request.path.rstrip("/").rsplit("/", 1)[-1]
        conf = self._conf(scheme, leaf)
        body = _body(request)
        errors: dict[str, list[str]] = {}
        if request.method == "PUT" and leaf == "basicconf" and not body.get("name"):
            errors["name"] = [REQUIRED]
        for key, value in body.items():
            if key in ("id", "scan_scheme", "repo", "checkprofile") or key not in conf:
                continue
            current = conf[key]
            if isinstance(current, bool) and not isinstance(value, bool):
                errors[key] = ["必须是有效的布尔值。"]
            elif (
                isinstance(current, int)
                and not isinstance(current, bool)
                and (isinstance(value, bool) or not isinstance(value, int))
            ):
                errors[key] = ["请填写合法的整数值。"]
            else:
                conf[key] = value
        if errors:
            return self.fake.invalid(errors)
        if leaf == "basicconf":
            # The server's ScanSchemeBasicConfSerializer.update: a missing default_flag
            # is false; a true one takes the mark off the repository's other schemes.
            flag = body.get("default_flag") is True
            if flag:
                for other in self.data.schemes.values():
                    if other["repo"] == scheme["repo"]:
                        other["default_flag"] = False
            scheme["default_flag"] = flag
        return self.fake.envelope(self._shown_conf(scheme, leaf))

    # -- scan dirs ------------------------------------------------------------------------

    def _scan_dir(self, request: Request) -> tuple[list[dict[str, Any]], dict[str, Any]] | Response:
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        dirs = self.data.scan_dirs[found[1]["id"]]
        for entry in dirs:
            if str(entry["id"]) == request.params["dir_id"]:
                return dirs, entry
        return self.fake.error_response(404)

    def _check_scan_dir(self, body: dict[str, Any], *, partial: bool) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if not partial and not body.get("dir_path"):
            errors["dir_path"] = [REQUIRED]
        for key, choices in (("path_type", (1, 2)), ("scan_type", (0, 1, 2))):
            if key in body and body[key] not in choices:
                errors[key] = [_not_a_choice(body[key])]
        return errors

    async def list_scan_dirs(self, request: Request) -> Response:
        """``GET …/scandirs/``."""
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        return self.fake.envelope(self.fake.paginate(request, self.data.scan_dirs[found[1]["id"]]))

    async def create_scan_dir(self, request: Request) -> Response:
        """``POST …/scandirs/``: 201; 400 with every invalid field (captured).

        An omitted ``path_type`` is 1 (glob) and an omitted ``scan_type`` 0 (the
        ``ScanDir`` model's defaults in the server code).
        """
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        body = _body(request)
        errors = self._check_scan_dir(body, partial=False)
        if errors:
            return self.fake.invalid(errors)
        entry = {
            "id": self.data.new_id("scan_dir"),
            "dir_path": body["dir_path"],
            "path_type": body.get("path_type", 1),
            "scan_type": body.get("scan_type", 0),
            "scan_scheme": found[1]["id"],
        }
        self.data.scan_dirs[found[1]["id"]].append(entry)
        return self.fake.envelope(entry, 201)

    async def get_scan_dir(self, request: Request) -> Response:
        """``GET …/scandirs/{dir_id}/``."""
        found = self._scan_dir(request)
        return found if isinstance(found, Response) else self.fake.envelope(found[1])

    async def update_scan_dir(self, request: Request) -> Response:
        """``PATCH …/scandirs/{dir_id}/`` (partial) or ``PUT`` (whole: ``dir_path``
        required), as the server's schema has them. A valid ``PATCH`` without
        ``dir_path`` is a 500: the server's ``ScanDirConfSerializer.update`` reads
        ``validated_data["dir_path"]`` (a KeyError)."""
        found = self._scan_dir(request)
        if isinstance(found, Response):
            return found
        body = _body(request)
        errors = self._check_scan_dir(body, partial=request.method == "PATCH")
        if errors:
            return self.fake.invalid(errors)
        if "dir_path" not in body:
            return self.fake.html_error(500)
        entry = found[1]
        entry.update({k: body[k] for k in ("dir_path", "path_type", "scan_type") if k in body})
        return self.fake.envelope(entry)

    async def delete_scan_dir(self, request: Request) -> Response:
        """``DELETE …/scandirs/{dir_id}/``: 204."""
        found = self._scan_dir(request)
        if isinstance(found, Response):
            return found
        found[0].remove(found[1])
        return Response(status=204)

    # -- rule sets ------------------------------------------------------------------------

    async def list_scheme_packages(self, request: Request) -> Response:
        """``GET v3/…/checkprofile/checkpackages/``."""
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        packages = self.data.scheme_package_list(found[1]["id"])
        return self.fake.envelope(self.fake.paginate(request, packages))

    async def add_scheme_packages(self, request: Request) -> Response:
        """``POST v3/…/checkprofile/checkpackages/`` ``{"checkpackages": [ids]}``."""
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        ids = _body(request).get("checkpackages")
        known = {p["id"] for p in self.data.packages}
        if not isinstance(ids, list) or not ids:
            return self.fake.invalid({"checkpackages": [REQUIRED]})
        bad = [i for i in ids if i not in known]
        if bad:
            return self.fake.invalid({"checkpackages": [f"无效主键 “{bad[0]}” － 对象不存在。"]})
        current = self.data.scheme_packages[found[1]["id"]]
        current.extend(i for i in ids if i not in current)
        return self.fake.envelope(self.data.scheme_package_list(found[1]["id"]))

    async def list_all_packages(self, request: Request) -> Response:
        """``GET v3/…/allcheckpackages/``: unpaginated; name, label, language."""
        found = self._find(request, "scheme")
        if isinstance(found, Response):
            return found
        items = apply_filters(request, self.data.packages, [contains("name")])
        for param, key in (("label", "labels"), ("language", "languages")):
            value = request.arg(param)
            if value:
                items = [p for p in items if value in p[key]]
        return self.fake.envelope(items)

    # -- projects, scans, jobs --------------------------------------------------------------

    async def list_projects(self, request: Request) -> Response:
        """``GET …/projects/``: branch, scan_scheme(__name, __status, __default_flag),
        branch_or_scheme, status."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        projects = [
            {
                **p,
                "_scheme_id": p["scan_scheme"]["id"],
                "_scheme_name": p["scan_scheme"]["name"],
                "_scheme_status": p["scan_scheme"]["status"],
                "_scheme_default": self.data.schemes[p["scan_scheme"]["id"]]["default_flag"],
            }
            for p in self.data.projects.values()
            if p["repo"] == found[0]["id"]
        ]
        projects = apply_filters(
            request,
            projects,
            [
                exact("branch"),
                exact("scan_scheme", "_scheme_id", numeric=True),
                exact("scan_scheme__name", "_scheme_name"),
                exact("scan_scheme__status", "_scheme_status", numeric=True),
                contains("branch_or_scheme", "branch", "_scheme_name"),
                exact("status", numeric=True),
                exact("scan_scheme__default_flag", "_scheme_default"),
            ],
        )
        public = [{k: v for k, v in p.items() if not k.startswith("_")} for p in projects]
        return self.fake.envelope(self.fake.paginate(request, public))

    async def get_project(self, request: Request) -> Response:
        """``GET …/projects/{project_id}/``: ``repo`` as an object."""
        found = self._find(request, "project")
        if isinstance(found, Response):
            return found
        return self.fake.envelope(self.data.project_detail(found[1]))

    async def create_project(self, request: Request) -> Response:
        """``POST …/projects/``: 201; no scheme → 400 on ``cd_error`` (captured)."""
        found = self._find(request)
        if isinstance(found, Response):
            return found
        repo = found[0]
        body = _body(request)
        if not body.get("branch"):
            return self.fake.invalid({"branch": [REQUIRED]})
        scheme_id = body.get("scan_scheme_id")
        if scheme_id is None and body.get("global_scheme_id") is not None:
            template = next(
                (t for t in self.data.templates if t["id"] == body["global_scheme_id"]), None
            )
            if template is None:
                return self.fake.invalid({"cd_error": ["扫描方案模板不存在"]})
            name = body.get("custom_scheme_name") or template["name"]
            scheme_id = self.data.add_scheme(repo["id"], name, list(template["languages"]))["id"]
        if scheme_id is None:
            return self.fake.invalid({"cd_error": ["未指定扫描方案模板或扫描方案"]})
        scheme = self.data.schemes.get(scheme_id)
        if scheme is None or scheme["repo"] != repo["id"]:
            return self.fake.invalid({"cd_error": ["扫描方案不存在"]})
        project = self.data.add_project(repo["id"], body["branch"], scheme_id)
        return self.fake.envelope(self.data.project_detail(project), 201)

    async def create_scan(self, request: Request) -> Response:
        """``POST …/scans/create/``: 200 ``{"job": {"id"}, "scan": {"id"}}`` (captured)."""
        found = self._find(request, "project")
        if isinstance(found, Response):
            return found
        body = _body(request)
        for key in ("incr_scan", "force_create"):
            if key in body and not isinstance(body[key], bool):
                return self.fake.invalid({key: ["必须是有效的布尔值。"]})
        project_id = found[1]["id"]
        open_jobs = [
            j["id"]
            for j in self.data.jobs.values()
            if j["project_id"] == project_id and self.job_detail(j)["state"] != 2
        ]
        if open_jobs and body.get("force_create") is not True:
            # The server's JobManager.initialize_job: E_CLIENT (300), carried to a 400 by
            # ProjectScanCreateError; the ids it names are the jobs' scan ids.
            branch = found[1]["branch"]
            message = f"当前项目分支[{project_id}]{branch}还有未完成任务，编号为: {open_jobs}"
            return self.fake.error_response(400, message, code=300)
        job_id = self.data.new_id("job")
        now = datetime.fromtimestamp(self.fake.clock.time(), timezone.utc)
        result_code = self.fake.take_next_result_code()
        job = self.data.closed_job(job_id, found[1], now, result_code, self.fake.caller(request))
        job["created_from"] = body.get("created_from") or "tca_web"
        job["live"] = True
        self.data.jobs[job_id] = job
        return self.fake.envelope({"job": {"id": job_id}, "scan": {"id": job_id}})

    def _job_views(self, project_id: int) -> list[dict[str, Any]]:
        jobs = [j for j in self.data.jobs.values() if j["project_id"] == project_id]
        return [self.job_detail(j) for j in sorted(jobs, key=lambda j: j["id"], reverse=True)]

    def job_detail(self, job: dict[str, Any]) -> dict[str, Any]:
        """A job as the detail shows it now (its state follows the fake's clock)."""
        fake = self.fake
        created: datetime = job["created"]
        wait, run = fake.job_durations if job.get("live") else (1.0, 60.0)
        elapsed = fake.clock.time() - created.timestamp() if job.get("live") else float("inf")
        state = 2 if job["cancelled"] or elapsed >= wait + run else (1 if elapsed >= wait else 0)
        started = created + timedelta(seconds=wait) if state >= 1 else None
        ended = created + timedelta(seconds=wait + run) if state == 2 else None
        closed = state == 2
        code, comment, blank = (
            job["lines"] if closed and job["result_code"] < 100 else (None, None, None)
        )
        project = self.data.projects[job["project_id"]]
        repo = self.data.repo(project["repo"]) or {}
        task_state = state if state < 2 else 2
        if state == 0:
            # Captured (state 0): the seconds waited so far, as the server's
            # Job.waiting_time computes them (now without its fraction, minus the create
            # time: it can be slightly negative in the first second), no expiry, no task.
            now = datetime.fromtimestamp(fake.clock.time(), timezone.utc).replace(microsecond=0)
            waiting: str | None = str((now - created).total_seconds())
        else:
            waiting = str(float(wait))
        tasks = [
            {
                "id": job["id"] * 10 + n,
                "module": module,
                "task_name": name,
                "progress_rate": 1 if closed else (0.5 if state == 1 else 0),
                "state": task_state,
                "result_code": job["result_code"] if closed else None,
                "result_msg": job["result_msg"] if closed else None,
                "result_path": None,
            }
            for n, (module, name) in enumerate(
                (("codelint", "pylint"), ("codemetric", "cyclomaticcomplexity")), 1
            )
            if state > 0  # the tasks are made when the job starts (captured: none before)
        ]
        return {
            "id": job["id"],
            "scan_id": job["scan_id"],
            "create_time": analysis_time(created),
            "waiting_time": waiting,
            "start_time": analysis_time(started) if started else None,
            "execute_time": str(float(run)) if closed else None,
            "save_time": "0.5" if closed else None,
            "project": {
                "id": project["id"],
                "branch": project["branch"],
                "repo_id": project["repo"],
                "scan_scheme": project["scan_scheme"]["id"],
                "repo_scm_url": repo.get("scm_url"),
                "organization": self.data.org_brief(self.data.org),
                "project_team": self.data.project_team(),
            },
            "end_time": analysis_time(ended) if ended else None,
            # Inferred: a started job expires one day after its creation.
            "expire_time": analysis_time(created + timedelta(days=1)) if state > 0 else None,
            "task_num": len(tasks),
            "task_done": len(tasks) if closed else 0,
            "tasks": tasks,
            "state": state,
            "result_code": job["result_code"] if closed else None,
            "result_code_msg": ("成功" if job["result_code"] < 100 else "失败") if closed else None,
            "result_msg": job["result_msg"] if closed else None,
            "remarks": job["remarks"],
            "remarked_by": job["remarked_by"],
            "code_line_num": code,
            "comment_line_num": comment,
            "blank_line_num": blank,
            "total_line_num": None if code is None else code + comment + blank,
            "created_from": job["created_from"],
            "creator": job["creator"],
        }

    async def list_jobs(self, request: Request) -> Response:
        """``GET …/jobs/``: state (csv), result_code and create_time ranges, result_msg, creator."""
        found = self._find(request, "project")
        if isinstance(found, Response):
            return found
        jobs = apply_filters(
            request,
            self._job_views(found[1]["id"]),
            [
                csv_in("state"),
                range_of("result_code", gte="result_code_gte", lte="result_code_lte"),
                range_of("create_time", gte="create_time_gte", lte="create_time_lte", kind="time"),
                contains("result_msg"),
                contains("created_from"),  # icontains, as the server's JobFilterSet (code)
                contains("creator"),
            ],
        )
        keys = (
            "id",
            "state",
            "result_code",
            "result_msg",
            "code_line_num",
            "comment_line_num",
            "blank_line_num",
            "total_line_num",
        )
        items = [
            {
                **{k: j[k] for k in keys},
                "efficient_comment_line_num": None,
                "filtered_efficient_comment_line_num": None,
            }
            for j in jobs
        ]
        return self.fake.envelope(self.fake.paginate(request, items))

    async def get_job(self, request: Request) -> Response:
        """``GET …/jobs/{job_id}/detail/``."""
        found = self._find(request, "project")
        if isinstance(found, Response):
            return found
        job = self.data.jobs.get(_int(request.params["job_id"]))
        if job is None or job["project_id"] != found[1]["id"]:
            return self.fake.error_response(404)
        return self.fake.envelope(self.job_detail(job))

    async def cancel_job(self, request: Request) -> Response:
        """``POST v3/…/jobs/{job_id}/cancel/``: ``remarks`` required.

        The answer is 200 ``{"msg": "取消成功"}`` in the envelope, whose ``msg`` it
        becomes (server code: ``JobCancelApiView.post`` and the renderer; not captured).
        """
        found = self._find(request, "project")
        if isinstance(found, Response):
            return found
        job = self.data.jobs.get(_int(request.params["job_id"]))
        if job is None or job["project_id"] != found[1]["id"]:
            return self.fake.error_response(404)
        body = _body(request)
        if not body.get("remarks"):
            return self.fake.invalid({"remarks": [REQUIRED]})
        if not job["cancelled"] and self.job_detail(job)["state"] != 2:
            # The server's JobCancelApiView: E_CLIENT_CANCELED (301) and its message.
            caller = self.fake.caller(request)
            message = f"User( {caller} ) Canceled: {body['remarks']} . "
            job.update(cancelled=True, result_code=301, result_msg=message)
        job.update(remarks=body["remarks"], remarked_by=self.fake.caller(request))
        return self.fake.envelope({"msg": "取消成功"})

    # -- main's proxies for scan nodes ----------------------------------------------------

    async def node_proxy(self, request: Request) -> Response:
        """An analysis route served by main for scan nodes (``NODE_PROXY_PATH``).

        The credentials (Token plus ``Node-Identity``) were checked by the fake's
        ``authenticate``. Inferred: a caller who cannot see the team gets main's JSON
        403, and the rest is the analysis server's answer as main passes it on (its
        ``next``/``previous`` links on main's path; the real ones are built by the
        analysis server from the request main sends it).
        """
        denied = self.fake.check_team(request)
        if denied is not None:
            return denied
        handler, _, _ = self.fake.router.match(
            "GET", request.path.replace(MAIN, "/server/analysis/api", 1)
        )
        assert handler is not None  # every proxied route exists on analysis
        return await handler(request)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else -1


def _body(request: Request) -> dict[str, Any]:
    data = request.json()
    return data if isinstance(data, dict) else {}


# -- repository URLs, as the server's util/scm normalises them --------------------------------


def _without_git_suffix(url: str) -> str:
    return url[:-4] if url.endswith(".git") else url


def _git_repository(url: str) -> str | None:
    """``GitRemoteClient(url).get_repository()``: ``http://host[:port]/path``, without
    credentials, ``.git``, ``@branch`` or ``#branch``; ``None`` when there is no path."""
    url = url.strip()
    # get_http_url: ssh forms become http ones.
    if url.startswith("git@"):
        url = re.sub("^git@", "http://", url.replace(":", "/", 1))
    elif url.startswith("ssh://git@"):
        url = re.sub(r"(:\d+/)", "/", url.replace("ssh://git@", "http://"))
    elif url.startswith("ssh://"):
        url = re.sub(r"(:\d+/)", "/", url.replace("ssh://", "http://"))
    elif not url.startswith("http"):
        url = "http://" + url.replace(":", "/", 1)
    # ScmUrlFormatter.get_git_url
    url = url.rstrip("/").split("#", 1)[0].strip().rstrip("/")
    if url.startswith("https://"):
        url = url.replace("https://", "http://")
    elif not url.startswith("http://"):
        url = "http://" + url
    parsed = urlparse(url)
    try:
        host, port = parsed.hostname, parsed.port
    except ValueError:  # inferred: an unreadable port is no repository either
        return None
    if not parsed.path:
        return None
    project = _without_git_suffix(parsed.path.strip("/").split("@")[0])
    return f"http://{host}:{port}/{project}" if port else f"http://{host}/{project}"


def _svn_repository(url: str) -> str | None:
    """``ScmUrlFormatter.get_svn_url``: ``http://host/path`` (no port, no credentials)."""
    parsed = urlparse(url.strip())
    if not parsed.scheme:
        parsed = urlparse("http://" + url.strip())
    if not parsed.path:
        return None
    return f"http://{parsed.hostname}/{parsed.path.strip('/')}"


def _ssh_url(scm_type: str, url: str) -> str:
    """The client's ``get_ssh_url()`` for an http-style ``url`` (server code)."""
    if scm_type == "svn":
        if url.startswith("http"):
            return re.sub("^https", "svn+ssh", url)  # the server's "^http[s]": http stays
        return url if url.startswith("svn+ssh") else "svn+ssh://" + url
    url = url.strip()
    if url.startswith("http"):
        return re.sub("^https?://", "git@", url).replace("/", ":", 1)
    if url.startswith(("ssh://", "git@")):
        return url
    return "git@" + url.replace("/", ":", 1)


def repo_urls(scm_type: str, scm_url: str, ssh_url: str | None) -> tuple[str | None, str]:
    """The ``(scm_url, ssh_url)`` a repository create stores (``RepositoryCreateSerializer
    .get_scm_url``): the repository form of ``scm_url`` (``None`` when it has no path)
    and ``ssh_url``, or one derived from ``scm_url`` (itself when it is an ssh URL),
    without ``#…`` and ``.git``. Captured for an https git URL; the rest is the
    server's code, quirks included (an http svn URL keeps http as its "ssh" URL;
    credentials in an https URL stay in the derived git ``ssh_url``)."""
    if scm_type == "svn":
        http = _svn_repository(scm_url)
        is_ssh = scm_url.startswith("svn+ssh:")
    else:
        http = _git_repository(scm_url)
        is_ssh = scm_url.startswith(("git@", "ssh://"))
    derived = ssh_url or (scm_url if is_ssh else _ssh_url(scm_type, scm_url))
    return http, _without_git_suffix(derived.split("#", 1)[0])
