"""The TAPD fake's deterministic data set (pure: raw dicts, as TAPD sends them).

A company (:data:`COMPANY_ID`) owns the workspaces; each workspace has iterations,
releases, launch forms, stories, bugs and tasks (with custom fields and the quirky values of the
fixtures: ids and numbers as strings, ``"0"``/``"-1"``/``"|"``/``null``/``""``
empties, ``0000-00-00 00:00:00``, people as ``"a;"``/``";a"``, HTML descriptions),
comments, change records (``changes`` as a JSON string, with ``\\uXXXX`` escapes,
some left as text as older TAPD did), custom-field settings, field info (options
as ``{}`` and ``[]``), workflows, workitem types, story categories, timesheets,
attachments, test cases, wiki pages, members and roles. Nothing here imports the
SDK's models.
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import datetime, timedelta
from typing import Any

__all__ = ["COMPANY_ID", "build_tables", "tapd_time", "third_projects"]

COMPANY_ID = 20003271
"""The company owning every workspace of the fake."""
PEOPLE = ("alice", "bob", "张三", "carol")
"""Members of every workspace (nicknames)."""

_STATUSES = ("planning", "developing", "resolved", "status_3")
_BUG_STATUSES = ("new", "in_progress", "resolved", "verified", "closed")
_TASK_STATUSES = ("open", "progressing", "done")
_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight")


def tapd_time(moment: datetime) -> str:
    """TAPD's zone-less ``YYYY-MM-DD HH:MM:SS``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def iteration_id(workspace_id: int, k: int) -> str:
    """The id of iteration ``k`` (1-3) of a workspace (stories point at them)."""
    return f"11{workspace_id}001000{k:03d}"


def story(workspace_id: int, n: int, rnd: random.Random) -> dict[str, Any]:
    """Story ``n`` of a workspace, shaped like TAPD's ``get_stories`` example.

    Cycles through the quirks by ``n``: people as ``""``/``"a;"``/``";张三"``, empty
    dates as ``None`` or ``0000-00-00 00:00:00``, ``iteration_id`` ``"0"`` (none) or
    one of the workspace's three iterations, ``children_id`` ``"|"``, HTML
    descriptions, labels ``"a|b"``; 20 ``custom_field_*`` and 10
    ``custom_plan_field_*`` keys. ``rnd`` jitters the creation time.
    """
    created = datetime(2025, 6, 16, 9, 0) + timedelta(hours=5 * n, seconds=rnd.randrange(3600))
    story_id = f"11{workspace_id}{n:09d}"
    owners = ["", "alice;", "alice;bob;", ";张三", "bob"][n % 5]
    story: dict[str, Any] = {
        "id": story_id,
        "workitem_type_id": f"11{workspace_id}001000022",
        "name": f"需求 {n}: improve module {n % 7}",
        "description": None if n % 3 else f"<p>Story <b>{n}</b> details</p>",
        "workspace_id": str(workspace_id),
        "creator": ["alice", "bob", "v_xuanfang"][n % 3],
        "created": tapd_time(created),
        "modified": tapd_time(created + timedelta(days=n % 9, minutes=n)),
        "status": _STATUSES[n % len(_STATUSES)],
        "step": "",
        "owner": owners,
        "cc": "" if n % 4 else "carol;",
        "begin": None if n % 2 else "2025-07-01",
        "due": None if n % 3 else "2025-07-31",
        "size": None if n % 5 else str(n % 8),
        "priority": ["", "4", "3", "2", "1"][n % 5],
        "developer": "" if n % 2 else "bob;",
        "iteration_id": "0" if n % 4 == 0 else f"11{workspace_id}001000{n % 4:03d}",
        "test_focus": "",
        "type": "",
        "source": "",
        "module": "",
        "version": "",
        "completed": None if n % 6 else "0000-00-00 00:00:00",
        "category_id": "-1",
        "path": f"{story_id}:",
        "parent_id": "0",
        "children_id": "|",
        "ancestor_id": story_id,
        "level": "0",
        "business_value": str(n % 10),
        "effort": None if n % 2 else str(n % 5),
        "effort_completed": "0",
        "exceed": "0",
        "remain": "0",
        "release_id": "0",
        "bug_id": None,
        "templated_id": None,
        "created_from": "api" if n % 2 else "",
        "feature": "",
        "label": "" if n % 3 else "backend|urgent",
        "progress": str((n * 7) % 101),
        "is_archived": "0",
        "tech_risk": "2",
        "flows": None,
        "secret_root_id": "0",
        "progress_manual": "0",
        "priority_label": ["", "Nice To Have", "Low", "Middle", "High"][n % 5],
    }
    for word in ("one", "two", "three", "four", "five", "six", "seven", "eight"):
        story[f"custom_field_{word}"] = ""
    story["custom_field_three"] = str(n % 2)
    for k in range(9, 21):
        story[f"custom_field_{k}"] = "" if k % 3 else f"value {k}-{n}"
    for k in range(1, 11):
        story[f"custom_plan_field_{k}"] = "0"
    return story


