"""TCA payload models: frozen, slotted attrs classes keeping the server's field names.

Field sources: the repository list example of TCA's API documentation (the seed),
``doc/zh/api/对象主要字段说明.md`` of Tencent/CodeAnalysis, and responses captured
from the open-source server (``ssh_url`` on repos, ``latest_login_time`` on users).
Fields documented as nullable, or seen null, are optional; every model keeps the
whole dict it came from on ``.raw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from attrs import define, field

from .._convert import Model
from .._redact import url_repr
from .enums import JobState, PathType, ProjectStatus, ScanType, SchemeStatus, TaskState

__all__ = [
    "Branch",
    "BranchScheme",
    "CheckPackage",
    "CheckProfile",
    "Creator",
    "IdRef",
    "Job",
    "JobDetail",
    "JobProject",
    "LintConf",
    "MetricConf",
    "Org",
    "OrgBrief",
    "Project",
    "ProjectRepo",
    "ProjectTeam",
    "RecentActive",
    "RefScheme",
    "Repo",
    "ScanCreated",
    "ScanDir",
    "Scheme",
    "SchemeTemplate",
    "ScmAuth",
    "ScmSsh",
    "Task",
    "Team",
]


@define(frozen=True)
class Creator(Model):
    """A TCA user as embedded in other objects (``creator``, ``scm_ssh.user``).

    ``latest_login_time`` is seen in captures from the open-source server, not in
    the documentation.
    """

    username: str
    nickname: str | None = None
    status: int | None = None
    avatar: str | None = None
    org: str | None = None
    latest_login_time: datetime | None = None


@define(frozen=True)
class RecentActive(Model):
    """The most recently active branch of a repository (``recent_active``; may be null).

    Fields from the documentation's repository example (TCA.md §5). Every captured
    repository has ``recent_active: null``, so no capture confirms them; ``id``
    being the branch record's id is inferred.
    """

    id: int
    branch_name: str | None = None
    active_time: datetime | None = None
    total_line_num: int | None = None
    code_line_num: int | None = None


@define(frozen=True)
class ScmSsh(Model):
    """An SSH credential referenced by a repository's ``scm_auth`` (``scm_ssh``).

    Fields from the documentation's repository example (TCA.md §5). No captured
    repository has an ``scm_auth``; the captured swagger (``ScmSshInfo``) lists
    further fields (``auth_origin``, ``git_token``, …) that are not modelled.
    """

    id: int
    name: str | None = None
    scm_platform: int | None = None
    scm_platform_desc: str | None = None
    user: Creator | None = None


@define(frozen=True)
class ScmAuth(Model):
    """How TCA authenticates to the repository's SCM (``scm_auth``; may be null).

    ``auth_type`` is ``password``, ``ssh_token`` or ``oauth``; the matching credential
    is in ``scm_account``, ``scm_ssh`` or ``scm_oauth``. The documentation shows only an
    ``scm_ssh`` example, so the other two are kept as plain dicts (inferred).
    """

    id: int
    auth_type: str | None = None
    scm_account: Mapping[str, Any] | None = None
    scm_oauth: Mapping[str, Any] | None = None
    scm_ssh: ScmSsh | None = None
    created_time: datetime | None = None
    modified_time: datetime | None = None


@define(frozen=True)
class ProjectTeam(Model):
    """The team ("project" in TCA's UI) a repository belongs to (``project_team``).

    Fields from the repository captures (list, detail, patch) and the documentation's
    repository example; the captured job detail embeds the same object.
    """

    name: str
    display_name: str | None = None
    status: int | None = None
    org_sid: str | None = None


@define(frozen=True)
class Repo(Model):
    """A code repository registered in a TCA team.

    From the repository list example of the API documentation; ``ssh_url`` and
    ``labels`` (only in the answer to a create) from captures of the open-source server.
    """

    id: int
    name: str | None  # nullable in the server's schema (RepositoryList)
    scm_url: str = field(repr=url_repr)
    scm_type: str
    branch_count: int | None = None
    scheme_count: int | None = None
    job_count: int | None = None
    created_time: datetime | None = None
    recent_active: RecentActive | None = None
    created_from: str | None = None
    creator: Creator | None = None
    symbol: str | None = None
    scm_auth: ScmAuth | None = None
    project_team: ProjectTeam | None = None
    ssh_url: str | None = field(default=None, repr=url_repr)
    labels: tuple[Any, ...] | None = None


@define(frozen=True)
class _Audited(Model):
    """The audit fields every main-server object carries (captures)."""

    creator: Creator | None = None
    created_time: datetime | None = None
    modifier: Creator | None = None
    modified_time: datetime | None = None
    deleter: Creator | None = None
    deleted_time: datetime | None = None


@define(frozen=True)
class OrgBrief(Model):
    """An organisation as embedded in teams and job details (``organization``).

    Fields from the v3 team list and job detail captures.
    """

    org_sid: str
    name: str | None = None
    certificated: bool | None = None
    status: int | None = None
    level: int | None = None


@define(frozen=True)
class Org(_Audited):
    """An organisation ("team" in TCA's UI), from ``GET /v3/orgs/{org_sid}/``.

    Fields from the open-source server's capture and ``对象主要字段说明.md``;
    ``project_count`` is documented but not seen in captures (optional).
    """

    org_sid: str = ""
    name: str = ""
    id: int | None = None
    admins: tuple[Creator, ...] = ()
    repo_count: int | None = None
    team_count: int | None = None
    user_count: int | None = None
    project_count: int | None = None
    owner: str | None = None
    tel_number: str | None = None
    address: str | None = None
    description: str | None = None
    certificated: bool | None = None
    business_license: str | None = None
    status: int | None = None
    level: int | None = None


@define(frozen=True)
class Team(_Audited):
    """A team ("project" in TCA's UI) of an organisation (v3 team list capture)."""

    name: str = ""
    display_name: str | None = None
    description: str | None = None
    status: int | None = None
    id: int | None = None
    admins: tuple[Creator, ...] = ()
    organization: OrgBrief | None = None


@define(frozen=True)
class BranchScheme(Model):
    """A (project, scheme) pair of a branch (``schemes[]`` of a branch).

    Fields from the branches capture, as listed in TCA.md §4.
    """

    project_id: int
    scan_scheme_id: int | None = None
    scan_scheme_name: str | None = None


@define(frozen=True)
class Branch(Model):
    """A repository branch and the analysis projects on it (branches capture)."""

    branch: str
    schemes: tuple[BranchScheme, ...] = ()


@define(frozen=True)
class RefScheme(Model):
    """The scheme (or template) a scheme was copied from, as ``basicconf`` describes it
    (the server's schema, ``RefSchemeSimple``; not captured with a value)."""

    id: int
    name: str | None = None
    scheme_key: str | None = None
    repo: int | None = None
    is_template: bool | None = None


@define(frozen=True)
class Scheme(_Audited):
    """A scan scheme of a repository (schemes list / basicconf captures, TCA.md §4).

    ``refer_scheme_info`` and ``scheme_key`` appear only when embedded in a project;
    ``job_runtime_limit``, ``daily_save`` and ``issue_revision_merge_flag`` are
    documented but not captured. ``refer_scheme`` is the id in a list, a
    :class:`RefScheme` in ``basicconf`` (the server's schema); ``ignore_branch_issue``
    is a branch name (issues that branch brought in are left out), text in the schema.
    """

    id: int = 0
    name: str = ""
    languages: tuple[str, ...] = ()
    tag: str | None = None
    refer_scheme: int | RefScheme | None = None
    refer_scheme_info: Mapping[str, Any] | None = None
    refer_template_ids: tuple[int, ...] | None = None
    description: str | None = None
    default_flag: bool | None = None
    created_from: str | None = None
    job_runtime_limit: int | None = None
    ignore_merged_issue: bool | None = None
    ignore_branch_issue: str | None = None
    ignore_submodule_clone: bool | None = None
    ignore_submodule_issue: bool | None = None
    issue_global_ignore: bool | None = None
    daily_save: bool | None = None
    lfs_flag: bool | None = None
    issue_revision_merge_flag: bool | None = None
    status: SchemeStatus | None = None
    scheme_key: str | None = None
    scheme_type: int | None = None
    repo: int | None = None


@define(frozen=True)
class SchemeTemplate(_Audited):
    """An organisation's scheme template (``/orgs/{org_sid}/schemes/``).

    The captured list is empty: fields are the documented GlobalScanSchemeTemplate
    ones shared with :class:`Scheme` (inferred); the rest is on ``raw``.
    """

    id: int = 0
    name: str = ""
    languages: tuple[str, ...] = ()
    tag: str | None = None
    description: str | None = None
    status: SchemeStatus | None = None
    scheme_key: str | None = None


@define(frozen=True)
class CheckPackage(Model):
    """A rule set (check package), from the lintconf capture and TCA.md §4."""

    id: int
    name: str = ""
    description: str | None = None
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    checkrule_count: int | None = None
    package_type: int | None = None


@define(frozen=True)
class CheckProfile(Model):
    """A scheme's lint profile: its custom package and the rule sets added.

    ``id``, ``custom_checkpackage`` and ``checkpackages`` from the lintconf capture;
    ``checkpackages`` holds the ids of the rule sets (the server's schema; the capture's
    list is empty): ``tca.check_packages.list`` gives them whole. ``profile_type`` is in
    neither a capture nor the documentation (inferred, optional).
    """

    id: int
    profile_type: int | None = None
    custom_checkpackage: CheckPackage | None = None
    checkpackages: tuple[int, ...] = ()


@define(frozen=True)
class LintConf(Model):
    """A scheme's lint configuration (lintconf capture)."""

    id: int
    enabled: bool | None = None
    checkprofile: CheckProfile | None = None
    scan_scheme: int | None = None
    build_cmd: str | None = None
    envs: str | None = None
    pre_cmd: str | None = None


@define(frozen=True)
class MetricConf(Model):
    """A scheme's code-metric configuration (metricconf capture)."""

    id: int
    cc_scan_enabled: bool | None = None
    min_ccn: int | None = None
    dup_scan_enabled: bool | None = None
    dup_block_length_min: int | None = None
    dup_block_length_max: int | None = None
    dup_min_dup_times: int | None = None
    dup_max_dup_times: int | None = None
    dup_min_midd_rate: int | None = None
    dup_min_high_rate: int | None = None
    dup_min_exhi_rate: int | None = None
    dup_issue_limit: int | None = None
    cloc_scan_enabled: bool | None = None
    scan_scheme: int | None = None


@define(frozen=True)
class ScanDir(Model):
    """A directory included in or excluded from a scheme's scans (scandir capture)."""

    id: int
    dir_path: str
    path_type: PathType | None = None
    scan_type: ScanType | None = None
    scan_scheme: int | None = None


@define(frozen=True)
class ProjectRepo(Model):
    """The repository as embedded in a project detail (``repo``).

    ``id``, ``name``, ``scm_url``, ``scm_type`` and ``scm_auth`` from the project
    detail and create captures; ``symbol`` is inferred from the list form of a
    repository (optional).
    """

    id: int
    name: str | None = None
    scm_url: str | None = field(default=None, repr=url_repr)
    scm_type: str | None = None
    scm_auth: ScmAuth | None = None
    symbol: str | None = None


@define(frozen=True)
class Project(_Audited):
    """An analysis project: a branch of a repository scanned with a scheme.

    From the project list/detail captures: ``repo`` is an id in lists and an object
    in details; ``scan_path``, ``project_key`` and ``remark`` are not documented.
    """

    id: int = 0
    branch: str = ""
    scan_scheme: Scheme | None = None
    status: ProjectStatus | None = None
    created_from: str | None = None
    repo: int | ProjectRepo | None = None
    scan_path: str | None = None
    project_key: str | None = None
    remark: str | None = None


@define(frozen=True)
class IdRef(Model):
    """``{"id": n}``: the ``job`` and ``scan`` of a scan create (scan create capture)."""

    id: int


@define(frozen=True)
class ScanCreated(Model):
    """The answer to a scan create: ``{"job": {"id"}, "scan": {"id"}}`` (docs, capture)."""

    job: IdRef
    scan: IdRef

    @property
    def job_id(self) -> int:
        """The job to poll."""
        return self.job.id

    @property
    def scan_id(self) -> int:
        """The analysis scan."""
        return self.scan.id


@define(frozen=True)
class Job(Model):
    """A job in a project's job list (jobs list capture)."""

    id: int
    state: JobState | None = None
    result_code: int | None = None
    result_msg: str | None = None
    code_line_num: int | None = None
    comment_line_num: int | None = None
    blank_line_num: int | None = None
    total_line_num: int | None = None
    efficient_comment_line_num: int | None = None
    filtered_efficient_comment_line_num: int | None = None


@define(frozen=True)
class Task(Model):
    """One task of a job (tool run), from the documented job detail.

    The captured job detail (a waiting job) has ``tasks: []``, so the fields are the
    documentation's only.
    """

    id: int
    module: str | None = None
    task_name: str | None = None
    progress_rate: float | None = None
    state: TaskState | None = None
    result_code: int | None = None
    result_msg: str | None = None
    result_path: str | None = None


@define(frozen=True)
class JobProject(Model):
    """The project as embedded in a job detail (docs; ``organization`` and
    ``project_team`` from the capture)."""

    id: int
    branch: str | None = None
    repo_id: int | None = None
    scan_scheme: int | None = None
    repo_scm_url: str | None = field(default=None, repr=url_repr)
    organization: OrgBrief | None = None
    project_team: ProjectTeam | None = None


@define(frozen=True)
class JobDetail(Model):
    """A job's status and result (``jobs/{id}/detail/``, docs and capture).

    ``waiting_time``, ``execute_time`` and ``save_time`` are sent as strings of
    seconds and become floats.
    """

    id: int
    state: JobState
    scan_id: int | None = None
    create_time: datetime | None = None
    waiting_time: float | None = None
    start_time: datetime | None = None
    execute_time: float | None = None
    save_time: float | None = None
    end_time: datetime | None = None
    expire_time: datetime | None = None
    project: JobProject | None = None
    task_num: int | None = None
    task_done: int | None = None
    tasks: tuple[Task, ...] = ()
    result_code: int | None = None
    result_code_msg: str | None = None
    result_msg: str | None = None
    remarks: str | None = None
    remarked_by: str | None = None
    code_line_num: int | None = None
    comment_line_num: int | None = None
    blank_line_num: int | None = None
    total_line_num: int | None = None
    created_from: str | None = None
    creator: str | None = None

    @property
    def is_closed(self) -> bool:
        """Whether the job has ended (state 2)."""
        return self.state == JobState.CLOSED

    @property
    def failed(self) -> bool:
        """Whether it ended with a failure code (``result_code`` >= 100)."""
        return self.result_code is not None and self.result_code >= 100
