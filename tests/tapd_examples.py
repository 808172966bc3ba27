# ruff: noqa: E501  (long JSON strings, as TAPD sends them)
"""TAPD response examples as the project's own test data.

Re-expressed from the response fixtures of go-tapd/tapd (TAPD's anonymised
documentation data, ``shared/api/tapd-examples``): the first item or two of each,
with the runs of empty ``custom_field_*`` keys shortened. Each constant is the
``data`` of one answer.
"""

from __future__ import annotations

from typing import Any

GET_ATTACHMENTS: Any = [
    {
        "Attachment": {
            "id": "1111112222001002462",
            "type": "bug",
            "entry_id": "1111112222001020342",
            "filename": "demo.jpg",
            "description": "this is a demo image",
            "content_type": "image/jpeg",
            "created": "2022-04-20 17:32:37",
            "workspace_id": "11112222",
            "owner": "Go-Tapd",
        }
    },
    {
        "Attachment": {
            "id": "1111112222001002526",
            "type": "bug",
            "entry_id": "1111112222001021177",
            "filename": "example.jpg",
            "description": None,
            "content_type": "image/jpeg",
            "created": "2022-06-08 17:24:22",
            "workspace_id": "11112222",
            "owner": "Go-Tapd",
        }
    },
]

GET_BUG_CHANGES: Any = [
    {
        "BugChange": {
            "id": "1111122233300015913",
            "bug_id": "1111122233301037078",
            "author": "anyechen",
            "field": "severity",
            "old_value": "normal",
            "new_value": "fatal",
            "memo": None,
            "created": "2025-07-08 15:22:49",
            "workspace_id": "11112222",
        }
    },
    {
        "BugChange": {
            "id": "1111122233300015914",
            "bug_id": "1111122233301037079",
            "author": "anyechen",
            "field": "severity",
            "old_value": "serious",
            "new_value": "prompt",
            "memo": None,
            "created": "2025-07-08 15:22:50",
            "workspace_id": "11112222",
        }
    },
]