def third_projects(workspace_id: int, n: int) -> dict[str, list[dict[str, Any]]]:
    """``relate_third_projects`` answers of workspace number ``n``, by ``third_type``.

    zhiyan items are ``{third_project_id, mode}`` as in TAPD's document; bk items have
    the same shape, inferred (the document has no bk example), and only for even
    ``n``, so some workspaces answer ``[]``; tgit sends one git
    project and one git group (``is_group: true``) with the document's fields; the
    tsvn shape is inferred (tgit's, with ``is_group: false``).

    The git project of workspace ``n`` has the path of FakeTCA's repository
    ``n + 1`` (``group{(n + 1) % 4}/service-{n + 1:03d}``). The first workspace links
    three more items, for the cross-API quality report: a project with the path of
    FakeTCA's never-scanned repository 25, a project FakeTCA does not know, and the
    group ``group3`` (FakeTCA's repositories ``group3/…``); the document's group
    (``CHEN1…``) matches nothing in FakeTCA.
    """
    ws = str(workspace_id)
    return {
        "zhiyan": [{"third_project_id": 12345 + n, "mode": "cooperate"}],
        "bk": [{"third_project_id": 54321 + n, "mode": "cooperate"}] if n % 2 == 0 else [],
        "tgit": [
            _tgit_project(ws, n, f"group{(n + 1) % 4}/service-{n + 1:03d}", 1),
            {
                "id": f"10000{ws}000000245",
                "workspace_id": ws,
                "git_app_id": "3",
                "group_id": str(230994 + n),
                "name": "CHEN1",
                "is_deleted": "0",
                "creator": "v_haohechen",
                "created": "2020-08-04 16:21:45",
                "path": "CHEN111111111111111111",
                "full_path": "CHEN111111111111111111",
                "modified": "2020-08-04 16:21:45",
                "full_name": "CHEN1",
                "modifier": "",
                "instance_name": "内网版",
                "is_group": True,
            },
            *(_first_workspace_links(ws) if n == 0 else []),
        ],
        "tsvn": [
            {
                "id": f"10000{ws}000300001",
                "workspace_id": ws,
                "name": "svn-trunk",
                "creator": "alice",
                "created": "2021-03-01 10:00:00",
                "modified": "2021-03-01 10:00:00",
                "is_group": False,
            }
        ],
    }


def _tgit_project(ws: str, n: int, path: str, k: int) -> dict[str, Any]:
    """A linked git project shaped like the document's first tgit item (``k``: its
    number among the workspace's links)."""
    name = path.rsplit("/", 1)[-1]
    token = "893e8a089f51a83c1a8c1abd47ccaf" if k == 1 else f"{k:02d}3e8a089f51a83c1a8c1abd47ccaf"
    return {
        "id": f"10000{ws}0001{13 + k:05d}",
        "workspace_id": ws,
        "git_project_id": str(12617341 + n + 1000 * (k - 1)),
        "git_app_id": "3",
        "path_with_namespace": path,
        "creator": "zhaooding",
        "created": f"2025-04-{9 + k:02d} 15:03:24",
        "name": name,
        "modified": f"2025-04-{9 + k:02d} 15:03:24",
        "status": "2",
        "url_token": f"{n:02d}{token}",
        "modifier": "zhaooding",
        "instance_name": "内网版",
    }


