"""The deterministic data set of :class:`~tca_tapd.testing.FakeTCA`, as raw dicts.

Everything is derived from a seed and a few sizes, so a crawl can be made as large
as needed: organisations → teams; the first team of the first organisation holds
repositories → schemes, branches, projects → jobs (with tasks) → lint issues and
complexity, duplicate and line-count results. Every fourth repository also has a
deprecated ``legacy`` scheme, used by its second and later projects, so that scheme
filters have something to tell apart. Repository :data:`NEVER_SCANNED` (when there
are that many) has projects but no job: registered, never scanned. The
analysis data of a project is built the first time it is asked for. The dicts have
the shapes the real servers send (TCA.md §5 and the captures); nothing here imports
the SDK's models.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["CHINA", "NEVER_SCANNED", "DataSet", "analysis_time", "main_time", "public"]

CHINA = timezone(timedelta(hours=8))
BASE_TIME = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
PEOPLE = ("tca-demo-user", "alice", "bob")
LANGUAGES = (("python", "Python", ".py"), ("go", "Go", ".go"), ("js", "JavaScript", ".js"))
RULES = (
    ("W0611", "unused-import", "pylint", 7, 3),
    ("E1101", "no-member", "pylint", 1, 2),
    ("G104", "errors-unhandled", "gosec", 2, 1),
    ("no-eval", "no-eval", "eslint", 2, 2),
    ("C0301", "line-too-long", "pylint", 7, 4),
    ("P001", "slow-loop", "perfcheck", 3, 3),
)
PACKAGES = (
    (1, "Python 基础规则包", ("python",), ("基础",)),
    (2, "Go 安全规则包", ("go",), ("安全",)),
    (3, "JavaScript 规范", ("js",), ("规范",)),
    (4, "腾讯代码规范", ("python", "go", "js"), ("规范",)),
    (5, "性能检查", ("python", "go"), ("性能",)),
    (6, "安全漏洞", ("python", "go", "js"), ("安全",)),
)
CATEGORY_NAMES = {
    1: "correctness",
    2: "security",
    3: "performance",
    4: "usability",
    5: "accessibility",
    6: "i18n",
    7: "convention",
    8: "other",
}
NEVER_SCANNED = 25
"""The generated repository whose projects have no job (its ``job_count`` is 0 too)."""
SEVERITY_NAMES = {1: "fatal", 2: "error", 3: "warning", 4: "info"}
STATE_NAMES = {1: "active", 2: "resolved", 3: "closed"}


def main_time(moment: datetime) -> str:
    """Main server timestamps: ``2026-11-23 09:03:37.009910+00:00``."""
    return moment.astimezone(timezone.utc).isoformat(sep=" ")


def analysis_time(moment: datetime) -> str:
    """Analysis server (and job) timestamps: ``2026-11-23T17:07:47.748322+08:00``."""
    return moment.astimezone(CHINA).isoformat()


def public(item: dict[str, Any]) -> dict[str, Any]:
    """An item without the fake's own ``_``-prefixed keys (as it is served)."""
    return {k: v for k, v in item.items() if not k.startswith("_")}


def user(username: str) -> dict[str, Any]:
    """A user as embedded in objects."""
    return {
        "username": username,
        "nickname": username,
        "status": 1,
        "avatar": None,
        "latest_login_time": None,
        "org": None,
    }