GET_BUGS: Any = [
    {
        "Bug": {
            "id": "11111222333001000268",
            "title": "计算不正确",
            "description": "<strong>前置条件</div><br  />",
            "priority": "",
            "severity": "normal",
            "module": "",
            "status": "closed",
            "reporter": "测试人员",
            "created": "2018-07-26 17:20:02",
            "bugtype": "项目缺陷",
            "resolved": "2018-07-26 18:09:42",
            "closed": "2018-08-07 10:05:19",
            "modified": "2024-12-23 10:49:16",
            "lastmodify": "李四",
            "auditer": None,
            "de": "张三;",
            "fixer": "张三",
            "version_test": "",
            "version_report": "",
            "version_close": "",
            "version_fix": "",
            "baseline_find": "",
            "baseline_join": "",
            "baseline_close": "",
            "baseline_test": "",
            "sourcephase": "",
            "te": "张三;",
            "current_owner": None,
            "iteration_id": "0",
            "resolution": "fixed",
            "source": "",
            "originphase": "",
            "confirmer": None,
            "milestone": None,
            "participator": ";张三",
            "closer": "测试人员",
            "platform": "",
            "os": "",
            "testtype": "",
            "testphase": "",
            "frequency": "",
            "cc": None,
            "regression_number": "0",
            "flows": "new|in_progress|resolved|verified|closed",
            "feature": None,
            "testmode": "",
            "estimate": None,
            "issue_id": "0",
            "created_from": None,
            "release_id": None,
            "verify_time": "2018-07-27 10:32:29",
            "reject_time": None,
            "reopen_time": None,
            "audit_time": None,
            "suspend_time": None,
            "due": None,
            "begin": None,
            "deadline": None,
            "in_progress_time": "2018-07-26 18:09:30",
            "assigned_time": None,
            "template_id": "11111222333001000353",
            "story_id": None,
            "label": None,
            "size": None,
            "effort": None,
            "effort_completed": "0",
            "exceed": "0",
            "remain": "0",
            "custom_field_one": "",
            "custom_field_two": "",
            "custom_field_three": "",
            "custom_field_four": "",
            "custom_field_7": "field",
            "custom_plan_field_1": "0",
            "custom_plan_field_2": "0",
            "custom_plan_field_3": "0",
            "custom_plan_field_4": "0",
            "custom_plan_field_5": "0",
            "custom_plan_field_6": "0",
            "custom_plan_field_7": "0",
            "custom_plan_field_8": "0",
            "custom_plan_field_9": "0",
            "custom_plan_field_10": "0",
            "priority_label": "",
            "workspace_id": "111222333",
        }
    },
    {
        "Bug": {
            "id": "11111222333001000269",
            "title": "标题不正确",
            "description": "标题不正确。",
            "priority": "",
            "severity": "",
            "module": None,
            "status": "closed",
            "reporter": "测试人员",
            "created": "2018-07-26 17:43:55",
            "bugtype": "项目缺陷",
            "resolved": "2018-07-26 18:31:56",
            "closed": "2018-08-07 10:05:19",
            "modified": "2024-12-23 10:49:16",
            "lastmodify": "李四",
            "auditer": None,
            "de": "张三;",
            "fixer": "张三",
            "version_test": "",
            "version_report": "",
            "version_close": "",
            "version_fix": "",
            "baseline_find": "",
            "baseline_join": "",
            "baseline_close": "",
            "baseline_test": "",
            "sourcephase": "",
            "te": "张三;",
            "current_owner": None,
            "iteration_id": "0",
            "resolution": "fixed",
            "source": "",
            "originphase": "",
            "confirmer": None,
            "milestone": None,
            "participator": ";张三",
            "closer": "测试人员",
            "platform": "",
            "os": "",
            "testtype": "",
            "testphase": "",
            "frequency": "",
            "cc": None,
            "regression_number": "0",
            "flows": "new|in_progress|resolved|verified|closed",
            "feature": None,
            "testmode": "",
            "estimate": None,
            "issue_id": None,
            "created_from": None,
            "release_id": None,
            "verify_time": "2018-07-27 10:21:57",
            "reject_time": None,
            "reopen_time": None,
            "audit_time": None,
            "suspend_time": None,
            "due": None,
            "begin": None,
            "deadline": None,
            "in_progress_time": "2018-07-26 18:31:38",
            "assigned_time": None,
            "template_id": "11111222333001000353",
            "story_id": None,
            "label": None,
            "size": None,
            "effort": None,
            "effort_completed": "0",
            "exceed": "0",
            "remain": "0",
            "custom_field_one": "",
            "custom_field_two": "",
            "custom_field_three": "",
            "custom_field_four": "",
            "custom_field_7": "field",
            "custom_plan_field_1": "0",
            "custom_plan_field_2": "0",
            "custom_plan_field_3": "0",
            "custom_plan_field_4": "0",
            "custom_plan_field_5": "0",
            "custom_plan_field_6": "0",
            "custom_plan_field_7": "0",
            "custom_plan_field_8": "0",
            "custom_plan_field_9": "0",
            "custom_plan_field_10": "0",
            "priority_label": "",
            "workspace_id": "111222333",
        }
    },
]

GET_COMMENTS: Any = [
    {
        "Comment": {
            "id": "1123402991001033061",
            "title": "title1",
            "description": "description1",
            "author": "author1",
            "entry_type": "bug",
            "entry_id": "1123402991001037223",
            "reply_id": "0",
            "root_id": "0",
            "created": "2024-08-28 10:06:24",
            "modified": "2024-08-28 10:06:24",
            "workspace_id": "11112222",
        }
    },
    {
        "Comment": {
            "id": "1123402991001033060",
            "title": "title2",
            "description": "description2",
            "author": "author2",
            "entry_type": "bug_remark",
            "entry_id": "1123402991001037173",
            "reply_id": "0",
            "root_id": "0",
            "created": "2024-08-28 09:38:31",
            "modified": "2024-08-28 09:38:31",
            "workspace_id": "11112222",
        }
    },
]