def _first_workspace_links(ws: str) -> list[dict[str, Any]]:
    """The first workspace's extra tgit links (see :func:`third_projects`)."""
    return [
        _tgit_project(ws, 0, "group1/service-025", 2),
        _tgit_project(ws, 0, "mobile/app-ios", 3),
        {
            "id": f"10000{ws}000000246",
            "workspace_id": ws,
            "git_app_id": "3",
            "group_id": "230990",
            "name": "group3",
            "is_deleted": "0",
            "creator": "alice",
            "created": "2024-11-02 09:30:00",
            "path": "group3",
            "full_path": "group3",
            "modified": "2024-11-02 09:30:00",
            "full_name": "group3",
            "modifier": "",
            "instance_name": "内网版",
            "is_group": True,
        },
    ]


def _custom(prefix_words: int, last: int, n: int, hit: str) -> dict[str, Any]:
    fields: dict[str, Any] = {f"custom_field_{w}": "" for w in _WORDS[:prefix_words]}
    for k in range(prefix_words + 1, last + 1):
        fields[f"custom_field_{k}"] = ""
    fields[hit] = f"v{n}" if n % 3 else ""
    return fields


def bug(workspace_id: int, n: int, rnd: random.Random) -> dict[str, Any]:
    """A bug shaped like go-tapd's ``get_bugs`` fixture."""
    created = datetime(2025, 6, 20, 10, 0) + timedelta(hours=7 * n, seconds=rnd.randrange(3600))
    status = _BUG_STATUSES[n % len(_BUG_STATUSES)]
    closed = status == "closed"
    row: dict[str, Any] = {
        "id": f"11{workspace_id}501{n:06d}",
        "title": f"缺陷 {n}: 计算不正确" if n % 2 else f"Bug {n}: wrong total",
        "description": "<strong>前置条件</div><br  />" if n % 4 == 0 else None,
        "priority": ["", "urgent", "high", "medium", "low"][n % 5],
        "severity": ["normal", "serious", "fatal", "prompt", "advice"][n % 5],
        "module": "",
        "status": status,
        "reporter": ["测试人员", "alice", "carol"][n % 3],
        "created": tapd_time(created),
        "bugtype": "项目缺陷" if n % 2 else "",
        "resolved": tapd_time(created + timedelta(hours=3)) if n % 5 >= 2 else None,
        "closed": tapd_time(created + timedelta(days=2)) if closed else None,
        "modified": tapd_time(created + timedelta(days=n % 6, minutes=n)),
        "lastmodify": "李四",
        "auditer": None,
        "de": ["张三;", "bob;", "", "alice;bob;"][n % 4],
        "fixer": "张三" if n % 5 >= 2 else "",
        "version_report": "",
        "te": ["张三;", "", "carol;"][n % 3],
        "current_owner": None if closed else ["alice;", "bob;", ";张三"][n % 3],
        "iteration_id": "0" if n % 4 == 0 else iteration_id(workspace_id, n % 4),
        "resolution": "fixed" if n % 5 >= 2 else "",
        "source": "",
        "confirmer": None,
        "participator": ";张三" if n % 2 else "alice;carol",
        "closer": "测试人员" if closed else "",
        "cc": None,
        "regression_number": "0",
        "flows": "|".join(_BUG_STATUSES[: n % len(_BUG_STATUSES) + 1]),
        "estimate": None,
        "issue_id": "0",
        "release_id": None,
        "verify_time": tapd_time(created + timedelta(days=1)) if n % 5 >= 3 else None,
        "reject_time": None,
        "in_progress_time": tapd_time(created + timedelta(hours=1)) if n % 5 >= 1 else None,
        "due": None,
        "begin": None,
        "template_id": f"11{workspace_id}001000353",
        "story_id": None if n % 3 else f"11{workspace_id}{n:09d}",
        "label": None,
        "size": None,
        "effort": None,
        "effort_completed": "0",
        "exceed": "0",
        "remain": "0",
        "priority_label": ["", "紧急", "高", "中", "低"][n % 5],
        "workspace_id": str(workspace_id),
    }
    row.update(_custom(5, 20, n, "custom_field_7"))
    return row


