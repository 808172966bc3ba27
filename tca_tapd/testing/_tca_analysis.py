"""The analysis-server endpoints of :class:`~tca_tapd.testing.FakeTCA`.

Modelled on the zh documentation (issue, metric and overview modules; TCA.md §4/§5)
and the ``gw_analysis_*`` captures: unknown projects are a JSON 404 with code 100,
``latestscan/`` is a 404 "项目N未启动扫描" before the first scan, the overview of a
never-scanned project has four nulls; the routes for the main server only
(``scans/``) answer a token-authenticated caller a JSON 401 code 100 challenging
``main-internal-ticket`` (captured). Filters follow the server's filter sets
(csv choices, ``*_gte``/``*_lte`` ranges, ``file_path`` contains). Inferred: the
summary numbers, which are computed from the fake's own issues and metrics, and the
``clocs/`` summary (routed by the server, not documented).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from ._asgi import Request, Response
from ._tca_data import CATEGORY_NAMES, SEVERITY_NAMES, STATE_NAMES, public
from ._tca_filters import Filter, apply_filters, contains, csv_in, exact, range_of

if TYPE_CHECKING:
    from ._tca import FakeTCA

__all__ = ["AnalysisAPI"]

ANALYSIS = "/server/analysis/api"
LINES = ("code", "comment", "blank", "total")


class AnalysisAPI:
    """Handlers for ``/server/analysis/api/…``; registered on the fake's router."""

    def __init__(self, fake: FakeTCA) -> None:
        self.fake = fake
        project = (
            ANALYSIS + "/orgs/{org_sid}/teams/{team_name}/repos/{repo_id}/projects/{project_id}"
        )
        r = fake.router
        r.add("GET", project + "/codelint/issues/", self.list_issues)
        r.add("GET", project + "/codelint/issues/{issue_id}/", self.get_issue)
        r.add("GET", project + "/codemetric/ccfiles/", self.list_cc_files)
        r.add("GET", project + "/codemetric/ccfiles/{file_id}/ccissues/", self.list_cc_issues)
        r.add("GET", project + "/codemetric/ccissues/", self.list_cc_issues)
        r.add("GET", project + "/codemetric/dupfiles/", self.list_dup_files)
        r.add("GET", project + "/codemetric/dupfiles/{file_id}/", self.get_dup_file)
        r.add("GET", project + "/codemetric/dupfiles/{file_id}/blocks/", self.list_dup_blocks)
        r.add("GET", project + "/codemetric/clocfiles/", self.list_cloc_files)
        r.add("GET", project + "/codemetric/cloclangs/", self.list_cloc_langs)
        r.add("GET", project + "/codemetric/clocs/", self.cloc_summary)
        r.add("GET", project + "/overview/", self.overview)
        r.add("GET", project + "/overview/latestscan/", self.latest_scan)
        for leaf in ("lintscans", "cycscans", "dupscans", "clocscans"):
            r.add("GET", f"{project}/overview/{leaf}/", self.history)
        # Internal routes (MainServerInternalAuthentication, server code): the list is
        # captured; the methods are its Allow header's, scans/{id}/ (GET, PUT) by analogy.
        for method in ("GET", "POST"):
            r.add(method, project + "/scans/", self.internal_only)
        for method in ("GET", "PUT"):
            r.add(method, project + "/scans/{scan_id}/", self.internal_only)

    # -- helpers ----------------------------------------------------------------------

    def _project(self, request: Request) -> dict[str, Any] | Response:
        """The project; the gateway's HTML 403 for teams/repos the caller cannot see."""
        fake = self.fake
        params = request.params
        repo = fake.data.team_repo(params["org_sid"], params["team_name"], _int(params["repo_id"]))
        if fake.check_team(request) is not None or repo is None:
            return fake.html_error(403)
        project = fake.data.projects.get(_int(params["project_id"]))
        if project is None or str(project["repo"]) != request.params["repo_id"]:
            return fake.error_response(404, analysis=True)
        return project

    def _list(self, request: Request, items: list[dict[str, Any]]) -> Response:
        """A page of ``items`` (small or computed listings: nothing is remembered)."""
        return self.fake.envelope(self.fake.paginate(request, [public(i) for i in items]))

    def _filtered(
        self, request: Request, kind: str, filters: list[Filter], of_file: bool = False
    ) -> Response:
        """A page of the project's ``kind`` results (of the path's file with ``of_file``)
        through ``filters``; the selection is remembered, so each page costs a slice."""
        rows = self._results(request, kind)
        if isinstance(rows, Response):
            return rows
        if of_file:
            file_id = request.params["file_id"]
            rows = [i for i in rows if str(i["_file"]) == file_id]
        selected = self.fake.selections.rows(
            request, lambda: [public(i) for i in apply_filters(request, rows, filters)]
        )
        return self.fake.envelope(self.fake.paginate(request, selected))

    def _results(self, request: Request, kind: str) -> list[dict[str, Any]] | Response:
        project = self._project(request)
        if isinstance(project, Response):
            return project
        return self.fake.data.analysis(project["id"])[kind]

    def _scans(self, project_id: int) -> list[dict[str, Any]]:
        """Closed, successful jobs of the project, newest first (their scans have results)."""
        main = self.fake.main
        jobs = [
            main.job_detail(j)
            for j in self.fake.data.jobs.values()
            if j["project_id"] == project_id
        ]
        done = [j for j in jobs if j["state"] == 2 and (j["result_code"] or 0) < 100]
        return sorted(done, key=lambda j: j["id"], reverse=True)

    async def internal_only(self, request: Request) -> Response:
        """A route of the main server's internal ticket: past the gateway (which checked
        the token and the path's team and repository), still 401 (captured)."""
        fake = self.fake
        params = request.params
        repo = fake.data.team_repo(params["org_sid"], params["team_name"], _int(params["repo_id"]))
        if fake.check_team(request) is not None or repo is None:
            return fake.html_error(403)
        response = fake.error_response(401, analysis=True)
        response.headers["WWW-Authenticate"] = "main-internal-ticket"
        return response

    # -- lint ---------------------------------------------------------------------------

    async def list_issues(self, request: Request) -> Response:
        """``GET …/codelint/issues/`` with the server's filters."""
        return self._filtered(
            request,
            "issues",
            [
                csv_in("state"),
                csv_in("severity"),
                csv_in("resolution"),
                csv_in("checkpackage", "_checkpackage"),
                exact("author"),
                contains("file_path"),
                # icontains, as the server's LintIssueFilterSet (server code)
                contains("checkrule_real_name"),
                contains("checkrule_display_name"),
                contains("checktool_name"),
                exact("scan_open", numeric=True),
                exact("scan_fix", numeric=True),
                range_of("ci_time", gte="ci_time_gte", lte="ci_time_lte", kind="time"),
            ],
        )

    async def get_issue(self, request: Request) -> Response:
        """``GET …/codelint/issues/{issue_id}/``: the detail with ``issue_details``."""
        issues = self._results(request, "issues")
        if isinstance(issues, Response):
            return issues
        issue = next((i for i in issues if str(i["id"]) == request.params["issue_id"]), None)
        if issue is None:
            return self.fake.error_response(404, analysis=True)
        detail = public(issue)
        for key in ("scan_open", "scan_fix"):
            detail[key] = issue[key]
        detail.update(
            {
                "issue_details": [
                    {
                        "id": issue["id"] * 10 + n,
                        "issue_refers": [],
                        "creator": None,
                        "modifier": None,
                        "deleted_time": None,
                        "deleter": None,
                        "issuedetail_uuid": f"{issue['id']:08x}-0000-4000-8000-{n:012x}",
                        "checkrule_real_name": issue["checkrule_real_name"],
                        "checktool_name": issue["checktool_name"],
                        "author": issue["author"],
                        "author_email": issue["author_email"],
                        "line": 10 * n + issue["id"] % 7,
                        "column": n,
                        "scan_revision": issue["revision"],
                        "revision": issue["revision"],
                        "ci_time": issue["ci_time"],
                        "real_revision": "",
                        "created_time": issue["ci_time"],
                        "modified_time": issue["ci_time"],
                        "issue": issue["id"],
                        "project": issue["project"],
                    }
                    for n in (1, 2)
                ],
                "created_time": issue["ci_time"],
                "creator": None,
                "modifier": None,
                "deleted_time": None,
                "deleter": None,
                "file_hash": f"{issue['id']:032x}",
                "checkrule_gid": 1 + issue["id"] % 50,
                "checkrule_rule_title": issue["checkrule_display_name"],
                "category": issue["_category"],
                "scan_revision": None,
                "tapd_bug_id": None,
                "modified_time": issue["ci_time"],
            }
        )
        return self.fake.envelope(detail)

    # -- metrics ------------------------------------------------------------------------

    async def list_cc_files(self, request: Request) -> Response:
        """``GET …/codemetric/ccfiles/``."""
        ranges = [
            range_of(key, gte=f"{key}_gte", lte=f"{key}_lte")
            for key in ("over_cc_sum", "over_cc_avg", "over_cc_func_count")
        ]
        return self._filtered(
            request,
            "ccfiles",
            [
                csv_in("state"),
                csv_in("change_type"),
                exact("author"),
                exact("last_modifier"),
                contains("file_path"),
                exact("scan_open", numeric=True),
                exact("scan_close", numeric=True),
                exact("worse"),
                *ranges,
            ],
        )

    async def list_cc_issues(self, request: Request) -> Response:
        """``GET …/codemetric/ccissues/`` (or of one file)."""
        file_id = request.params.get("file_id")
        if file_id is not None:
            files = self._results(request, "ccfiles")
            if isinstance(files, Response):
                return files
            if not any(str(f["id"]) == file_id for f in files):
                return self.fake.error_response(404, analysis=True)
        return self._filtered(
            request,
            "ccissues",
            [
                csv_in("status"),
                csv_in("change_type"),
                exact("author"),
                exact("last_modifier"),
                contains("file_path"),
                range_of("ccn", gte="ccn_gte", lte="ccn_lte"),
            ],
            of_file=file_id is not None,
        )

    async def list_dup_files(self, request: Request) -> Response:
        """``GET …/codemetric/dupfiles/`` (``issue_state``, ``issue_owner``, …)."""
        return self._filtered(
            request,
            "dupfiles",
            [
                csv_in("issue_state"),
                exact("issue_owner"),
                csv_in("change_type", numeric=False),
                exact("last_modifier"),
                contains("file_path"),
                range_of("duplicate_rate", gte="duplicate_rate_gte", lte="duplicate_rate_lte"),
            ],
        )

    def _dup_file(self, request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]] | Response:
        project = self._project(request)
        if isinstance(project, Response):
            return project
        results = self.fake.data.analysis(project["id"])
        found = next(
            (f for f in results["dupfiles"] if str(f["id"]) == request.params["file_id"]), None
        )
        if found is None:
            return self.fake.error_response(404, analysis=True)
        return found, [b for b in results["blocks"] if b["duplicate_file"] == found["id"]]

    async def get_dup_file(self, request: Request) -> Response:
        """``GET …/codemetric/dupfiles/{file_id}/``: with ``blocks``."""
        found = self._dup_file(request)
        if isinstance(found, Response):
            return found
        return self.fake.envelope({**found[0], "blocks": found[1], "duplicate_rate_trend": 0.0})

    async def list_dup_blocks(self, request: Request) -> Response:
        """``GET …/codemetric/dupfiles/{file_id}/blocks/``."""
        found = self._dup_file(request)
        return found if isinstance(found, Response) else self._list(request, found[1])

    async def list_cloc_files(self, request: Request) -> Response:
        """``GET …/codemetric/clocfiles/``: change_type (add, mod, del), file_path."""
        return self._filtered(
            request,
            "clocfiles",
            [csv_in("change_type", numeric=False), contains("file_path", "dir_path", "file_name")],
        )

    @staticmethod
    def _sum_lines(rows: list[dict[str, Any]]) -> dict[str, int]:
        keys = [f"{p}{k}_line_num" for p in ("", "add_", "mod_", "del_") for k in LINES]
        return {key: sum(r[key] for r in rows) for key in keys}

    async def list_cloc_langs(self, request: Request) -> Response:
        """``GET …/codemetric/cloclangs/``: the files' counts per language."""
        files = self._results(request, "clocfiles")
        if isinstance(files, Response):
            return files
        by_language: dict[str, list[dict[str, Any]]] = {}
        for row in files:
            by_language.setdefault(row["language"], []).append(row)
        langs = [
            {
                "id": n,
                **self._sum_lines(rows),
                "project_id": rows[0]["project_id"],
                "scan_id": rows[0]["scan_id"],
                "is_latest": True,
                "name": name,
                "file_num": len(rows),
            }
            for n, (name, rows) in enumerate(sorted(by_language.items()), 1)
        ]
        return self._list(request, langs)

    async def cloc_summary(self, request: Request) -> Response:
        """``GET …/codemetric/clocs/`` (inferred shape: the cloc scan's counts)."""
        project = self._project(request)
        if isinstance(project, Response):
            return project
        scans = self._scans(project["id"])
        if not scans:
            return self.fake.error_response(404, analysis=True)
        return self.fake.envelope(self._cloc_scan(project["id"], scans[0]))

    # -- overviews ------------------------------------------------------------------------

    def _lint_scan(self, project_id: int, job: dict[str, Any]) -> dict[str, Any]:
        """A ``lintscan`` summary as TCA's server builds it (``_save_base_lintscan_summary``):
        ``current_scan`` and ``scan_summary`` count the active issues *that scan* opened,
        ``total`` and ``total_summary`` every issue of the project."""
        issues = self.fake.data.analysis(project_id)["issues"]
        # the server's scan_issues: scan_open is this scan, still active
        new = [i for i in issues if i["scan_open"] == job["scan_id"] and i["state"] == 1]
        opened = [i for i in new if i["scan_fix"] is None]
        fixed = [i for i in issues if i["scan_fix"] == job["scan_id"]]
        by_category: dict[str, Counter[str]] = {}
        by_severity: dict[str, Counter[str]] = {}
        summary: dict[str, dict[str, dict[str, int]]] = {}
        new_summary: dict[str, dict[str, dict[str, int]]] = {}
        for issue in new:
            category = CATEGORY_NAMES[issue["_category"]]
            severity = SEVERITY_NAMES[issue["severity"]]
            cell = new_summary.setdefault(category, {}).setdefault(severity, {"rule_count": 1})
            cell["active"] = cell.get("active", 0) + 1
        for issue in issues:
            state = STATE_NAMES[issue["state"]]
            category = CATEGORY_NAMES[issue["_category"]]
            severity = SEVERITY_NAMES[issue["severity"]]
            by_category.setdefault(category, Counter())[state] += 1
            by_severity.setdefault(severity, Counter())[state] += 1
            cell = summary.setdefault(category, {}).setdefault(severity, {"rule_count": 0})
            cell[state] = cell.get(state, 0) + 1
            cell["rule_count"] = 1
        return {
            "issue_open_num": len(opened),
            "issue_fix_num": len(fixed),
            "issue_detail_num": 2 * len(opened),
            "scan": {
                "id": job["scan_id"],
                "scan_time": job["create_time"],
                "execute_time": _hms(float(job["execute_time"] or 0)),
            },
            "current_scan": {
                "active_category_detail": dict(
                    Counter(CATEGORY_NAMES[i["_category"]] for i in new)
                ),
                "active_severity_detail": dict(Counter(SEVERITY_NAMES[i["severity"]] for i in new)),
                "issue_open_num": len(opened),
                "issue_fix_num": len(fixed),
            },
            "total": {
                "state_detail": dict(Counter(STATE_NAMES[i["state"]] for i in issues)),
                "category_detail": {k: dict(v) for k, v in by_category.items()},
                "severity_detail": {k: dict(v) for k, v in by_severity.items()},
            },
            "status": 0,
            "text": "成功",
            "description": None,
            "scan_summary": new_summary,
            "total_summary": summary,
        }

    def _cc_scan(self, project_id: int, job: dict[str, Any]) -> dict[str, Any]:
        issues = self.fake.data.analysis(project_id)["ccissues"]
        over = [i["ccn"] - 20 for i in issues]
        return {
            "id": job["scan_id"],
            "scan_revision": f"{job['id']:040x}",
            "scan_time": job["create_time"],
            "default_summary": {
                "min_ccn": 20,
                "over_cc_func_count": len(issues),
                "under_cc_func_count": 10 * len(issues),
                "diff_over_cc_func_count": 0,
                "over_cc_func_average": sum(i["ccn"] for i in issues) / max(1, len(issues)),
                "cc_func_average": 2.5,
                "over_cc_sum": sum(over),
                "cc_average_of_lines": 1.04,
            },
            "custom_summary": None,
            "created_time": job["end_time"],
            "creator": None,
            "modified_time": job["end_time"],
            "modifier": None,
            "deleted_time": None,
            "deleter": None,
            "last_revision": None,
            "diff_cc_num": 0,
            "cc_open_num": len(issues),
            "cc_average_of_lines": 1.04,
            "cc_fix_num": 0,
            "worse_cc_file_num": 0,
            "min_ccn": 20,
            "code_line_num": job["code_line_num"],
            "scan": job["scan_id"],
        }

    def _dup_scan(self, project_id: int, job: dict[str, Any]) -> dict[str, Any]:
        results = self.fake.data.analysis(project_id)
        files = results["dupfiles"]
        bands = (
            ("exhi_risk", 0.2, 1),
            ("high_risk", 0.11, 0.2),
            ("midd_risk", 0.05, 0.11),
            ("low_risk", 0, 0.05),
        )
        lines = sum(f["total_duplicate_line_count"] for f in files)
        total = sum(f["total_line_count"] for f in files)
        return {
            "id": job["scan_id"],
            "scan_revision": f"{job['id']:040x}",
            "scan_time": job["create_time"],
            "default_summary": {
                name: {
                    "range": [low, high],
                    "file_count": sum(1 for f in files if low <= f["duplicate_rate"] / 100 < high),
                    "diff": {"diff_file_count": 0},
                }
                for name, low, high in bands
            },
            "custom_summary": None,
            "last_revision": None,
            "duplicate_file_count": len(files),
            "duplicate_block_count": len(results["blocks"]),
            "duplicate_line_count": lines,
            "diff_duplicate_block_count": 0,
            "diff_duplicate_line_count": 0,
            "close_issue_count": 0,
            "new_issue_count": len(files),
            "reopen_issue_count": 0,
            "ignored_issue_count": 0,
            "duplicate_rate": round(100 * lines / max(1, total), 2),
            "unique_duplicate_line_count": lines,
            "total_duplicate_line_count": lines,
            "total_line_count": total,
            "scan": job["scan_id"],
        }

    def _cloc_scan(self, project_id: int, job: dict[str, Any]) -> dict[str, Any]:
        files = self.fake.data.analysis(project_id)["clocfiles"]
        return {
            "id": job["scan_id"],
            "scan_revision": f"{job['id']:040x}",
            "scan_time": job["create_time"],
            "last_revision": None,
            **self._sum_lines(files),
            "scan": job["scan_id"],
        }

    async def overview(self, request: Request) -> Response:
        """``GET …/overview/``: the latest successful scan's summaries (nulls before one)."""
        project = self._project(request)
        if isinstance(project, Response):
            return project
        scans = self._scans(project["id"])
        if not scans:
            return self.fake.envelope(
                {
                    "lintscan": None,
                    "cyclomaticcomplexityscan": None,
                    "duplicatescan": None,
                    "clocscan": None,
                }
            )
        latest = scans[0]
        return self.fake.envelope(
            {
                "lintscan": self._lint_scan(project["id"], latest),
                "cyclomaticcomplexityscan": self._cc_scan(project["id"], latest),
                "duplicatescan": self._dup_scan(project["id"], latest),
                "clocscan": self._cloc_scan(project["id"], latest),
            }
        )

    async def latest_scan(self, request: Request) -> Response:
        """``GET …/overview/latestscan/``: the newest scan, finished or not."""
        project = self._project(request)
        if isinstance(project, Response):
            return project
        main = self.fake.main
        jobs = sorted(
            (
                main.job_detail(j)
                for j in self.fake.data.jobs.values()
                if j["project_id"] == project["id"]
            ),
            key=lambda j: j["id"],
            reverse=True,
        )
        revision = request.arg("scan_revision")
        if revision:
            jobs = [j for j in jobs if f"{j['id']:040x}" == revision]
        if not jobs:
            return self.fake.error_response(404, f"项目{project['id']}未启动扫描", analysis=True)
        job = jobs[0]
        done = job["state"] == 2 and (job["result_code"] or 0) < 100
        return self.fake.envelope(
            {
                "id": job["scan_id"],
                "repo_id": project["repo"],
                "project_id": project["id"],
                "job_gid": job["id"],
                "scan_time": job["create_time"],
                "current_revision": f"{job['id']:040x}" if done else None,
                "result_code": job["result_code"],
                "result_code_msg": job["result_code_msg"],
                "result_msg": job["result_msg"],
                "url": "",
                "lintscan": self._lint_scan(project["id"], job) if done else None,
                "duplicatescan": self._dup_scan(project["id"], job) if done else None,
                "cyclomaticcomplexityscan": self._cc_scan(project["id"], job) if done else None,
                "clocscan": self._cloc_scan(project["id"], job) if done else None,
                "job_archived": None,
            }
        )

    async def history(self, request: Request) -> Response:
        """``GET …/overview/{lint,cyc,dup,cloc}scans/``: scan_time_after/before."""
        project = self._project(request)
        if isinstance(project, Response):
            return project
        leaf = request.path.rstrip("/").rsplit("/", 1)[-1]
        build = {
            "lintscans": self._lint_scan,
            "cycscans": self._cc_scan,
            "dupscans": self._dup_scan,
            "clocscans": self._cloc_scan,
        }[leaf]
        scans = apply_filters(
            request,
            self._scans(project["id"]),
            [range_of("create_time", gte="scan_time_after", lte="scan_time_before", kind="time")],
        )
        return self._list(request, [build(project["id"], job) for job in scans])


def _hms(seconds: float) -> str:
    """Django's duration format: ``HH:MM:SS.ffffff``."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:09.6f}"


def _int(value: str) -> int:
    return int(value) if value.isdigit() else -1