GET_ITERATIONS: Any = [
    {
        "Iteration": {
            "id": "11111222001002235",
            "name": "2025 年 M1-迭代",
            "workspace_id": "111222",
            "startdate": "2025-01-01",
            "enddate": "2025-01-31",
            "status": "open",
            "release_id": None,
            "description": None,
            "creator": "creator name",
            "created": "2024-12-27 17:04:43",
            "modified": "2024-12-27 17:04:43",
            "completed": None,
            "entity_type": "iteration",
            "parent_id": "0",
            "ancestor_id": "11111222001002235",
            "path": "11111222001002235:",
            "workitem_type_id": "11111222001000098",
            "templated_id": "11111222001000218",
            "plan_app_id": "0",
            "crucial_moment": "CrucialMoment",
            "label": "",
            "releaseowner": None,
            "launchdate": None,
            "notice": None,
            "releasename": None,
            "custom_field_1": None,
            "custom_field_2": None,
            "custom_field_3": None,
            "custom_field_4": None,
            "origin_name": "2025 年 M1-迭代",
        }
    },
    {
        "Iteration": {
            "id": "11111222001002233",
            "name": "2025年工程年度目标",
            "workspace_id": "111222",
            "startdate": "2025-01-01",
            "enddate": "2025-12-31",
            "status": "open",
            "release_id": None,
            "description": None,
            "creator": "creator name",
            "created": "2024-12-24 10:53:10",
            "modified": "2024-12-24 10:53:10",
            "completed": None,
            "entity_type": "iteration",
            "parent_id": "0",
            "ancestor_id": "11111222001002233",
            "path": "11111222001002233:",
            "workitem_type_id": "11111222001000098",
            "templated_id": "11111222001000218",
            "plan_app_id": "0",
            "crucial_moment": '[{"key":"StartDate","name":"开始时间","period":"","value":"2025-01-01"},{"key":"EndDate","name":"结束时间","period":"","value":"2025-12-31"}]',
            "label": "",
            "releaseowner": None,
            "launchdate": None,
            "notice": None,
            "releasename": None,
            "custom_field_1": None,
            "custom_field_2": None,
            "custom_field_3": None,
            "custom_field_4": None,
            "origin_name": "2025年工程年度目标",
        }
    },
]

LOCK_ITERATION: Any = "lock 1010104801000723579 successfully"

GET_LAUNCH_FORMS: Any = [
    {
        "LaunchForm": {
            "id": "1010104801079697767",
            "title": None,
            "name": "202101150008",
            "creator": "v_xuanfang",
            "created": "2021-01-15 19:47:37",
            "workspace_id": "10104801",
            "status": "LAUNCHFORM_STATUS_INITIAL",
            "version_type": None,
            "baseline": None,
            "release_model": None,
            "roadmap_version": None,
            "release_type": "正常发布",
            "change_type": None,
            "signed_by": None,
            "archived_by": None,
            "cc": None,
            "change_notifier": None,
            "signed": None,
            "archived": None,
            "signer_result": None,
            "signer_comment": None,
            "release_result": None,
            "release_comment": None,
            "test_path": None,
            "created_path": None,
            "remark": None,
            "participator": ";v_xuanfang;",
            "template_id": "1010104801065798331",
            "iteration_id": None,
            "release_id": None,
            "flows": "LAUNCHFORM_STATUS_INITIAL",
        }
    }
]

GET_RELEASES: Any = [
    {
        "Release": {
            "id": "1010158231100000905",
            "workspace_id": "10158231",
            "name": "发布计划1",
            "description": "熟悉敏捷研发全生命周期",
            "startdate": "2017-06-12",
            "enddate": "2017-07-07",
            "creator": "anyechen",
            "created": "2017-06-20 16:49:01",
            "modified": "2017-06-20 16:49:01",
            "status": "open",
        }
    }
]

COPY_STORY: Any = {
    "Story": {
        "id": "333344440010000001",
        "workspace_id": "33334444",
        "name": "复制的需求",
        "description": "复制需求描述",
        "creator": "xinweihe",
        "created": "2025-07-08 15:22:49",
        "modified": "2025-07-08 15:22:49",
        "status": "planning",
        "owner": "xinweihe",
        "category_id": "0",
        "workitem_type_id": "10001",
    }
}