def task(workspace_id: int, n: int, rnd: random.Random) -> dict[str, Any]:
    """A task shaped like go-tapd's ``get_tasks`` fixture."""
    created = datetime(2025, 6, 18, 9, 0) + timedelta(hours=6 * n, seconds=rnd.randrange(3600))
    status = _TASK_STATUSES[n % 3]
    row: dict[str, Any] = {
        "id": f"11{workspace_id}502{n:06d}",
        "name": f"task {n}",
        "description": "" if n % 2 else f"<p>do <i>{n}</i></p>",
        "workspace_id": str(workspace_id),
        "creator": ["creator", "alice"][n % 2],
        "created": tapd_time(created),
        "modified": tapd_time(created + timedelta(days=n % 5)),
        "status": status,
        "owner": ["owner;", "alice;", "bob;张三;", ""][n % 4],
        "cc": "",
        "begin": None if n % 2 else "2025-07-01",
        "due": None,
        "story_id": f"11{workspace_id}{n % 40 + 1:09d}" if n % 5 else "0",
        "iteration_id": iteration_id(workspace_id, n % 3 + 1),
        "priority": "4",
        "progress": {"open": "0", "progressing": "50", "done": "100"}[status],
        "completed": tapd_time(created + timedelta(days=3)) if status == "done" else None,
        "effort_completed": str(n % 5),
        "exceed": str(n % 5),
        "remain": "0",
        "effort": str(n % 8),
        "has_attachment": "0",
        "release_id": "0",
        "label": "",
        "priority_label": "High" if n % 2 else "Middle",
    }
    row.update(_custom(8, 50, n, "custom_field_eight"))
    row.update({f"custom_plan_field_{k}": "0" for k in range(1, 11)})
    return row


def iteration(workspace_id: int, k: int) -> dict[str, Any]:
    """An iteration shaped like go-tapd's ``get_iterations`` fixture."""
    start = datetime(2025, 1 + 2 * (k - 1), 1)
    row: dict[str, Any] = {
        "id": iteration_id(workspace_id, k),
        "name": f"2025 年 M{k}-迭代",
        "workspace_id": str(workspace_id),
        "startdate": start.strftime("%Y-%m-%d"),
        "enddate": (start + timedelta(days=30)).strftime("%Y-%m-%d"),
        "status": "done" if k == 1 else "open",
        "release_id": None,
        "description": None,
        "creator": "creator name",
        "created": tapd_time(start - timedelta(days=5)),
        "modified": tapd_time(start - timedelta(days=5)),
        "completed": tapd_time(start + timedelta(days=30)) if k == 1 else None,
        "entity_type": "iteration",
        "parent_id": "0",
        "ancestor_id": iteration_id(workspace_id, k),
        "path": f"{iteration_id(workspace_id, k)}:",
        "workitem_type_id": f"11{workspace_id}001000098",
        "templated_id": f"11{workspace_id}001000218",
        "plan_app_id": "0",
        "crucial_moment": "CrucialMoment",
        "label": "",
        "releaseowner": None,
        "launchdate": None,
        "notice": None,
        "releasename": None,
    }
    row.update({f"custom_field_{i}": None if i <= 10 else "" for i in range(1, 51)})
    row["origin_name"] = row["name"]
    return row


def release(workspace_id: int, k: int) -> dict[str, Any]:
    """A release plan shaped like go-tapd's ``get_releases`` fixture."""
    return {
        "id": f"11{workspace_id}100000{k:03d}",
        "workspace_id": str(workspace_id),
        "name": f"发布计划{k}",
        "description": "熟悉敏捷研发全生命周期" if k == 1 else "",
        "startdate": f"2025-0{k + 5}-01",
        "enddate": f"2025-0{k + 5}-28",
        "creator": "anyechen",
        "created": f"2025-05-2{k} 16:49:01",
        "modified": f"2025-05-2{k} 16:49:01",
        "status": "done" if k == 1 else "open",
    }


def _change_json(n: int) -> str:
    changes = [
        {"field": "name", "value_before": "", "value_after": f"需求{n}"},
        {"field": "priority", "value_before": "", "value_after": 4},
        # Older TAPD stored some values with the escapes as text.
        {"field": "label", "value_before": "", "value_after": "\\u540e\\u7aef"},
    ]
    # ensure_ascii: the JSON string itself carries \\uXXXX escapes, like TAPD's.
    return json.dumps(changes, ensure_ascii=True)


