"""Work items: stories (需求), bugs (缺陷), tasks (任务), iterations (迭代), releases,
launch forms (发布评审).

Field names are TAPD's. Sources: the ``get_stories`` reference example and the
response fixtures of go-tapd/tapd (bugs, tasks, iterations, releases, launch forms). Every
``custom_field_*`` and ``custom_plan_field_*`` key is gathered into
``custom_fields`` (values as sent: ``""``, ``null``, or ``"0"`` for an unlinked
plan field); people fields keep TAPD's raw string and are offered as tuples too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from attrs import define, field

from ..._convert import Model, gathered
from .._types import LinkId, PipeIds
from ._people import PeopleOf, split_people

__all__ = ["Bug", "Iteration", "LaunchForm", "Release", "Story", "Task", "WorkItem"]

NO_IDS = PipeIds(())


@gathered(custom_fields=("custom_field_", "custom_plan_field_"))
@define(frozen=True)
class WorkItem(Model):
    """What every work item has: an ``id``, its workspace, and gathered custom fields.

    Only ``id`` is required: ``fields=`` may trim everything else away.
    """

    id: str
    workspace_id: int | None = None
    custom_fields: Mapping[str, Any] = field(factory=dict)
    """Every ``custom_field_*`` / ``custom_plan_field_*`` key, as sent (a dict, gathered
    from ``raw`` when first read)."""

    def people(self, name: str) -> tuple[str, ...]:
        """The people field ``name`` (``owner``, ``cc``, ``de``…) as a tuple of nicknames."""
        value = getattr(self, name, None)
        if value is None:
            value = self.raw.get(name)
        return split_people(value if isinstance(value, str) else None)


@define(frozen=True)
class Story(WorkItem):
    """A story (需求), from the ``get_stories`` reference example.

    ``priority`` is the legacy numeric code; read ``priority_label``. ``children_id``
    is a tuple (TAPD's ``"|"`` for none is ``()``); unlinked ``iteration_id``,
    ``parent_id``, ``release_id`` (``"0"``) and ``category_id`` (``"-1"``) are ``None``.
    """

    name: str | None = None
    workitem_type_id: str | None = None
    description: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    status: str | None = None
    v_status: str | None = None
    step: str | None = None
    owner: str | None = None
    cc: str | None = None
    developer: str | None = None
    begin: date | None = None
    due: date | None = None
    size: str | None = None
    priority: str | None = None
    priority_label: str | None = None
    iteration_id: LinkId | None = None
    category_id: LinkId | None = None
    parent_id: LinkId | None = None
    children_id: PipeIds = NO_IDS
    ancestor_id: str | None = None
    path: str | None = None
    level: int | None = None
    business_value: int | None = None
    effort: float | None = None
    effort_completed: float | None = None
    exceed: float | None = None
    remain: float | None = None
    release_id: LinkId | None = None
    templated_id: LinkId | None = None
    completed: datetime | None = None
    label: str | None = None
    progress: int | None = None
    is_archived: bool | None = None
    tech_risk: str | None = None
    created_from: str | None = None
    source: str | None = None
    module: str | None = None
    version: str | None = None
    feature: str | None = None
    test_focus: str | None = None
    type: str | None = None
    flows: PipeIds = NO_IDS

    owners = PeopleOf("owner")
    ccs = PeopleOf("cc")
    developers = PeopleOf("developer")


@define(frozen=True)
class Bug(WorkItem):
    """A bug (缺陷), from go-tapd's ``get_bugs`` fixture (TAPD's documentation data).

    Bugs have a ``title`` (not ``name``), ``current_owner``, ``reporter``, ``de``
    (developers) and ``te`` (testers); ``flows`` is the tuple of statuses passed.
    """

    title: str | None = None
    description: str | None = None
    priority: str | None = None
    priority_label: str | None = None
    severity: str | None = None
    module: str | None = None
    status: str | None = None
    v_status: str | None = None
    reporter: str | None = None
    created: datetime | None = None
    bugtype: str | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    modified: datetime | None = None
    lastmodify: str | None = None
    auditer: str | None = None
    de: str | None = None
    fixer: str | None = None
    te: str | None = None
    current_owner: str | None = None
    confirmer: str | None = None
    participator: str | None = None
    closer: str | None = None
    cc: str | None = None
    iteration_id: LinkId | None = None
    release_id: LinkId | None = None
    story_id: LinkId | None = None
    issue_id: LinkId | None = None
    template_id: LinkId | None = None
    resolution: str | None = None
    source: str | None = None
    originphase: str | None = None
    sourcephase: str | None = None
    version_report: str | None = None
    version_test: str | None = None
    version_fix: str | None = None
    version_close: str | None = None
    baseline_find: str | None = None
    baseline_join: str | None = None
    baseline_test: str | None = None
    baseline_close: str | None = None
    milestone: str | None = None
    platform: str | None = None
    os: str | None = None
    testtype: str | None = None
    testphase: str | None = None
    testmode: str | None = None
    frequency: str | None = None
    regression_number: int | None = None
    flows: PipeIds = NO_IDS
    feature: str | None = None
    estimate: float | None = None
    created_from: str | None = None
    verify_time: datetime | None = None
    reject_time: datetime | None = None
    reopen_time: datetime | None = None
    audit_time: datetime | None = None
    suspend_time: datetime | None = None
    in_progress_time: datetime | None = None
    assigned_time: datetime | None = None
    due: date | None = None
    begin: date | None = None
    deadline: date | None = None
    label: str | None = None
    size: float | None = None
    effort: float | None = None
    effort_completed: float | None = None
    exceed: float | None = None
    remain: float | None = None

    current_owners = PeopleOf("current_owner")
    developers = PeopleOf("de")
    testers = PeopleOf("te")
    participators = PeopleOf("participator")
    ccs = PeopleOf("cc")


@define(frozen=True)
class Task(WorkItem):
    """A task (任务), from go-tapd's ``get_tasks`` fixture and TAPD's ``add_task`` page.

    ``status`` is one of ``open``, ``progressing``, ``done``.
    """

    name: str | None = None
    description: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    status: str | None = None
    owner: str | None = None
    cc: str | None = None
    begin: date | None = None
    due: date | None = None
    story_id: LinkId | None = None
    iteration_id: LinkId | None = None
    release_id: LinkId | None = None
    priority: str | None = None
    priority_label: str | None = None
    progress: int | None = None
    completed: datetime | None = None
    effort: float | None = None
    effort_completed: float | None = None
    exceed: float | None = None
    remain: float | None = None
    has_attachment: bool | None = None
    label: str | None = None

    owners = PeopleOf("owner")
    ccs = PeopleOf("cc")


@define(frozen=True)
class Iteration(WorkItem):
    """An iteration (迭代), from go-tapd's ``get_iterations`` fixture.

    ``startdate``/``enddate`` are dates; ``status`` is ``open`` or ``done``.
    """

    name: str | None = None
    startdate: date | None = None
    enddate: date | None = None
    status: str | None = None
    description: str | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    completed: datetime | None = None
    entity_type: str | None = None
    release_id: LinkId | None = None
    parent_id: LinkId | None = None
    ancestor_id: str | None = None
    path: str | None = None
    workitem_type_id: LinkId | None = None
    templated_id: LinkId | None = None
    plan_app_id: LinkId | None = None
    crucial_moment: str | None = None
    label: str | None = None
    releaseowner: str | None = None
    launchdate: date | None = None
    notice: str | None = None
    releasename: str | None = None
    origin_name: str | None = None


@define(frozen=True)
class Release(WorkItem):
    """A release plan (发布计划), from go-tapd's ``get_releases`` fixture."""

    name: str | None = None
    description: str | None = None
    startdate: date | None = None
    enddate: date | None = None
    creator: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    status: str | None = None