GET_STORY_CHANGES: Any = [
    {
        "WorkitemChange": {
            "id": "1111112222001275457",
            "workspace_id": "11112222",
            "app_id": "1",
            "workitem_type_id": "0",
            "creator": "TAPD",
            "created": "2022-06-10 10:04:12",
            "change_summary": "create_story",
            "comment": None,
            "changes": '[{"field":"name","value_before":"","value_after":"\\u9700\\u6c423"},{"field":"description","value_before":"","value_after":"<div><b><span '
            'style=\\"color: rgb(68, 68, '
            '68);\\">\\u3010\\u7528\\u6237\\u6545\\u4e8b\\uff08User '
            "Story\\uff09\\u3011<\\/span><br\\/><\\/b><\\/div><b "
            'style=\\" color: rgb(54, 59, 66) ; ; ; ; ; ; ; ; ; ; ; '
            ';\\"><span style=\\"color: rgb(255, 0, 0);\\"><div><b '
            'style=\\"color: rgb(54, 59, 66);\\"><span style=\\"color: '
            "rgb(255, 0, "
            '0);\\"><br\\/><\\/span><\\/b><\\/div>\\u4f5c\\u4e3a<\\/span><\\/b><span '
            'style=\\" color: rgb(54, 59, 66) ; ; ; ; ; ; ; ; ; ; ; '
            ';\\">&nbsp;...<\\/span><div style=\\" margin: 0px; padding: '
            '0px ; ; ; ; ; ; ; ; ; ; ; ;\\"><span '
            'style=\\"color:#363b42;\\">&nbsp;<\\/span><div '
            'style=\\"margin: 0px; padding: 0px;\\"><div style=\\"color: '
            'rgb(54, 59, 66); margin: 0px; padding: 0px;\\"><b><span '
            'style=\\"color: rgb(255, 0, '
            '0);\\">\\u6211\\u5e0c\\u671b<\\/span><\\/b>&nbsp;...<\\/div><div '
            'style=\\"color: rgb(54, 59, 66); margin: 0px; padding: '
            '0px;\\"><br \\/><\\/div><div style=\\"color: rgb(54, 59, '
            '66); margin: 0px; padding: 0px;\\"><b><span style=\\"color: '
            "rgb(255, 0, "
            '0);\\">\\u4ee5\\u4fbf<\\/span><\\/b>&nbsp;...<\\/div><div '
            'style=\\"color: rgb(54, 59, 66); margin: 0px; padding: '
            '0px;\\"><br \\/><\\/div><div style=\\"margin: 0px; padding: '
            '0px;\\"><b><span '
            'style=\\"color:#363b42;\\">\\u3010<\\/span><span '
            'style=\\"color:#444444;\\">\\u9a8c\\u6536\\u6807\\u51c6<\\/span><span '
            'style=\\"color:#363b42;\\">\\u3011<\\/span><\\/b><\\/div><div '
            'style=\\"color: rgb(54, 59, 66); margin: 0px; padding: '
            '0px;\\"><br \\/><\\/div><div style=\\"color: rgb(54, 59, '
            '66); margin: 0px; padding: 0px;\\">1\\u3001<\\/div><div '
            'style=\\"color: rgb(54, 59, 66); margin: 0px; padding: '
            '0px;\\">2\\u3001<\\/div><div style=\\"color: rgb(54, 59, '
            "66); margin: 0px; padding: "
            '0px;\\">3\\u3001<\\/div><\\/div><\\/div>"},{"field":"creator","value_before":"","value_after":"TAPD"},{"field":"created","value_before":"","value_after":"2022-05-30 '
            '00:00:40"},{"field":"modified","value_before":"","value_after":"2022-05-30 '
            '00:00:40"},{"field":"priority","value_before":"","value_after":4},{"field":"begin","value_before":"","value_after":"2022-05-30"},{"field":"due","value_before":"","value_after":"2022-06-10"},{"field":"iteration_id","value_before":"","value_after":"\\u8fed\\u4ee31"},{"field":"release_id","value_before":"","value_after":"1111112222001000185"},{"field":"completed","value_before":"","value_after":"2022-05-30 '
            '11:00:00"},{"field":"size","value_before":"","value_after":2},{"field":"category_id","value_before":"","value_after":"1111112222001000666"},{"field":"id","value_before":"","value_after":"1111112222001032850"}]',
            "entity_type": "Story",
            "change_type": "create_story",
            "updated": "2024-09-07 23:38:36",
            "change_type_text": "需求创建",
            "field_changes": [
                {
                    "field": "name",
                    "value_before": "",
                    "value_after": "需求3",
                    "value_before_parsed": "--",
                    "value_after_parsed": "需求3",
                    "field_label": "标题",
                },
                {
                    "field": "description",
                    "value_before": "",
                    "value_after": '<div><b><span style="color: rgb(68, '
                    '68, 68);">【用户故事（User '
                    "Story）】</span><br/></b></div><b "
                    'style=" color: rgb(54, 59, 66) ; ; ; '
                    '; ; ; ; ; ; ; ; ;"><span '
                    'style="color: rgb(255, 0, '
                    '0);"><div><b style="color: rgb(54, '
                    '59, 66);"><span style="color: '
                    "rgb(255, 0, "
                    '0);"><br/></span></b></div>作为</span></b><span '
                    'style=" color: rgb(54, 59, 66) ; ; ; '
                    "; ; ; ; ; ; ; ; "
                    ';">&nbsp;...</span><div style=" '
                    "margin: 0px; padding: 0px ; ; ; ; ; ; "
                    '; ; ; ; ; ;"><span '
                    'style="color:#363b42;">&nbsp;</span><div '
                    'style="margin: 0px; padding: '
                    '0px;"><div style="color: rgb(54, 59, '
                    "66); margin: 0px; padding: "
                    '0px;"><b><span style="color: rgb(255, '
                    "0, "
                    '0);">我希望</span></b>&nbsp;...</div><div '
                    'style="color: rgb(54, 59, 66); '
                    'margin: 0px; padding: 0px;"><br '
                    '/></div><div style="color: rgb(54, '
                    "59, 66); margin: 0px; padding: "
                    '0px;"><b><span style="color: rgb(255, '
                    "0, "
                    '0);">以便</span></b>&nbsp;...</div><div '
                    'style="color: rgb(54, 59, 66); '
                    'margin: 0px; padding: 0px;"><br '
                    '/></div><div style="margin: 0px; '
                    'padding: 0px;"><b><span '
                    'style="color:#363b42;">【</span><span '
                    'style="color:#444444;">验收标准</span><span '
                    'style="color:#363b42;">】</span></b></div><div '
                    'style="color: rgb(54, 59, 66); '
                    'margin: 0px; padding: 0px;"><br '
                    '/></div><div style="color: rgb(54, '
                    "59, 66); margin: 0px; padding: "
                    '0px;">1、</div><div style="color: '
                    "rgb(54, 59, 66); margin: 0px; "
                    'padding: 0px;">2、</div><div '
                    'style="color: rgb(54, 59, 66); '
                    "margin: 0px; padding: "
                    '0px;">3、</div></div></div>',
                    "value_before_parsed": "--",
                    "value_after_parsed": "查看详细",
                    "field_label": "详细描述",
                },
                {
                    "field": "creator",
                    "value_before": "",
                    "value_after": "TAPD",
                    "value_before_parsed": "--",
                    "value_after_parsed": "TAPD",
                    "field_label": "创建人",
                },
                {
                    "field": "created",
                    "value_before": "",
                    "value_after": "2022-05-30 00:00:40",
                    "value_before_parsed": "--",
                    "value_after_parsed": "2022-05-30 00:00:40",
                    "field_label": "创建时间",
                },
                {
                    "field": "modified",
                    "value_before": "",
                    "value_after": "2022-05-30 00:00:40",
                    "value_before_parsed": "--",
                    "value_after_parsed": "2022-05-30 00:00:40",
                    "field_label": "最后修改时间",
                },
                {
                    "field": "priority",
                    "value_before": "",
                    "value_after": 4,
                    "value_before_parsed": "--",
                    "value_after_parsed": "High",
                    "field_label": "优先级",
                },
                {
                    "field": "begin",
                    "value_before": "",
                    "value_after": "2022-05-30",
                    "value_before_parsed": "--",
                    "value_after_parsed": "2022-05-30",
                    "field_label": "预计开始",
                },
                {
                    "field": "due",
                    "value_before": "",
                    "value_after": "2022-06-10",
                    "value_before_parsed": "--",
                    "value_after_parsed": "2022-06-10",
                    "field_label": "预计结束",
                },
                {
                    "field": "iteration_id",
                    "value_before": "",
                    "value_after": "1111112222001001245",
                    "value_before_parsed": "--",
                    "value_after_parsed": "迭代1",
                    "field_label": "迭代",
                },
                {
                    "field": "release_id",
                    "value_before": "",
                    "value_after": "1111112222001000185",
                    "value_before_parsed": "--",
                    "value_after_parsed": "发布计划1",
                    "field_label": "发布计划",
                },
                {
                    "field": "completed",
                    "value_before": "",
                    "value_after": "2022-05-30 11:00:00",
                    "value_before_parsed": "--",
                    "value_after_parsed": "2022-05-30 11:00:00",
                    "field_label": "完成时间",
                },
                {
                    "field": "size",
                    "value_before": "",
                    "value_after": 2,
                    "value_before_parsed": "--",
                    "value_after_parsed": "2",
                    "field_label": "规模",
                },
                {
                    "field": "category_id",
                    "value_before": "",
                    "value_after": "1111112222001000666",
                    "value_before_parsed": "--",
                    "value_after_parsed": "新功能",
                    "field_label": "分类",
                },
                {
                    "field": "id",
                    "value_before": "",
                    "value_after": "1111112222001032850",
                    "value_before_parsed": "--",
                    "value_after_parsed": "1111112222001032850",
                    "field_label": "ID",
                },
            ],
            "story_id": "1111112222001032850",
        }
    },
    {
        "WorkitemChange": {
            "id": "1111112222001900157",
            "workspace_id": "11112222",
            "app_id": "1",
            "workitem_type_id": "0",
            "creator": "Creator Author",
            "created": "2024-08-21 19:15:40",
            "change_summary": None,
            "comment": None,
            "changes": '[{"field":"related_bug","value_before":"","value_after":"1111112222001037077"},{"field":"tapd_request_id","value_before":"","value_after":"a116c37fd6ff39318eb3387fe1d25e45"}]',
            "entity_type": "Story",
            "change_type": "link_create",
            "updated": "2024-09-07 23:38:36",
            "change_type_text": "创建关联",
            "field_changes": [
                {
                    "field": "related_bug",
                    "value_before": "",
                    "value_after": "1111112222001037077",
                    "value_before_parsed": "--",
                    "value_after_parsed": "1111112222001037077",
                    "field_label": "关联缺陷",
                },
                {
                    "field": "tapd_request_id",
                    "value_before": "",
                    "value_after": "a116c37fd6ff39318eb3387fe1d25e45",
                    "value_before_parsed": "--",
                    "value_after_parsed": "a116c37fd6ff39318eb3387fe1d25e45",
                    "field_label": "tapd_request_id",
                },
            ],
            "story_id": "1111112222001032850",
        }
    },
]