def story_change(workspace_id: int, story: dict[str, Any], n: int) -> dict[str, Any]:
    """A ``WorkitemChange`` shaped like go-tapd's ``get_story_changes`` fixture."""
    return {
        "id": f"11{workspace_id}601{n:06d}",
        "workspace_id": str(workspace_id),
        "app_id": "1",
        "workitem_type_id": "0",
        "creator": "TAPD",
        "created": story["created"],
        "change_summary": "create_story",
        "comment": None,
        "changes": _change_json(n),
        "entity_type": "Story",
        "change_type": "create_story",
        "updated": story["modified"],
        "change_type_text": "需求创建",
        "field_changes": [
            {
                "field": "name",
                "value_before": "",
                "value_after": f"需求{n}",
                "value_before_parsed": "--",
                "value_after_parsed": f"需求{n}",
                "field_label": "标题",
            }
        ],
        "story_id": story["id"],
    }


def task_change(workspace_id: int, task_row: dict[str, Any], n: int) -> dict[str, Any]:
    """A task's ``WorkitemChange`` (``value_before`` as a JSON number, as go-tapd saw)."""
    changes = [{"field": "status", "value_before": 1, "value_after": task_row["status"]}]
    return {
        "id": f"11{workspace_id}603{n:06d}",
        "workspace_id": str(workspace_id),
        "app_id": "1",
        "workitem_type_id": "0",
        "creator": "alice",
        "created": task_row["modified"],
        "change_summary": "",
        "comment": None,
        "changes": json.dumps(changes),
        "entity_type": "Task",
        "change_type": "manual_update",
        "updated": task_row["modified"],
        "change_type_text": "手动更新",
        "field_changes": [],
        "task_id": task_row["id"],
    }


def bug_change(workspace_id: int, bug_row: dict[str, Any], n: int) -> dict[str, Any]:
    """A ``BugChange`` shaped like go-tapd's ``get_bug_changes`` fixture."""
    return {
        "id": f"11{workspace_id}602{n:06d}",
        "bug_id": bug_row["id"],
        "author": "anyechen",
        "field": "severity",
        "old_value": "\\u4e25\\u91cd" if n % 2 else "normal",  # escapes left as text
        "new_value": "fatal",
        "memo": None,
        "created": bug_row["modified"],
        "workspace_id": str(workspace_id),
    }


def comment(workspace_id: int, entry_type: str, entry_id: str, n: int) -> dict[str, Any]:
    """A comment shaped like go-tapd's ``get_comments`` fixture."""
    return {
        "id": f"11{workspace_id}701{n:06d}",
        "title": f"在状态 [{entry_type}] 添加",
        "description": f"<p>comment {n}</p>",
        "author": PEOPLE[n % len(PEOPLE)],
        "entry_type": entry_type,
        "entry_id": entry_id,
        "reply_id": "0",
        "root_id": "0",
        "created": f"2025-07-{n % 28 + 1:02d} 10:06:24",
        "modified": f"2025-07-{n % 28 + 1:02d} 10:06:24",
        "workspace_id": str(workspace_id),
    }


def custom_field_settings(workspace_id: int, entity: str) -> list[dict[str, Any]]:
    """``CustomFieldConfig`` rows for an entity (``options`` a JSON string or ``null``)."""
    rows = []
    fields = (
        ("custom_field_three", "select", "风险", json.dumps(["低", "中", "高"], ensure_ascii=True)),
        ("custom_field_9", "text", "link", None),
        ("custom_field_100", "user_chooser", "reviewer", None),
    )
    for k, (key, kind, name, options) in enumerate(fields):
        rows.append(
            {
                "id": f"11{workspace_id}801{k:06d}",
                "workspace_id": str(workspace_id),
                "app_id": "1",
                "entry_type": entity,
                "custom_field": key,
                "type": kind,
                "name": name,
                "options": options,
                "extra_config": None,
                "enabled": "1",
                "freeze": "0",
                "sort": None if k else "1",
                "memo": None,
                "open_extension_id": "",
                "is_out": 0,
                "is_uninstall": 0,
                "app_name": "",
            }
        )
    return rows