@define(frozen=True)
class LaunchForm(WorkItem):
    """A launch (release-review) form (发布评审), from go-tapd's ``get_launch_forms``
    fixture.

    ``status`` and ``flows`` hold TAPD's ``LAUNCHFORM_STATUS_*`` keys (``flows`` as a
    tuple, like a bug's); unlinked ``template_id``, ``iteration_id`` and ``release_id``
    are ``None``. ``signed`` and ``archived`` are kept as sent: the fixture only shows
    them empty, so their format is unknown.
    """

    name: str | None = None
    title: str | None = None
    creator: str | None = None
    created: datetime | None = None
    status: str | None = None
    version_type: str | None = None
    baseline: str | None = None
    release_model: str | None = None
    roadmap_version: str | None = None
    release_type: str | None = None
    change_type: str | None = None
    signed_by: str | None = None
    archived_by: str | None = None
    cc: str | None = None
    change_notifier: str | None = None
    signed: str | None = None
    archived: str | None = None
    signer_result: str | None = None
    signer_comment: str | None = None
    release_result: str | None = None
    release_comment: str | None = None
    test_path: str | None = None
    created_path: str | None = None
    remark: str | None = None
    participator: str | None = None
    template_id: LinkId | None = None
    iteration_id: LinkId | None = None
    release_id: LinkId | None = None
    flows: PipeIds = NO_IDS

    participators = PeopleOf("participator")
    ccs = PeopleOf("cc")