GET_STORY_CUSTOM_FIELDS_SETTINGS: Any = [
    {
        "CustomFieldConfig": {
            "id": "1111112222001000155",
            "workspace_id": "11112222",
            "app_id": "1",
            "entry_type": "story",
            "custom_field": "custom_field_100",
            "type": "user_chooser",
            "name": "test name",
            "options": None,
            "extra_config": None,
            "enabled": "1",
            "freeze": "0",
            "sort": None,
            "memo": None,
            "open_extension_id": "",
            "is_out": 0,
            "is_uninstall": 0,
            "app_name": "",
        }
    },
    {
        "CustomFieldConfig": {
            "id": "1111112222001000156",
            "workspace_id": "11112222",
            "app_id": "1",
            "entry_type": "story",
            "custom_field": "custom_field_99",
            "type": "text",
            "name": "link",
            "options": None,
            "extra_config": None,
            "enabled": "1",
            "freeze": "0",
            "sort": None,
            "memo": None,
            "open_extension_id": "",
            "is_out": 0,
            "is_uninstall": 0,
            "app_name": "",
        }
    },
]

GET_STORY_FIELDS_INFO: Any = {
    "id": {
        "name": "id",
        "options": [],
        "html_type": "input",
        "label": "ID",
        "pure_options": [],
        "readonly": 0,
    },
    "status": {
        "name": "status",
        "options": {
            "planning": "规划中",
            "developing": "实现中",
            "resolved": "已实现",
            "rejected": "已拒绝",
        },
        "html_type": "select",
        "label": "状态",
        "pure_options": [],
        "readonly": 0,
    },
    "iteration_id": {
        "name": "iteration_id",
        "options": {"1111112222001001246": "迭代2"},
        "html_type": "select",
        "label": "迭代",
        "pure_options": [
            {
                "parent_id": "0",
                "workspace_id": "11112222",
                "sort": "100124600000",
                "workitem_type_id": "1111112222001000001",
                "plan_app_id": "0",
                "value": "1111112222001001246",
                "label": "迭代2",
                "panel": 0,
            }
        ],
        "readonly": 0,
    },
    "owner": {
        "name": "owner",
        "options": [],
        "html_type": "single_user_chooser",
        "label": "处理人",
        "pure_options": [],
        "readonly": 0,
        "user_options": [{"value": "zhangsan", "label": "张三"}],
    },
    "custom_field_17": {
        "name": "custom_field_17",
        "options": [
            {
                "name": "a1",
                "children": [{"name": "a11"}, {"name": "a12", "children": [{"name": "a123"}]}],
            }
        ],
        "html_type": "cascade",
        "label": "级联字段",
        "pure_options": [],
        "readonly": 0,
        "memo": "复杂候选值保留在 RawOptions",
    },
}