def fields_info(workspace_id: int) -> dict[str, Any]:
    """``get_fields_info``: options ``{}`` when there are some, ``[]`` when none."""
    return {
        "id": {"name": "id", "options": [], "html_type": "input", "label": "ID",
               "pure_options": [], "readonly": 0},
        "status": {"name": "status", "options": {"planning": "规划中", "developing": "实现中",
                   "resolved": "已实现", "status_3": "已验收"}, "html_type": "select",
                   "label": "状态", "pure_options": [], "readonly": 0},
        "iteration_id": {"name": "iteration_id",
                         "options": {iteration_id(workspace_id, k): f"2025 年 M{k}-迭代"
                                     for k in (1, 2, 3)},
                         "html_type": "select", "label": "迭代", "readonly": 0,
                         "pure_options": [{"value": iteration_id(workspace_id, 1),
                                           "label": "2025 年 M1-迭代", "panel": 0}]},
        "owner": {"name": "owner", "options": [], "html_type": "single_user_chooser",
                  "label": "处理人", "pure_options": [], "readonly": 0,
                  "user_options": [{"value": p, "label": p} for p in PEOPLE]},
        "custom_field_17": {"name": "custom_field_17", "html_type": "cascade",
                            "options": [{"name": "a1", "children": [{"name": "a11"}]}],
                            "label": "级联字段", "pure_options": [], "readonly": 0},
    }  # fmt: skip


def workflow(system: str) -> dict[str, Any]:
    """A workflow: its status map, transitions and last steps."""
    if system == "bug":
        names = {"new": "新", "in_progress": "接受/处理", "resolved": "已解决",
                 "verified": "已验证", "closed": "已关闭"}  # fmt: skip
        last = {"closed": "已关闭"}
    else:
        names = {"planning": "规划中", "developing": "实现中", "resolved": "已实现",
                 "status_3": "已验收"}  # fmt: skip
        last = {"status_3": "已验收", "resolved": "已实现"}
    keys = list(names)
    transitions = [
        {
            "Name": f"{a}-{b}",
            "StepPrevious": a,
            "StepNext": b,
            "Appendfield": [
                {"DBModel": system.title(), "FieldName": "owner", "Notnull": "yes", "Sort": "1"}
            ]
            if b == keys[-1]
            else [],
        }
        for a, b in itertools.pairwise(keys)
    ]
    return {"status_map": names, "transitions": transitions, "last_steps": last}


def workitem_types(workspace_id: int) -> list[dict[str, Any]]:
    """Two story workitem types, from TAPD's ``get_workitem_types`` page."""
    return [
        {
            "id": f"11{workspace_id}0010000{k}{k}",
            "workspace_id": str(workspace_id),
            "entity_type": "story",
            "name": name,
            "english_name": english,
            "status": "3",
            "color": "#5c88c5",
            "workflow_id": f"11{workspace_id}00108749{k}",
            "icon": f"{workspace_id}/icon/{k}",
            "icon_small": f"{workspace_id}/icon/{k}s",
            "creator": "v_xuanfang",
            "created": "2020-12-02 15:47:02",
            "modified_by": "v_xuanfang",
            "modified": "2020-12-02 15:47:02",
        }
        for k, (name, english) in enumerate((("需求", "story"), ("技术需求", "TSTORY")), 1)
    ]


def categories(workspace_id: int) -> list[dict[str, Any]]:
    """Story categories (fields inferred, like the other TAPD objects)."""
    names = ("功能", "性能", "体验")
    return [
        {
            "id": f"11{workspace_id}00100066{k}",
            "workspace_id": str(workspace_id),
            "name": name,
            "description": "",
            "parent_id": "0",
            "created": "2021-03-01 10:00:00",
            "modified": "2021-03-01 10:00:00",
            "creator": "alice",
            "modifier": "alice",
        }
        for k, name in enumerate(names, 1)
    ]