class DataSet:
    """The fake's objects. Ids are global (as in TCA's database) and derived from
    positions, so they stay the same whatever is asked for first."""

    def __init__(
        self,
        *,
        org_sid: str,
        team_name: str,
        orgs: int,
        teams_per_org: int,
        repos: int,
        projects_per_repo: int,
        jobs_per_project: int,
        issues_per_project: int,
        metrics_per_project: int,
        seed: int,
    ) -> None:
        self.org_sid = org_sid
        self.team_name = team_name
        self.teams_per_org = teams_per_org
        self.repo_count = repos
        self.projects_per_repo = projects_per_repo
        self.jobs_per_project = jobs_per_project
        self.issues_per_project = issues_per_project
        self.metrics_per_project = metrics_per_project
        self.seed = seed
        rnd = random.Random(seed)
        self.orgs = [self._org(n) for n in range(1, orgs + 1)]
        self.org = self.orgs[0]
        self.teams: list[dict[str, Any]] = []
        for org in self.orgs:
            for n in range(1, teams_per_org + 1):
                name = team_name if n == 1 else f"{team_name}-{n}"
                self.teams.append(self._team(org, name, name.title(), len(self.teams) + 1))
        self.repos = [self._repo(i, rnd) for i in range(1, repos + 1)]
        self.schemes: dict[int, dict[str, Any]] = {}
        self.lint_confs: dict[int, dict[str, Any]] = {}
        self.metric_confs: dict[int, dict[str, Any]] = {}
        self.scan_dirs: dict[int, list[dict[str, Any]]] = {}
        self.scheme_packages: dict[int, list[int]] = {}
        for repo in self.repos:
            self.add_scheme(repo["id"], "default", ["python"], scheme_id=repo["id"])
        self.legacy_schemes = {  # repo id -> its deprecated second scheme
            repo["id"]: self.add_scheme(repo["id"], "legacy", ["go"], scheme_id=scheme_id)
            for scheme_id, repo in enumerate(self._with_legacy(), repos + 1)
        }
        for scheme in self.legacy_schemes.values():
            scheme["status"] = 2
        self.projects: dict[int, dict[str, Any]] = {}
        self.jobs: dict[int, dict[str, Any]] = {}
        for repo in self.repos:
            for k in range(1, projects_per_repo + 1):
                self._project(repo, k)
        self.next_ids = {
            "repo": repos + 1,
            "scheme": repos + len(self.legacy_schemes) + 1,
            "project": repos * projects_per_repo + 1,
            "job": repos * projects_per_repo * jobs_per_project + 1,
            "scan_dir": 1000,
            "team": len(self.teams) + 1,
        }
        self.templates = [
            self._template(i, name) for i, name in enumerate(("默认", "安全", "规范"), 1)
        ]
        self.packages = [self._package(*p) for p in PACKAGES]
        self._analysis: dict[int, dict[str, list[dict[str, Any]]]] = {}

    def new_id(self, kind: str) -> int:
        """The next id of ``kind`` (created objects)."""
        value = self.next_ids[kind]
        self.next_ids[kind] = value + 1
        return value

    # -- main server objects ----------------------------------------------------------

    def _micros(self, *key: object) -> int:
        """A microsecond count in 1..999999 fixed by the seed and ``key`` (whatever the
        order objects are built in): main-server times always have a fraction (captured
        ``…09:03:37.009910+00:00``), so the fake's are never whole seconds."""
        return random.Random(f"{self.seed}:{key!r}").randrange(1, 1_000_000)

    def _audit(self, created: datetime, creator: str | None, *key: object) -> dict[str, Any]:
        """Audit fields; ``key`` names the object (its kind and id) to seed the fraction.

        As captured, ``modified_time`` is a few milliseconds after ``created_time``
        (the object is saved twice on create); the exact gap is inferred.
        """
        created = created + timedelta(microseconds=self._micros("created", *key))
        modified = created + timedelta(microseconds=1000 + self._micros("modified", *key) % 5000)
        return {
            "creator": user(creator) if creator else None,
            "created_time": main_time(created),
            "modifier": None,
            "modified_time": main_time(modified),
            "deleter": None,
            "deleted_time": None,
        }

    def _with_legacy(self) -> list[dict[str, Any]]:
        """The generated repositories that also have a deprecated scheme (every fourth)."""
        return [r for r in self.repos if r["id"] % 4 == 0]

    @staticmethod
    def org_brief(org: dict[str, Any]) -> dict[str, Any]:
        """An organisation as embedded in teams and jobs."""
        return {k: org[k] for k in ("org_sid", "name", "certificated", "status", "level")}

    def find_org(self, org_sid: str) -> dict[str, Any] | None:
        """An organisation by ``org_sid``."""
        return next((o for o in self.orgs if o["org_sid"] == org_sid), None)

    def find_team(self, org_sid: str, team_name: str) -> dict[str, Any] | None:
        """A team of an organisation by name."""
        return next(
            (
                t
                for t in self.teams
                if t["name"] == team_name and t["organization"]["org_sid"] == org_sid
            ),
            None,
        )

    def org_teams(self, org_sid: str) -> list[dict[str, Any]]:
        """The teams of an organisation."""
        return [t for t in self.teams if t["organization"]["org_sid"] == org_sid]

    def _org(self, n: int) -> dict[str, Any]:
        first = n == 1
        return {
            "id": n,
            **self._audit(BASE_TIME - timedelta(days=30, hours=n - 1), PEOPLE[0], "org", n),
            "admins": [user(PEOPLE[0])],
            "repo_count": self.repo_count if first else 0,
            "team_count": self.teams_per_org,
            "user_count": len(PEOPLE),
            "owner": PEOPLE[0],
            "tel_number": "12345678901",
            "org_sid": self.org_sid if first else f"{self.org_sid}-{n}",
            "name": "Hello TCA" if first else f"Hello TCA {n}",
            "address": None,
            "description": None,
            "certificated": False,
            "business_license": None,
            "status": 1,
            "level": 1,
        }

    def add_org(
        self,
        name: str,
        owner: str,
        tel_number: str,
        creator: str,
        *,
        address: str | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        """Create an organisation, as the captured ``POST v3/orgs/`` answers it: the
        creator is its only admin and member, no team or repository yet, active.

        The ``org_sid`` is a random 11-letter id on the real server; here it is drawn
        from the seed and the new id, so a run is repeatable.
        """
        org_id = len(self.orgs) + 1
        letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        rnd = random.Random(f"{self.seed}:org_sid:{org_id}")
        org = {
            "id": org_id,
            **self._audit(BASE_TIME + timedelta(days=60, minutes=org_id), creator, "org", org_id),
            "admins": [user(creator)],
            "repo_count": 0,
            "team_count": 0,
            "user_count": 1,
            "owner": owner,
            "tel_number": tel_number,
            "org_sid": "".join(rnd.choice(letters) for _ in range(11)),
            "name": name,
            "address": address,
            "description": description,
            "certificated": False,
            "business_license": None,
            "status": 1,
            "level": 1,
        }
        self.orgs.append(org)
        return org

    def _team(
        self,
        org: dict[str, Any],
        name: str,
        display_name: str,
        team_id: int,
        description: str | None = None,
    ) -> dict[str, Any]:
        return {
            "id": team_id,
            **self._audit(BASE_TIME - timedelta(days=29), PEOPLE[0], "team", team_id),
            "admins": [user(PEOPLE[0])],
            "display_name": display_name,
            "organization": self.org_brief(org),
            "name": name,
            "description": description,
            "status": 1,
        }

    def add_team(
        self, org: dict[str, Any], name: str, display_name: str, description: str | None
    ) -> dict[str, Any]:
        """Create a team in ``org``."""
        team = self._team(org, name, display_name, self.new_id("team"), description)
        self.teams.append(team)
        return team

    def project_team(self, team: dict[str, Any] | None = None) -> dict[str, Any]:
        """A team as embedded in repositories (default: the team holding the data set)."""
        if team is None:
            return {
                "name": self.team_name,
                "display_name": self.team_name.title(),
                "status": 1,
                "org_sid": self.org_sid,
            }
        return {
            "name": team["name"],
            "display_name": team["display_name"],
            "status": team["status"],
            "org_sid": team["organization"]["org_sid"],
        }

    def team_repo(self, org_sid: str, team_name: str, repo_id: int) -> dict[str, Any] | None:
        """A repository by id, if it belongs to the team."""
        repo = self.repo(repo_id)
        if repo is None or not _in_team(repo, org_sid, team_name):
            return None
        return repo

    def team_repos(self, org_sid: str, team_name: str) -> list[dict[str, Any]]:
        """The repositories of a team."""
        return [r for r in self.repos if _in_team(r, org_sid, team_name)]

    def _repo(self, i: int, rnd: random.Random) -> dict[str, Any]:
        created = BASE_TIME + timedelta(hours=7 * i, microseconds=rnd.randrange(1_000_000))
        group = f"group{i % 4}"
        name = f"service-{i:03d}"
        creator = PEOPLE[i % len(PEOPLE)]
        active = None
        if i % 3:
            active = {
                "id": 100 + i,
                "branch_name": "master" if i % 2 else "main",
                "active_time": main_time(created + timedelta(days=2)),
                "total_line_num": 1000 + 37 * i,
                "code_line_num": 800 + 29 * i,
            }
        scm_auth = None
        if i % 2 == 0:
            scm_auth = {
                "id": i,
                "scm_account": None,
                "scm_oauth": None,
                "scm_ssh": {
                    "id": i,
                    "name": f"deploy-key-{i}",
                    "scm_platform": 2,
                    "scm_platform_desc": None,
                    "user": user(creator),
                },
                "auth_type": "ssh_token",
                "created_time": analysis_time(created + timedelta(minutes=1)),
                "modified_time": analysis_time(created + timedelta(minutes=2)),
            }
        return {
            "id": i,
            "name": name,
            "scm_url": f"http://git.example.com/{group}/{name}",
            "scm_type": "git" if i % 7 else "svn",
            "branch_count": 1 + i % 3,
            "scheme_count": 1 if i % 4 else 2,
            "job_count": i % 5,
            "created_time": main_time(created),
            "recent_active": active,
            "created_from": "codedog_web" if i % 4 else "tca",
            "creator": user(creator),
            "symbol": None,
            "scm_auth": scm_auth,
            "project_team": self.project_team(),
            "ssh_url": f"git@git.example.com:{group}/{name}",
        }

    def add_repo(
        self,
        team: dict[str, Any],
        scm_url: str,
        scm_type: str,
        name: str | None,
        ssh_url: str | None,
        creator: str,
    ) -> dict[str, Any]:
        """Register a repository in ``team``; returns the full object.

        ``scm_url`` and ``ssh_url`` are stored as given: the caller normalises them as
        the server does (see ``_tca_main.repo_urls``).
        """
        repo_id = self.new_id("repo")
        created = BASE_TIME + timedelta(
            days=60, seconds=repo_id, microseconds=self._micros("repo", repo_id)
        )
        repo = {
            "id": repo_id,
            "name": name or scm_url.split("/")[-1],
            "scm_url": scm_url,
            "scm_type": scm_type,
            "branch_count": 0,
            "scheme_count": 0,
            "job_count": 0,
            "created_time": main_time(created),
            "recent_active": None,
            "created_from": "codedog_web",
            "creator": user(creator),
            "symbol": None,
            "scm_auth": None,
            "project_team": self.project_team(team),
            "ssh_url": ssh_url,
        }
        self.repos.append(repo)
        return repo

    def add_scheme(
        self, repo_id: int, name: str, languages: list[str], *, scheme_id: int | None = None
    ) -> dict[str, Any]:
        """A scheme with its lint and metric confs."""
        if scheme_id is None:
            scheme_id = self.new_id("scheme")
        created = BASE_TIME + timedelta(hours=7 * repo_id, minutes=5)
        scheme = {
            "id": scheme_id,
            **self._audit(created, PEOPLE[repo_id % len(PEOPLE)], "scheme", scheme_id),
            "languages": languages,
            "tag": None,
            "refer_scheme": None,
            "name": name,
            "refer_template_ids": None,
            "description": None,
            "default_flag": scheme_id == repo_id,
            "created_from": "web",
            "issue_global_ignore": True,
            "status": 1,
            "scheme_type": 2,
            "ignore_merged_issue": False,
            "ignore_branch_issue": None,
            "ignore_submodule_clone": False,
            "ignore_submodule_issue": True,
            "lfs_flag": True,
            "repo": repo_id,
        }
        self.schemes[scheme_id] = scheme
        self.lint_confs[scheme_id] = {
            "id": scheme_id,
            "enabled": True,
            "checkprofile": {
                "id": scheme_id,
                "custom_checkpackage": {
                    "id": 1000 + scheme_id,
                    "name": f"profile[{scheme_id}]自定义规则包",
                    "description": None,
                    "languages": [],
                    "labels": [],
                    "checkrule_count": 0,
                    "package_type": 1,
                },
                "checkpackages": [],
            },
            "scan_scheme": scheme_id,
            "build_cmd": None,
            "envs": None,
            "pre_cmd": None,
        }
        self.metric_confs[scheme_id] = {
            "id": scheme_id,
            "cc_scan_enabled": True,
            "min_ccn": 20,
            "dup_scan_enabled": True,
            "dup_block_length_min": 120,
            "dup_block_length_max": None,
            "dup_min_dup_times": 2,
            "dup_max_dup_times": None,
            "dup_min_midd_rate": 5,
            "dup_min_high_rate": 11,
            "dup_min_exhi_rate": 20,
            "dup_issue_limit": 1000,
            "cloc_scan_enabled": True,
            "scan_scheme": scheme_id,
        }
        self.scan_dirs[scheme_id] = []
        if scheme_id % 2 == 0:
            self.scan_dirs[scheme_id].append(
                {
                    "id": scheme_id,
                    "dir_path": "tests/.*",
                    "path_type": 2,
                    "scan_type": 2,
                    "scan_scheme": scheme_id,
                }
            )
        self.scheme_packages[scheme_id] = [1]
        return scheme

    def lint_conf(self, scheme_id: int) -> dict[str, Any]:
        """The lint conf with its current rule sets, by id (``checkpackages`` is a list
        of ids in the server's schema, ``ScanSchemeCheckProfileSimple``)."""
        conf = self.lint_confs[scheme_id]
        ids = list(self.scheme_packages[scheme_id])
        return {**conf, "checkprofile": {**conf["checkprofile"], "checkpackages": ids}}

    def scheme_package_list(self, scheme_id: int) -> list[dict[str, Any]]:
        """The rule sets added to a scheme, whole."""
        return [self.packages[i - 1] for i in self.scheme_packages[scheme_id]]

    def _template(self, template_id: int, name: str) -> dict[str, Any]:
        return {
            "id": template_id,
            **self._audit(BASE_TIME - timedelta(days=20), None, "template", template_id),
            "languages": ["python", "go"],
            "tag": "TCA_Linux",
            "name": name,
            "description": f"{name}扫描方案模板",
            "status": 1,
            "scheme_key": None,
            "_system": template_id == 1,  # the built-in template; the others are the org's
        }

    @staticmethod
    def _package(
        package_id: int, name: str, languages: tuple[str, ...], labels: tuple[str, ...]
    ) -> dict[str, Any]:
        return {
            "id": package_id,
            "name": name,
            "description": None,
            "languages": list(languages),
            "labels": list(labels),
            "checkrule_count": 10 * package_id,
            "package_type": 2,
        }

    def _project(self, repo: dict[str, Any], k: int) -> None:
        project_id = (repo["id"] - 1) * self.projects_per_repo + k
        branch = "master" if k == 1 else f"dev-{k}"
        legacy = self.legacy_schemes.get(repo["id"]) if k > 1 else None
        scheme_id = legacy["id"] if legacy else repo["id"]
        project = self.add_project(repo["id"], branch, scheme_id, project_id=project_id)
        jobs = 0 if repo["id"] == NEVER_SCANNED else self.jobs_per_project
        for j in range(1, jobs + 1):
            job_id = (project_id - 1) * self.jobs_per_project + j
            created = BASE_TIME + timedelta(days=j, hours=project_id)
            failed = j == 1 and project_id % 4 == 0
            self.jobs[job_id] = self.closed_job(
                job_id, project, created, 120 if failed else 0, PEOPLE[j % len(PEOPLE)]
            )

    def add_project(
        self, repo_id: int, branch: str, scheme_id: int, *, project_id: int | None = None
    ) -> dict[str, Any]:
        """A project (list form: ``repo`` is the id)."""
        if project_id is None:
            project_id = self.new_id("project")
        created = BASE_TIME + timedelta(hours=7 * repo_id, minutes=10 + project_id % 50)
        project = {
            "id": project_id,
            **self._audit(created, PEOPLE[repo_id % len(PEOPLE)], "project", project_id),
            "scan_scheme": {
                **self.schemes[scheme_id],
                "refer_scheme_info": None,
                "scheme_key": None,
            },
            "branch": branch,
            "scan_path": "/",
            "project_key": f"{project_id:064x}",
            "status": 1,
            "created_from": "codedog_web",
            "remark": None,
            "repo": repo_id,
        }
        self.projects[project_id] = project
        return project

    def project_detail(self, project: dict[str, Any]) -> dict[str, Any]:
        """The detail form: ``repo`` is an object."""
        repo = self.repo(project["repo"])
        brief = (
            {k: repo[k] for k in ("id", "name", "scm_url", "scm_type", "scm_auth")}
            if repo
            else None
        )
        return {**project, "repo": brief}

    def repo(self, repo_id: int) -> dict[str, Any] | None:
        """A repository by id."""
        return next((r for r in self.repos if r["id"] == repo_id), None)

    def branches(self, repo_id: int) -> list[dict[str, Any]]:
        """Branches with their (project, scheme) pairs, from the projects."""
        out: dict[str, list[dict[str, Any]]] = {}
        for project in self.projects.values():
            if project["repo"] == repo_id:
                out.setdefault(project["branch"], []).append(
                    {
                        "project_id": project["id"],
                        "scan_scheme_id": project["scan_scheme"]["id"],
                        "scan_scheme_name": project["scan_scheme"]["name"],
                    }
                )
        return [{"branch": b, "schemes": s} for b, s in out.items()]

    def closed_job(
        self,
        job_id: int,
        project: dict[str, Any],
        created: datetime,
        result_code: int,
        creator: str,
    ) -> dict[str, Any]:
        """A job record (its progress is computed by the fake when shown)."""
        return {
            "id": job_id,
            "scan_id": job_id,
            "project_id": project["id"],
            "created": created,
            "result_code": result_code,
            "result_msg": "success" if result_code < 100 else "创建扫描异常",
            "creator": creator,
            "created_from": "tca_action" if job_id % 3 == 0 else "tca_web",
            "remarks": None,
            "remarked_by": None,
            "cancelled": False,
            "lines": (1000 + job_id * 7, 5 + job_id % 50, 300 + job_id % 90),
        }

    # -- analysis results ---------------------------------------------------------------

    def analysis(self, project_id: int) -> dict[str, list[dict[str, Any]]]:
        """Issues and metrics of a project, built on first use."""
        if project_id not in self._analysis:
            self._analysis[project_id] = self._build_analysis(project_id)
        return self._analysis[project_id]

    def _build_analysis(self, project_id: int) -> dict[str, list[dict[str, Any]]]:
        rnd = random.Random(self.seed * 1_000_003 + project_id)
        project = self.projects[project_id]
        repo_id = project["repo"]
        scans = [j["scan_id"] for j in self.jobs.values() if j["project_id"] == project_id] or [
            None
        ]
        n = self.issues_per_project
        issues = []
        for k in range(1, n + 1):
            issue_id = (project_id - 1) * n + k
            # The rule (so the severity) shifts with the project: overviews differ.
            real, display, tool, category, severity = RULES[(k + project_id) % len(RULES)]
            language, _, ext = LANGUAGES[k % len(LANGUAGES)]
            state = (1, 1, 2, 3)[k % 4]
            author = PEOPLE[k % len(PEOPLE)]
            ci = BASE_TIME + timedelta(days=k % 20, hours=rnd.randrange(24))
            scan_open = scans[k % len(scans)]
            issues.append(
                {
                    "id": issue_id,
                    "file_path": f"src/pkg{k % 5}/mod{k}{ext}",
                    "project": project_id,
                    "repo": repo_id,
                    "checkrule_real_name": real,
                    "checkrule_display_name": display,
                    "checktool_name": tool,
                    "msg": f"{display} found here",
                    "state": state,
                    "resolution": 0 if state == 1 else (1, 2, 3)[k % 3],
                    "author": author,
                    "author_email": f"{author}@example.com",
                    "severity": severity,
                    "revision": f"{issue_id:040x}",
                    "ci_time": analysis_time(ci),
                    "file_owners": None,
                    "is_external": False,
                    "scm_url": "",
                    "real_file_path": "",
                    "scan_open": scan_open,
                    "scan_fix": scans[-1] if state == 3 else None,
                    "fixed_time": analysis_time(ci + timedelta(days=3)) if state == 3 else None,
                    "language": language,
                    "tapd_ws_id": None,
                    "_category": category,
                    "_checkpackage": 1 + k % len(PACKAGES),
                }
            )
        m = self.metrics_per_project
        ccissues = []
        for k in range(1, m + 1):
            language, _, ext = LANGUAGES[k % len(LANGUAGES)]
            ccn = 20 + (k * 7 + 3 * project_id) % 30
            ccissues.append(
                {
                    "id": (project_id - 1) * m + k,
                    "repo": repo_id,
                    **self._analysis_audit(k),
                    "ccn": ccn,
                    "g_cc_hash": None,
                    "cc_hash": f"{k:032x}",
                    "file_path": f"src/pkg{k % 3}/complex{k % 4}{ext}",
                    "func_name": f"handle_{k}",
                    "func_param_num": k % 6,
                    "long_name": f"handle_{k}( a , b )",
                    "change_type": k % 4,
                    "status": 1 if k % 3 else 2,
                    "last_modifier": PEOPLE[k % 3],
                    "author": PEOPLE[(k + 1) % 3],
                    "related_modifiers": ",".join(PEOPLE[: 1 + k % 3]),
                    "is_tapdbug": False,
                    "ignore_time": None,
                    "is_latest": True,
                    "language": language,
                    "revision": f"{k:040x}",
                    "ci_time": analysis_time(BASE_TIME + timedelta(days=k)),
                    "diff_ccn": None,
                    "project": project_id,
                    "scan_open": scans[0],
                    "scan_close": None,
                }
            )
        ccfiles = self._cc_files(project_id, repo_id, ccissues, scans[0])
        dupfiles, blocks = self._dup_files(project_id, repo_id, m, scans[-1])
        clocfiles = self._cloc_files(project_id, m, scans[-1])
        return {
            "issues": issues,
            "ccissues": ccissues,
            "ccfiles": ccfiles,
            "dupfiles": dupfiles,
            "blocks": blocks,
            "clocfiles": clocfiles,
        }

    @staticmethod
    def _analysis_audit(k: int) -> dict[str, Any]:
        created = BASE_TIME + timedelta(days=k)
        return {
            "created_time": analysis_time(created),
            "creator": None,
            "modified_time": analysis_time(created + timedelta(seconds=1)),
            "modifier": None,
            "deleted_time": None,
            "deleter": None,
        }

    def _cc_files(
        self, project_id: int, repo_id: int, ccissues: list[dict[str, Any]], scan: int | None
    ) -> list[dict[str, Any]]:
        by_path: dict[str, list[dict[str, Any]]] = {}
        for issue in ccissues:
            by_path.setdefault(issue["file_path"], []).append(issue)
        files = []
        for k, (path, funcs) in enumerate(sorted(by_path.items()), 1):
            over = [f["ccn"] - 20 for f in funcs]
            file_id = project_id * 1000 + k
            for f in funcs:
                f["_file"] = file_id
            files.append(
                {
                    "id": file_id,
                    "repo": repo_id,
                    "tapd_url": None,
                    **self._analysis_audit(k),
                    "over_func_cc": max(over),
                    "over_cc_sum": sum(over),
                    "over_cc_avg": round(sum(over) / len(over), 2),
                    "over_cc_func_count": len(funcs),
                    "diff_over_func_cc": 0,
                    "diff_over_cc_sum": 0,
                    "diff_over_cc_avg": 0,
                    "diff_over_cc_func_count": 0,
                    "worse": k % 2 == 0,
                    "file_path": path,
                    "state": (1, 2, 3)[k % 3],
                    "change_type": k % 4,
                    "last_modifier": PEOPLE[k % 3],
                    "author": PEOPLE[(k + 1) % 3],
                    "related_modifiers": ";".join(PEOPLE[: 1 + k % 3]),
                    "file_owners": None,
                    "language": funcs[0]["language"],
                    "tapd_ws_id": None,
                    "tapd_bug_id": None,
                    "revision": None,
                    "ci_time": None,
                    "project": project_id,
                    "scan_open": scan,
                    "scan_close": None,
                }
            )
        return files

    def _dup_files(
        self, project_id: int, repo_id: int, m: int, scan: int | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        files, blocks = [], []
        for k in range(1, max(1, m // 2) + 1):
            file_id = (project_id - 1) * m + k
            total = 200 + 13 * k
            dup_lines = 2 * (6 + project_id % 5) * k  # two blocks of half each
            owner = PEOPLE[k % 3]
            state = (1, 2, 3)[k % 3]
            change = (None, "add", "mod", "del")[k % 4]
            for b in range(1, 3):
                blocks.append(
                    {
                        "id": file_id * 10 + b,
                        "duplicate_file": file_id,
                        "project_id": project_id,
                        "scan_id": scan,
                        "duplicate_file_id": file_id,
                        "token_num": 120 + b,
                        "duplicate_times": 2,
                        "duplicate_rate": round(100 * dup_lines / total / 2, 2),
                        "start_line_num": 10 * b,
                        "end_line_num": 10 * b + dup_lines // 2 - 1,
                        "duplicate_line_count": dup_lines // 2,
                        "last_modifier": owner,
                        "change_type": change,
                        "related_modifiers": owner,
                    }
                )
            files.append(
                {
                    "id": file_id,
                    "repo": repo_id,
                    "issue": {"id": file_id, "state": state, "owner": owner},
                    "project_id": project_id,
                    "scan_id": scan,
                    "issue_id": file_id,
                    "issue_state": state,
                    "issue_owner": owner,
                    "dir_path": f"src/pkg{k % 3}",
                    "file_name": f"copy{k}.py",
                    "file_path": f"src/pkg{k % 3}/copy{k}.py",
                    "duplicate_rate": round(100 * dup_lines / total, 2),
                    "total_line_count": total,
                    "total_duplicate_line_count": dup_lines,
                    "distinct_hash_num": 1,
                    "block_num": 2,
                    "last_modifier": owner,
                    "change_type": change,
                    "scm_revision": f"{file_id:012x}",
                    "is_latest": True,
                }
            )
        return files, blocks

    @staticmethod
    def _cloc_files(project_id: int, m: int, scan: int | None) -> list[dict[str, Any]]:
        files = []
        for k in range(1, m + 1):
            _, language, ext = LANGUAGES[k % len(LANGUAGES)]
            code, comment, blank = 100 + (11 + project_id % 9) * k, 10 + k, 5 + k % 7
            change = ("add", "mod", "del")[k % 3]
            counts = {
                "code": code,
                "comment": comment,
                "blank": blank,
                "total": code + comment + blank,
            }
            row: dict[str, Any] = {"id": (project_id - 1) * m + k}
            for kind, value in counts.items():
                row[f"{kind}_line_num"] = value
                for prefix in ("add", "mod", "del"):
                    row[f"{prefix}_{kind}_line_num"] = value if prefix == change else 0
            row.update(
                {
                    "project_id": project_id,
                    "scan_id": scan,
                    "is_latest": True,
                    "dir_path": f"src/pkg{k % 3}",
                    "file_name": f"file{k}{ext}",
                    "language": language,
                    "change_type": change,
                }
            )
            files.append(row)
        return files


def _in_team(repo: dict[str, Any], org_sid: str, team_name: str) -> bool:
    team = repo["project_team"]
    return bool(team["org_sid"] == org_sid and team["name"] == team_name)