GET_TASKS: Any = [
    {
        "Task": {
            "id": "1111112222001048647",
            "name": "task name 1",
            "description": "",
            "workspace_id": "11112222",
            "creator": "creator",
            "created": "2024-01-11 19:12:03",
            "modified": "2024-03-04 19:02:33",
            "status": "done",
            "owner": "owner;",
            "cc": "",
            "begin": None,
            "due": None,
            "story_id": "1111112222001047639",
            "iteration_id": "1111112222001001779",
            "priority": "4",
            "progress": "100",
            "completed": "2024-01-26 14:21:34",
            "effort_completed": "4",
            "exceed": "4",
            "remain": "0",
            "effort": "0",
            "has_attachment": "0",
            "release_id": "0",
            "label": "",
            "custom_field_one": "",
            "custom_field_two": "",
            "custom_field_three": "",
            "custom_field_four": "",
            "custom_field_eight": "202402290129",
            "custom_plan_field_1": "0",
            "custom_plan_field_2": "0",
            "custom_plan_field_3": "0",
            "custom_plan_field_4": "0",
            "custom_plan_field_5": "0",
            "custom_plan_field_6": "0",
            "custom_plan_field_7": "0",
            "custom_plan_field_8": "0",
            "custom_plan_field_9": "0",
            "custom_plan_field_10": "0",
            "priority_label": "High",
        }
    },
    {
        "Task": {
            "id": "1111112222001029006",
            "name": "task name 2",
            "description": "",
            "workspace_id": "11112222",
            "creator": "creator",
            "created": "2021-12-29 15:10:00",
            "modified": "2022-01-11 19:10:31",
            "status": "done",
            "owner": "owner;",
            "cc": "",
            "begin": None,
            "due": None,
            "story_id": "1111112222001028914",
            "iteration_id": "1111112222001001076",
            "priority": "4",
            "progress": "0",
            "completed": "2022-01-04 18:48:14",
            "effort_completed": "0",
            "exceed": "0",
            "remain": "0",
            "effort": "0",
            "has_attachment": "0",
            "release_id": "0",
            "label": "",
            "custom_field_one": "",
            "custom_field_two": "",
            "custom_field_three": "",
            "custom_field_four": "",
            "custom_field_eight": "202201110093",
            "custom_plan_field_1": "0",
            "custom_plan_field_2": "0",
            "custom_plan_field_3": "0",
            "custom_plan_field_4": "0",
            "custom_plan_field_5": "0",
            "custom_plan_field_6": "0",
            "custom_plan_field_7": "0",
            "custom_plan_field_8": "0",
            "custom_plan_field_9": "0",
            "custom_plan_field_10": "0",
            "priority_label": "High",
        }
    },
]

