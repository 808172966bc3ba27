"""The example payloads of TCA.md §5 and shapes from the captures, structured without loss.

Each payload is re-expressed here (values changed, shapes kept); ``assert_lossless``
checks every key the server sent is a field of the model (recursively), so a
documented field the models forget fails the test.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from tca_tapd._convert import Model, Structurer, make_converter
from tca_tapd.tca import (
    CCIssue,
    ClocLanguage,
    DupBlock,
    DupFile,
    DupFileDetail,
    Issue,
    IssueDetail,
    IssueResolution,
    IssueSeverity,
    IssueState,
    JobDetail,
    JobState,
    LatestScan,
    LintConf,
    MetricConf,
    Org,
    Overview,
    Project,
    Repo,
    ScanCreated,
    Team,
)

S = Structurer.from_factory(make_converter)  # as the client builds it
CN = timezone(timedelta(hours=8))


def assert_lossless(obj: Any, payload: Any, path: str = "$") -> None:
    """Every key of ``payload`` is reachable on ``obj``, nested models included."""
    if isinstance(obj, Model):
        assert isinstance(payload, Mapping), path
        names = {f.name for f in attrs.fields(type(obj))}
        for key, value in payload.items():
            assert key in names, f"{path}.{key} is not a field of {type(obj).__name__}"
            assert_lossless(getattr(obj, key), value, f"{path}.{key}")
    elif isinstance(obj, tuple) and isinstance(payload, list):
        for index, (item, raw) in enumerate(zip(obj, payload, strict=True)):
            assert_lossless(item, raw, f"{path}[{index}]")
    elif isinstance(obj, Mapping) and isinstance(payload, Mapping):
        for key, value in payload.items():
            assert_lossless(obj[key], value, f"{path}.{key}")


USER = {"username": "dev", "nickname": "Dev", "status": 1, "avatar": "u", "org": "o"}
REPO = {
    "id": 7,
    "name": "svc",
    "scm_url": "http://git.example.org/team/svc",
    "scm_type": "git",
    "branch_count": 2,
    "scheme_count": 1,
    "job_count": 4,
    "created_time": "2022-03-01 08:00:00.123456+00:00",
    "recent_active": {
        "id": 9,
        "branch_name": "main",
        "active_time": "2022-03-02 08:00:00+00:00",
        "total_line_num": 10,
        "code_line_num": 8,
    },
    "created_from": "tca",
    "creator": USER,
    "symbol": None,
    "scm_auth": {
        "id": 2,
        "scm_account": None,
        "scm_oauth": None,
        "scm_ssh": {
            "id": 3,
            "name": "k",
            "scm_platform": 2,
            "scm_platform_desc": None,
            "user": USER,
        },
        "auth_type": "ssh_token",
        "created_time": "2022-03-01T16:00:00.5+08:00",
        "modified_time": "2022-03-01T16:00:01+08:00",
    },
    "project_team": {"name": "t", "display_name": "测试", "status": 1, "org_sid": "o"},
}
SCHEME = {
    "id": 1,
    "languages": ["python"],
    "tag": "TCA_Linux",
    "refer_scheme_info": None,
    "name": "默认",
    "default_flag": True,
    "job_runtime_limit": 600,
    "status": 1,
    "scheme_key": None,
    "repo": 7,
}
PROJECT = {
    "id": 3,
    "creator": USER,
    "created_time": "2022-01-28 02:27:26.256015+00:00",
    "modifier": None,
    "modified_time": "2022-01-28 02:27:27+00:00",
    "deleter": None,
    "deleted_time": None,
    "scan_scheme": SCHEME,
    "branch": "main",
    "status": 1,
    "created_from": "codedog_web",
    "repo": 7,
}
JOB = {
    "id": 11,
    "scan_id": 12,
    "create_time": "2022-01-28T10:27:26.442961+08:00",
    "waiting_time": "1",
    "start_time": "2022-01-28T10:27:27+08:00",
    "execute_time": "3",
    "project": {
        "id": 3,
        "branch": "main",
        "repo_id": 7,
        "scan_scheme": 1,
        "repo_scm_url": "http://git.example.org/team/svc.git",
    },
    "end_time": "2022-01-28T10:27:31+08:00",
    "expire_time": "2022-01-29T10:27:26+08:00",
    "task_num": 1,
    "task_done": 1,
    "tasks": [
        {
            "id": 1,
            "module": "codelint",
            "task_name": "pylint",
            "progress_rate": 1,
            "state": 2,
            "result_code": 0,
            "result_msg": "success",
            "result_path": None,
        }
    ],
    "state": 2,
    "result_code": 0,
    "result_code_msg": None,
    "result_msg": "success",
    "code_line_num": 900,
    "comment_line_num": 4,
    "blank_line_num": 200,
    "total_line_num": 1104,
    "created_from": "codedog_web",
    "creator": "dev",
}
ISSUE = {
    "id": 5,
    "file_path": "a/b.py",
    "project": 3,
    "repo": 7,
    "checkrule_real_name": "r",
    "checkrule_display_name": "R",
    "checktool_name": "pylint",
    "msg": "m",
    "state": 3,
    "resolution": 1,
    "author": "dev",
    "author_email": None,
    "severity": 2,
    "revision": "abc",
    "ci_time": "2022-02-02T13:31:38+08:00",
    "file_owners": None,
    "is_external": False,
    "scm_url": "",
    "real_file_path": "",
    "scan_open": 1,
    "scan_fix": 2,
    "fixed_time": "2022-02-19T15:25:15.152350+08:00",
}
CC_ISSUE = {
    "id": 1,
    "repo": 7,
    "ccn": 22,
    "g_cc_hash": None,
    "cc_hash": None,
    "file_path": "a/b.py",
    "func_name": "f",
    "func_param_num": 4,
    "long_name": "f( a , b )",
    "change_type": 0,
    "status": 1,
    "last_modifier": "dev",
    "author": None,
    "related_modifiers": "dev,ops",
    "is_tapdbug": False,
    "ignore_time": None,
    "is_latest": True,
    "language": "python",
    "revision": "abc",
    "ci_time": "2020-03-18T19:46:48+08:00",
    "diff_ccn": None,
    "project": 3,
    "scan_open": 1,
    "scan_close": None,
}
DUP_FILE = {
    "id": 1,
    "repo": 7,
    "issue": {"id": 1, "state": 1, "owner": "dev"},
    "project_id": 3,
    "scan_id": 1,
    "issue_id": 1,
    "issue_state": 1,
    "issue_owner": "dev",
    "dir_path": "a",
    "file_name": "b.py",
    "file_path": "a/b.py",
    "duplicate_rate": 4.63,
    "total_line_count": 259,
    "total_duplicate_line_count": 12,
    "distinct_hash_num": 1,
    "block_num": 1,
    "last_modifier": "dev",
    "change_type": None,
    "scm_revision": "12345678abc",
    "is_latest": True,
}
DUP_BLOCK = {
    "id": 1,
    "duplicate_file": 1,
    "token_num": 120,
    "duplicate_times": 2,
    "duplicate_rate": 4.63,
    "start_line_num": 216,
    "end_line_num": 227,
    "duplicate_line_count": 12,
    "related_modifiers": "dev",
}
LINES = {
    f"{p}{k}_line_num": n
    for n, (p, k) in enumerate(
        (p, k) for p in ("", "add_", "mod_", "del_") for k in ("code", "comment", "blank", "total")
    )
}
CLOC_LANG = {
    **LINES,
    "id": 1,
    "project_id": 3,
    "scan_id": 6,
    "is_latest": True,
    "name": "Python",
    "file_num": 165,
}
LINT_SCAN = {
    "issue_open_num": 74,
    "issue_fix_num": 439,
    "issue_detail_num": 310,
    "scan": {
        "id": 1,
        "scan_time": "2022-03-11T20:46:44.171607+08:00",
        "execute_time": "00:02:17.844712",
    },
    "current_scan": {
        "active_category_detail": {"convention": 70, "other": 4},
        "active_severity_detail": {"error": 69, "warning": 5},
        "issue_open_num": 74,
        "issue_fix_num": 439,
    },
    "total": {
        "state_detail": {"active": 197, "resolved": 13, "closed": 23297},
        "category_detail": {"convention": {"active": 184, "closed": 2}},
        "severity_detail": {"error": {"active": 157, "resolved": 11, "closed": 20113}},
    },
    "status": 0,
    "text": "成功",
    "description": None,
    "scan_summary": {"convention": {"error": {"rule_count": 7, "active": 65}}},
    "total_summary": {"other": {"info": {"rule_count": 3, "closed": 134}}},
}
CC_SCAN = {
    "id": 1,
    "scan_revision": "r",
    "default_summary": {
        "min_ccn": 20,
        "over_cc_func_count": 6,
        "under_cc_func_count": 796,
        "diff_over_cc_func_count": 0,
        "over_cc_func_average": 22.33,
        "cc_func_average": 2.51,
        "over_cc_sum": 14,
        "cc_average_of_lines": 1.04,
    },
    "custom_summary": None,
    "diff_cc_num": 0,
    "cc_open_num": 6,
    "cc_fix_num": 0,
    "worse_cc_file_num": 0,
    "min_ccn": 20,
    "code_line_num": 13433,
    "scan": 1,
}
RISK = {"range": [0.2, 1], "file_count": 1, "diff": {"diff_file_count": 0}}
DUP_SCAN = {
    "id": 1,
    "default_summary": {"exhi_risk": RISK, "high_risk": RISK, "midd_risk": RISK, "low_risk": RISK},
    "duplicate_file_count": 8,
    "duplicate_block_count": 55,
    "duplicate_line_count": 1177,
    "duplicate_rate": 4.98,
    "total_line_count": 21745,
    "scan": 1,
}
CLOC_SCAN = {**LINES, "id": 1, "scan_revision": "r", "last_revision": "q", "scan": 1}

EXAMPLES: list[tuple[str, type[Any], Any]] = [
    ("repo", Repo, REPO),
    ("project", Project, PROJECT),
    ("scan create", ScanCreated, {"job": {"id": 7974}, "scan": {"id": 5528}}),
    ("job detail", JobDetail, JOB),
    ("issue", Issue, ISSUE),
    ("cc issue", CCIssue, CC_ISSUE),
    ("dup file", DupFile, DUP_FILE),
    ("dup block", DupBlock, DUP_BLOCK),
    ("cloc language", ClocLanguage, CLOC_LANG),
    (
        "overview",
        Overview,
        {
            "lintscan": LINT_SCAN,
            "cyclomaticcomplexityscan": CC_SCAN,
            "duplicatescan": DUP_SCAN,
            "clocscan": CLOC_SCAN,
        },
    ),
]


@pytest.mark.parametrize(("name", "model", "payload"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_documented_examples_structure_without_loss(
    name: str, model: type[Any], payload: Any
) -> None:
    obj = S.one(payload, model)
    assert_lossless(obj, payload)
    assert obj.raw == payload


def test_typed_values() -> None:
    repo = S.one(REPO, Repo)
    assert repo.created_time == datetime(2022, 3, 1, 8, 0, 0, 123456, tzinfo=timezone.utc)
    assert repo.scm_auth is not None
    assert repo.scm_auth.created_time is not None
    assert repo.scm_auth.created_time.utcoffset() == timedelta(hours=8)
    job = S.one(JOB, JobDetail)
    assert (job.state, job.waiting_time, job.execute_time) == (JobState.CLOSED, 1.0, 3.0)
    issue = S.one(ISSUE, Issue)
    assert (issue.state, issue.severity, issue.resolution) == (
        IssueState.CLOSED,
        IssueSeverity.ERROR,
        IssueResolution.FIXED,
    )
    assert issue.ci_time == datetime(2022, 2, 2, 13, 31, 38, tzinfo=CN)
    overview = S.one({"lintscan": LINT_SCAN}, Overview)
    assert overview.lintscan is not None
    assert overview.lintscan.scan is not None
    assert overview.lintscan.scan.execute_time == timedelta(minutes=2, seconds=17.844712)
    assert overview.lintscan.total is not None
    assert overview.lintscan.total.severity_detail == {
        "error": {"active": 157, "resolved": 11, "closed": 20113}
    }
    dup = S.one(DUP_SCAN, type(S.one({"duplicatescan": DUP_SCAN}, Overview).duplicatescan))
    assert dup.default_summary is not None
    assert dup.default_summary["exhi_risk"].range == (0.2, 1.0)


def test_unknown_enum_values_are_kept() -> None:
    job = S.one({**JOB, "state": 7, "tasks": [{"id": 1, "state": 9}]}, JobDetail)
    assert job.state == 7
    assert not job.state.is_known
    assert job.tasks[0].state == 9
    issue = S.one({**ISSUE, "resolution": 20}, Issue)
    assert issue.resolution == 20


# Shapes of the captures of the open-source server (values changed).
CAPTURED: list[tuple[str, type[Any], Any]] = [
    (
        "org detail",
        Org,
        {
            "id": 1,
            "creator": {**USER, "latest_login_time": None},
            "created_time": "2026-11-23 09:03:12.606080+00:00",
            "modifier": None,
            "modified_time": "2026-11-23 09:03:12.607162+00:00",
            "deleter": None,
            "deleted_time": None,
            "admins": [USER],
            "repo_count": 0,
            "team_count": 1,
            "user_count": 1,
            "owner": "dev",
            "tel_number": "1",
            "org_sid": "X1",
            "name": "org",
            "address": None,
            "description": None,
            "certificated": False,
            "business_license": None,
            "status": 1,
            "level": 1,
        },
    ),
    (
        "team",
        Team,
        {
            "id": 1,
            "admins": [USER],
            "display_name": "T",
            "organization": {
                "org_sid": "X1",
                "name": "org",
                "certificated": False,
                "status": 1,
                "level": 1,
            },
            "name": "t",
            "description": None,
            "status": 1,
        },
    ),
    (
        "project detail",
        Project,
        {
            **PROJECT,
            "scan_path": "/",
            "project_key": "c2",
            "remark": None,
            "repo": {
                "id": 7,
                "name": "svc",
                "scm_url": "http://x/y",
                "scm_type": "git",
                "scm_auth": None,
            },
        },
    ),
    (
        "lint conf",
        LintConf,
        {
            "id": 1,
            "enabled": True,
            "checkprofile": {
                "id": 1,
                "custom_checkpackage": {
                    "id": 1,
                    "name": "p",
                    "description": None,
                    "languages": [],
                    "labels": [],
                    "checkrule_count": 0,
                    "package_type": 1,
                },
                "checkpackages": [],
            },
            "scan_scheme": 1,
            "build_cmd": None,
            "envs": None,
            "pre_cmd": None,
        },
    ),
    (
        "metric conf",
        MetricConf,
        {
            "id": 1,
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
            "scan_scheme": 1,
        },
    ),
    (
        "job detail waiting",
        JobDetail,
        {
            **JOB,
            "waiting_time": "7.251678",
            "start_time": None,
            "execute_time": None,
            "save_time": None,
            "state": 0,
            "result_code": None,
            "tasks": [],
            "remarks": None,
            "remarked_by": None,
            "project": {
                **JOB["project"],
                "organization": {
                    "org_sid": "X1",
                    "name": "org",
                    "certificated": False,
                    "status": 1,
                    "level": 1,
                },
                "project_team": {"name": "t", "display_name": "T", "status": 1, "org_sid": "X1"},
            },
        },
    ),
    (
        "latest scan",
        LatestScan,
        {
            "id": 2,
            "repo_id": 1,
            "project_id": 1,
            "job_gid": 2,
            "scan_time": "2026-11-23T17:07:48.132861+08:00",
            "current_revision": None,
            "result_code": None,
            "result_code_msg": None,
            "result_msg": None,
            "url": "",
            "lintscan": None,
            "duplicatescan": None,
            "cyclomaticcomplexityscan": None,
            "clocscan": None,
            "job_archived": None,
        },
    ),
    ("dup detail", DupFileDetail, {**DUP_FILE, "blocks": [DUP_BLOCK], "duplicate_rate_trend": 0.0}),
    (
        "issue detail",
        IssueDetail,
        {
            **ISSUE,
            "issue_details": [
                {
                    "id": 1,
                    "issue_refers": [],
                    "issuedetail_uuid": "u",
                    "line": 1809,
                    "column": 15,
                    "ci_time": "2022-02-02T13:31:38+08:00",
                    "issue": None,
                    "project": 3,
                }
            ],
            "file_hash": "h",
            "checkrule_gid": 1,
            "checkrule_rule_title": "t",
            "category": 7,
            "language": "python",
            "tapd_ws_id": None,
            "tapd_bug_id": None,
        },
    ),
]


@pytest.mark.parametrize(("name", "model", "payload"), CAPTURED, ids=[c[0] for c in CAPTURED])
def test_captured_shapes_structure_without_loss(name: str, model: type[Any], payload: Any) -> None:
    assert_lossless(S.one(payload, model), payload)