def timesheet(workspace_id: int, n: int, story_row: dict[str, Any]) -> dict[str, Any]:
    """A timesheet shaped like go-tapd's ``get_timesheets`` fixture."""
    return {
        "id": f"11{workspace_id}901{n:06d}",
        "entity_type": "story",
        "entity_id": story_row["id"],
        "timespent": str(n % 4 + 1) if n % 5 else "0.5",
        "spentdate": f"2025-08-{n % 28 + 1:02d}",
        "owner": PEOPLE[n % len(PEOPLE)],
        "created": f"2025-08-{n % 28 + 1:02d} 08:55:16",
        "modified": f"2025-08-{n % 28 + 1:02d} 08:55:16",
        "workspace_id": str(workspace_id),
        "memo": str(n),
        "is_delete": "0",
    }


def attachment(workspace_id: int, n: int, entry: dict[str, Any], kind: str) -> dict[str, Any]:
    """An attachment shaped like go-tapd's ``get_attachments`` fixture."""
    return {
        "id": f"11{workspace_id}902{n:06d}",
        "type": kind,
        "entry_id": entry["id"],
        "filename": f"demo-{n}.jpg",
        "description": None if n % 2 else "this is a demo image",
        "content_type": "image/jpeg",
        "created": f"2025-04-{n % 28 + 1:02d} 17:32:37",
        "workspace_id": str(workspace_id),
        "owner": "Go-Tapd",
    }


_LAUNCH_FORM_EMPTIES = (
    "version_type", "baseline", "release_model", "roadmap_version", "change_type", "signed_by",
    "archived_by", "cc", "change_notifier", "signed", "archived", "signer_result",
    "signer_comment", "release_result", "release_comment", "test_path", "created_path", "remark",
)  # fmt: skip


def launch_form(workspace_id: int, n: int) -> dict[str, Any]:
    """A launch form shaped like go-tapd's ``get_launch_forms`` fixture (mostly
    ``null`` fields, ``participator`` as ``";a;"``). Only the initial status is
    documented, so every form is ``LAUNCHFORM_STATUS_INITIAL``."""
    creator = ("v_xuanfang", "alice", "bob")[n % 3]
    row: dict[str, Any] = {
        "id": f"10{workspace_id}079{n:06d}",
        "title": None,
        "name": f"2025080{n % 9 + 1}{n:04d}",
        "creator": creator,
        "created": f"2025-08-{n % 28 + 1:02d} 19:47:37",
        "workspace_id": str(workspace_id),
        "status": "LAUNCHFORM_STATUS_INITIAL",
    }
    row.update(dict.fromkeys(_LAUNCH_FORM_EMPTIES))
    row.update(
        {
            "release_type": "正常发布" if n % 2 else "紧急发布",
            "participator": f";{creator};" if n % 2 else f"{creator};carol",
            "template_id": f"10{workspace_id}065798331",
            "iteration_id": iteration_id(workspace_id, n % 3 + 1) if n % 2 else None,
            "release_id": None,
            "flows": "LAUNCHFORM_STATUS_INITIAL",
        }
    )
    return row


def tcase(workspace_id: int, n: int) -> dict[str, Any]:
    """A test case shaped like go-tapd's ``get_test_cases`` fixture."""
    abandoned = n % 5 == 0
    return {
        "id": f"11{workspace_id}903{n:06d}",
        "steps": None if abandoned else "第一二三步",
        "workspace_id": str(workspace_id),
        "category_id": "-1",
        "created": "2019-06-26 16:42:59",
        "modifier": "api_doc_oauth" if abandoned else "tapd",
        "modified": "2019-06-26 16:43:00",
        "creator": "" if abandoned else "tapd",
        "status": "abandon" if abandoned else "normal",
        "name": "" if abandoned else f"测试浏览器兼容性 {n}",
        "precondition": None if abandoned else "打开浏览器",
        "expectation": None if abandoned else "无样式错误",
        "type": "" if abandoned else "其它",
        "priority": "" if abandoned else "高",
    }