GET_TEST_CASES: Any = [
    {
        "Tcase": {
            "id": "1120003271001000049",
            "steps": None,
            "workspace_id": "10158231",
            "category_id": "-1",
            "created": "2019-06-26 16:42:59",
            "modifier": "api_doc_oauth",
            "modified": "2019-06-26 16:43:00",
            "creator": "",
            "status": "abandon",
            "name": "",
            "precondition": None,
            "expectation": None,
            "type": "",
            "priority": "",
        }
    },
    {
        "Tcase": {
            "id": "1010158231077224799",
            "steps": "第一二三步",
            "workspace_id": "10158231",
            "category_id": "-1",
            "created": "2019-06-26 16:42:59",
            "modifier": "tapd",
            "modified": "2019-06-26 16:42:59",
            "creator": "tapd",
            "status": "normal",
            "name": "测试浏览器兼容性",
            "precondition": "打开浏览器",
            "expectation": "无样式错误",
            "type": "其它",
            "priority": "高",
        }
    },
]

GET_TIMESHEETS: Any = [
    {
        "Timesheet": {
            "id": "111111111",
            "entity_type": "story",
            "entity_id": "1134190502001057318",
            "timespent": "2",
            "spentdate": "2024-08-22",
            "owner": "1",
            "created": "2024-08-27 08:55:16",
            "modified": "2024-08-27 08:55:16",
            "workspace_id": "11112222",
            "memo": "1",
            "is_delete": "0",
        }
    },
    {
        "Timesheet": {
            "id": "1134190502001044766",
            "entity_type": "story",
            "entity_id": "1134190502001057318",
            "timespent": "2",
            "spentdate": "2024-08-23",
            "owner": "1",
            "created": "2024-08-27 08:53:35",
            "modified": "2024-08-27 08:53:35",
            "workspace_id": "11112222",
            "memo": "1",
            "is_delete": "0",
        }
    },
]