def wiki(workspace_id: int, n: int) -> dict[str, Any]:
    """A wiki page shaped like go-tapd's ``get_wikis`` fixture."""
    return {
        "id": f"12{workspace_id}904{n:06d}",
        "name": f"page {n}",
        "workspace_id": str(workspace_id),
        "description": "" if n % 2 else "<p>rich</p>",
        "markdown_description": f"# page {n}" if n % 2 else "",
        "is_rich": "0" if n % 2 else "1",
        "parent_wiki_id": "0",
        "note": "",
        "view_count": str(n * 3),
        "created": f"2020-08-{n + 10} 11:24:44",
        "creator": "dev",
        "modified": f"2020-08-{n + 10} 11:24:44",
        "modifier": "dev",
    }


def member(n: int, nick: str) -> dict[str, Any]:
    """A ``UserWorkspace`` row shaped like go-tapd's ``users`` fixture."""
    return {
        "user": nick,
        "user_id": str(123456 + n),
        "role_id": ["1000000000000000010"] + (["1000000000000000015"] if n == 0 else []),
        "name": nick.title(),
        "email": f"{nick}@example.com" if nick.isascii() else "",
        "join_project_time": None,
        "real_join_time": f"2025-04-1{n}",
        "status": "1",
        "allocation": "100",
        "leave_project_time": None,
    }


def workspace(workspace_id: int, n: int, parent: int | None) -> dict[str, Any]:
    """A ``Workspace`` of ``workspaces/projects`` (``member_count`` a JSON int)."""
    return {
        "id": str(workspace_id),
        "name": ["TAPD 乌云", "示例项目", "示例轻项目"][n % 3],
        "pretty_name": f"ws_{workspace_id}",
        "category": "mini_project" if n == 2 else "project",
        "status": "normal",
        "description": "",
        "begin_date": None if n else "2015-03-27",
        "end_date": None,
        "external_on": "0",
        "creator": "davidning" if n else "",
        "creator_id": str(1000 + n),
        "created": f"2015-03-2{7 - n} 16:02:02",
        "company_id": COMPANY_ID if n == 0 else str(COMPANY_ID),
        "parent_id": str(parent) if parent else "0",
        "secrecy": "0",
        "member_count": len(PEOPLE),
    }


def build_tables(
    workspace_ids: list[int], stories: int, rnd: random.Random
) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Every list table, per workspace: ``{table: {workspace_id: rows}}``."""
    tables: dict[str, dict[int, list[dict[str, Any]]]] = {}

    def put(name: str, ws: int, rows: list[dict[str, Any]]) -> None:
        tables.setdefault(name, {})[ws] = rows

    for ws in workspace_ids:
        story_rows = [story(ws, i, rnd) for i in range(1, stories + 1)]
        bug_rows = [bug(ws, i, rnd) for i in range(1, 61)]
        task_rows = [task(ws, i, rnd) for i in range(1, 81)]
        put("stories", ws, story_rows)
        put("bugs", ws, bug_rows)
        put("tasks", ws, task_rows)
        put("iterations", ws, [iteration(ws, k) for k in (1, 2, 3)])
        put("releases", ws, [release(ws, k) for k in (1, 2)])
        put("story_changes", ws, [story_change(ws, s, i) for i, s in enumerate(story_rows[:6])])
        put("bug_changes", ws, [bug_change(ws, b, i) for i, b in enumerate(bug_rows[:6])])
        put("task_changes", ws, [task_change(ws, t, i) for i, t in enumerate(task_rows[:4])])
        put(
            "comments",
            ws,
            [comment(ws, "stories", s["id"], i) for i, s in enumerate(story_rows[:8])]
            + [comment(ws, "bug", b["id"], 8 + i) for i, b in enumerate(bug_rows[:4])],
        )
        put("workitem_types", ws, workitem_types(ws))
        put("story_categories", ws, categories(ws))
        some = story_rows[:10]
        put("timesheets", ws, [timesheet(ws, i, some[i % len(some)]) for i in range(1, 21) if some])
        put(
            "attachments",
            ws,
            [attachment(ws, i, s, "story") for i, s in enumerate(story_rows[1:5], 1)]
            + [attachment(ws, 4 + i, bug_rows[i], "bug") for i in range(1, 3)],
        )
        put("launch_forms", ws, [launch_form(ws, i) for i in range(1, 8)])
        put("tcases", ws, [tcase(ws, i) for i in range(1, 11)])
        put("wikis", ws, [wiki(ws, i) for i in range(1, 6)])
    return tables