GET_WIKIS: Any = [
    {
        "Wiki": {
            "id": "1210104801000043827",
            "name": "test888",
            "workspace_id": "10104801",
            "description": "",
            "markdown_description": "",
            "is_rich": "0",
            "parent_wiki_id": "0",
            "note": "",
            "view_count": "0",
            "created": "2020-08-25 11:24:44",
            "creator": "dev",
            "modified": "2020-08-25 11:24:44",
            "modifier": "dev",
        }
    },
    {
        "Wiki": {
            "id": "1210104801000043823",
            "name": "test888",
            "workspace_id": "10104801",
            "description": "",
            "markdown_description": "wfwwf4",
            "is_rich": "0",
            "parent_wiki_id": "0",
            "note": "",
            "view_count": "4",
            "created": "2020-08-25 11:22:20",
            "creator": "dev",
            "modified": "2020-08-25 15:39:05",
            "modifier": "dev",
        }
    },
]

GET_ALL_LAST_STEPS: Any = {
    "1112222991001000013": {"status_2": "已上线", "rejected": "已拒绝", "status_3": "已验收"},
    "1112222991001000137": {"status_11": "已取消", "status_10": "已完成"},
}

GET_COMPANY_WORKSPACES: Any = [
    {
        "Workspace": {
            "id": "69999237",
            "name": "示例项目",
            "pretty_name": "示例项目",
            "category": "project",
            "status": "normal",
            "description": "示例项目描述",
            "creator": "davidning",
            "created": "2025-02-01 10:00:00",
            "begin_date": "2025-02-01",
            "end_date": "2025-05-31",
            "secrecy": "0",
            "external_on": "1",
            "new_task": "1",
            "company_id": "20003271",
            "WorkspaceExtends": {"flow_view": "scrum"},
        }
    },
    {
        "Workspace": {
            "id": "69999238",
            "name": "示例轻项目",
            "pretty_name": "示例轻项目",
            "category": "mini_project",
            "status": "normal",
            "description": "示例轻项目描述",
            "creator": "davidning",
            "created": "2025-02-02 10:00:00",
            "company_id": "20003271",
            "WorkspaceExtends": {},
        }
    },
]

GET_WORKSPACE_INFO: Any = {
    "Workspace": {
        "id": "1112222",
        "name": "T8",
        "pretty_name": "1112222",
        "category": "project",
        "status": "normal",
        "description": "描述信息",
        "product_type": None,
        "platform_type": None,
        "is_self_development": None,
        "objective": "",
        "begin_date": None,
        "end_date": None,
        "secrecy": "0",
        "external_on": "1",
        "creator": "张三",
        "created": "2018-06-29 15:01:33",
        "schedule": None,
        "milestone": None,
        "risk": None,
        "closed": None,
        "new_task": "0",
        "company_id": " 11122",
    }
}

USERS_LIST: Any = [
    {
        "UserWorkspace": {
            "user": "davidning",
            "user_id": "123456",
            "role_id": ["1000000000000000010", "1000000000000000015"],
            "name": "David",
            "email": "david@example.com",
            "join_project_time": None,
            "real_join_time": "2025-04-17",
            "status": "1",
            "allocation": "100",
            "leave_project_time": None,
        }
    }
]
