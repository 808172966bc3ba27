"""Every TAPD example payload structured without loss, and each quirk of TAPD.md §5.

The examples are ``tests/tapd_examples.py`` (re-expressed from real responses).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest

from tca_tapd._convert import CHINA_TZ, Model, Structurer
from tca_tapd.errors import StructureError
from tca_tapd.tapd import (
    Attachment,
    Bug,
    BugChange,
    Comment,
    CustomFieldConfig,
    FieldInfo,
    Iteration,
    LaunchForm,
    Member,
    Release,
    Story,
    Task,
    TestCase,
    Timesheet,
    Wiki,
    WorkitemChange,
    Workspace,
)
from tca_tapd.tapd._types import tapd_converter, unescape_unicode

from . import tapd_examples as ex

TAPD = Structurer.from_factory(tapd_converter)

WRAPPED: list[tuple[str, Any, type[Model]]] = [
    ("Attachment", ex.GET_ATTACHMENTS, Attachment),
    ("BugChange", ex.GET_BUG_CHANGES, BugChange),
    ("Bug", ex.GET_BUGS, Bug),
    ("Comment", ex.GET_COMMENTS, Comment),
    ("Iteration", ex.GET_ITERATIONS, Iteration),
    ("LaunchForm", ex.GET_LAUNCH_FORMS, LaunchForm),
    ("Release", ex.GET_RELEASES, Release),
    ("Story", [ex.COPY_STORY], Story),
    ("WorkitemChange", ex.GET_STORY_CHANGES, WorkitemChange),
    ("CustomFieldConfig", ex.GET_STORY_CUSTOM_FIELDS_SETTINGS, CustomFieldConfig),
    ("Task", ex.GET_TASKS, Task),
    ("Tcase", ex.GET_TEST_CASES, TestCase),
    ("Timesheet", ex.GET_TIMESHEETS, Timesheet),
    ("Wiki", ex.GET_WIKIS, Wiki),
    ("Workspace", ex.GET_COMPANY_WORKSPACES, Workspace),
    ("Workspace", [ex.GET_WORKSPACE_INFO], Workspace),
    ("UserWorkspace", ex.USERS_LIST, Member),
]


@pytest.mark.parametrize(("wrapper", "items", "model"), WRAPPED, ids=[w[0] for w in WRAPPED])
def test_every_example_structures_without_loss(
    wrapper: str, items: list[dict[str, Any]], model: type[Model]
) -> None:
    payloads = [item[wrapper] for item in items]
    structured = TAPD.many(payloads, model)
    names = {a.name for a in model.__attrs_attrs__}  # type: ignore[attr-defined]
    for obj, payload in zip(structured, payloads, strict=True):
        assert obj.raw == payload  # everything stays reachable
        for key, value in payload.items():
            if key.startswith(("custom_field_", "custom_plan_field_")) and key != "custom_field":
                assert obj.custom_fields[key] == value  # type: ignore[attr-defined]
            elif key in names:
                got = getattr(obj, key)
                if value in (None, "") or isinstance(value, (dict, list)):
                    continue
                # A named field holds the value, converted: compare as text.
                text = got.strftime("%Y-%m-%d %H:%M:%S") if isinstance(got, datetime) else got
                text = (
                    got.isoformat()
                    if isinstance(got, date) and not isinstance(got, datetime)
                    else text
                )
                if isinstance(got, bool):
                    assert got == (str(value).strip() in ("1", "true"))
                elif isinstance(got, float):
                    assert got == float(value)
                elif got and isinstance(got, tuple) and isinstance(got[0], Model):
                    assert len(got) == len(json.loads(value))  # decoded change records
                elif isinstance(got, tuple):
                    assert "|".join(got) in str(value) or got == ()
                elif got is None:
                    assert str(value).strip() in ("0", "-1"), (key, value)
                else:
                    assert str(text) == str(value).strip(), (key, value)


def test_bug_example_fields() -> None:
    bug = TAPD.one(ex.GET_BUGS[0]["Bug"], Bug)
    assert bug.title == "计算不正确"
    assert bug.description == "<strong>前置条件</div><br  />"  # HTML untouched, even broken
    assert bug.de == "张三;"
    assert (bug.developers, bug.testers, bug.participators) == (("张三",), ("张三",), ("张三",))
    assert bug.current_owners == ()
    assert bug.flows == ("new", "in_progress", "resolved", "verified", "closed")
    assert bug.custom_fields["custom_field_7"] == "field"
    assert bug.created == datetime(2018, 7, 26, 17, 20, 2, tzinfo=CHINA_TZ)
    assert bug.iteration_id is None
    assert bug.story_id is None
    assert bug.people("participator") == ("张三",)


def test_task_iteration_release_examples() -> None:
    task = TAPD.one(ex.GET_TASKS[0]["Task"], Task)
    assert task.owners == ("owner",)
    assert (task.progress, task.effort_completed, task.has_attachment) == (100, 4.0, False)
    assert task.custom_fields["custom_field_eight"] == "202402290129"
    assert task.custom_fields["custom_plan_field_1"] == "0"
    iteration = TAPD.one(ex.GET_ITERATIONS[0]["Iteration"], Iteration)
    assert (iteration.startdate, iteration.enddate) == (date(2025, 1, 1), date(2025, 1, 31))
    assert iteration.parent_id is None
    assert iteration.plan_app_id is None
    assert iteration.custom_fields["custom_field_1"] is None
    release = TAPD.one(ex.GET_RELEASES[0]["Release"], Release)
    assert release.name == "发布计划1"


def test_launch_form_example() -> None:
    form = TAPD.one(ex.GET_LAUNCH_FORMS[0]["LaunchForm"], LaunchForm)
    assert (form.id, form.name, form.workspace_id) == (
        "1010104801079697767",
        "202101150008",
        10104801,
    )
    assert form.created == datetime(2021, 1, 15, 19, 47, 37, tzinfo=CHINA_TZ)
    assert (form.status, form.flows) == (
        "LAUNCHFORM_STATUS_INITIAL",
        ("LAUNCHFORM_STATUS_INITIAL",),
    )
    assert (form.release_type, form.template_id) == ("正常发布", "1010104801065798331")
    assert form.participator == ";v_xuanfang;"
    assert form.participators == ("v_xuanfang",)
    assert (form.iteration_id, form.release_id, form.title, form.ccs) == (None, None, None, ())
    assert form.custom_fields == {}


def test_workspace_and_member_examples() -> None:
    info = TAPD.one(ex.GET_WORKSPACE_INFO["Workspace"], Workspace)
    assert info.company_id == 11122  # sent as " 11122"
    assert info.external_on is True
    assert info.secrecy is False
    projects = TAPD.many([w["Workspace"] for w in ex.GET_COMPANY_WORKSPACES], Workspace)
    assert projects[0].WorkspaceExtends == {"flow_view": "scrum"}
    assert projects[1].WorkspaceExtends == {}
    member = TAPD.one(ex.USERS_LIST[0]["UserWorkspace"], Member)
    assert member.role_id == ("1000000000000000010", "1000000000000000015")
    assert member.real_join_time == date(2025, 4, 17)
    assert member.allocation == 100


def test_fields_info_example() -> None:
    infos = {k: TAPD.one({"name": k, **v}, FieldInfo) for k, v in ex.GET_STORY_FIELDS_INFO.items()}
    assert infos["id"].options == {}  # sent as []
    assert infos["status"].options["planning"] == "规划中"
    assert infos["iteration_id"].pure_options[0]["label"] == "迭代2"
    assert infos["owner"].user_options[0]["value"] == "zhangsan"
    assert infos["custom_field_17"].options == {}
    assert infos["custom_field_17"].option_tree[0]["name"] == "a1"
    assert infos["id"].readonly is False


def test_story_change_example_decodes_changes() -> None:
    first, second = TAPD.many([c["WorkitemChange"] for c in ex.GET_STORY_CHANGES], WorkitemChange)
    assert first.changes[0].field == "name"
    assert first.changes[0].value_after == "需求3"  # from "\\u9700\\u6c423" inside JSON
    assert first.field_changes[0].field_label == "标题"
    priority = next(c for c in first.field_changes if c.field == "priority")
    assert priority.value_after == 4  # numbers stay numbers
    assert "<div>" in next(c for c in first.changes if c.field == "description").value_after
    assert [c.field for c in second.changes] == ["related_bug", "tapd_request_id"]
    assert second.story_id == "1111112222001032850"
    assert first.workitem_type_id is None


def test_custom_field_settings_and_examples_without_models() -> None:
    config = TAPD.one(
        ex.GET_STORY_CUSTOM_FIELDS_SETTINGS[0]["CustomFieldConfig"], CustomFieldConfig
    )
    assert (config.custom_field, config.type, config.is_out, config.options) == (
        "custom_field_100", "user_chooser", False, None,
    )  # fmt: skip
    assert ex.LOCK_ITERATION.startswith("lock ")
    assert set(ex.GET_ALL_LAST_STEPS["1112222991001000013"]) == {"status_2", "rejected", "status_3"}


# -- the quirk table (TAPD.md §5), one test each ---------------------------------------


def test_quirk_ids_and_numbers_as_strings_or_ints() -> None:
    a = TAPD.one({"id": 1010104801124922063, "workspace_id": "10104801", "level": 0,
                  "business_value": "5", "progress": "0"}, Story)  # fmt: skip
    b = TAPD.one({"id": "1010104801124922063", "workspace_id": 10104801, "level": "0",
                  "business_value": 5, "progress": 0}, Story)  # fmt: skip
    assert a == b
    assert a.id == "1010104801124922063"  # 19 digits, exact
    assert (a.workspace_id, a.level, a.business_value) == (10104801, 0, 5)


@pytest.mark.parametrize("empty", ["", None, "0000-00-00", "0000-00-00 00:00:00"])
def test_quirk_every_spelling_of_empty(empty: Any) -> None:
    story = TAPD.one({"id": "1", "completed": empty, "begin": empty, "effort": empty,
                      "level": empty, "is_archived": empty}, Story)  # fmt: skip
    assert (story.completed, story.begin, story.effort, story.level) == (None, None, None, None)
    if empty in ("", None):  # a text field keeps "" (and null is None): no people either way
        assert TAPD.one({"id": "1", "owner": empty}, Story).owners == ()


@pytest.mark.parametrize(
    ("key", "value"),
    [("iteration_id", "0"), ("parent_id", "0"), ("release_id", "0"), ("category_id", "-1"),
     ("iteration_id", 0), ("category_id", -1), ("release_id", None), ("iteration_id", "")],
)  # fmt: skip
def test_quirk_not_linked_ids_are_none(key: str, value: Any) -> None:
    story = TAPD.one({"id": "1", key: value}, Story)
    assert getattr(story, key) is None
    linked = TAPD.one({"id": "1", key: "1010104801000022091"}, Story)
    assert getattr(linked, key) == "1010104801000022091"


def test_quirk_zone_less_datetimes_are_shanghai() -> None:
    story = TAPD.one({"id": "1", "created": "2025-06-16 14:42:59", "begin": "2025-07-01"}, Story)
    assert story.created == datetime(2025, 6, 16, 14, 42, 59, tzinfo=CHINA_TZ)
    assert story.created is not None
    assert story.created.utcoffset() is not None
    assert story.begin == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("|", ()), ("", ()), (None, ()), ("11|22", ("11", "22")), ("|33|", ("33",))],
)
def test_quirk_children_id_pipe(value: Any, expected: tuple[str, ...]) -> None:
    assert TAPD.one({"id": "1", "children_id": value}, Story).children_id == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [([], {}), ({}, {}), (None, {}), ({"a": "A", "1": 2}, {"a": "A", "1": "2"})],
)
def test_quirk_options_list_or_object(options: Any, expected: dict[str, str]) -> None:
    assert TAPD.one({"name": "f", "options": options}, FieldInfo).options == expected


def test_quirk_options_of_unknown_shape_fail_clearly() -> None:
    with pytest.raises(StructureError) as info:
        TAPD.one({"name": "f", "options": "nonsense"}, FieldInfo)
    assert info.value.path == "$.options"


def test_quirk_html_descriptions_untouched() -> None:
    html = '<div><b style=" color: rgb(54, 59, 66) ; ;">&nbsp;…</b><br  /></div>\\u4f5c'
    assert TAPD.one({"id": "1", "description": html}, Story).description == html
    assert TAPD.one({"id": "1", "description": html}, Bug).description == html


def test_quirk_unicode_escapes_in_change_values() -> None:
    change = TAPD.one(
        {"id": "1", "changes": '[{"field":"name","value_before":"\\\\u9700","value_after":"x"}]'},
        WorkitemChange,
    )
    assert change.changes[0].value_before == "需"  # the escape was text inside the JSON
    bug_change = TAPD.one({"id": "1", "old_value": "\\u4e25\\u91cd", "new_value": 3}, BugChange)
    assert (bug_change.old_value, bug_change.new_value) == ("严重", "3")
    assert unescape_unicode("\\ud83d\\ude00 ok") == "😀 ok"
    assert unescape_unicode("C:\\users") == "C:\\users"


def test_quirk_changes_string_empty_or_bad() -> None:
    assert TAPD.one({"id": "1", "changes": ""}, WorkitemChange).changes == ()
    assert TAPD.one({"id": "1", "changes": None}, WorkitemChange).changes == ()
    with pytest.raises(StructureError):
        TAPD.one({"id": "1", "changes": '{"not": "a list"}'}, WorkitemChange)


def test_quirk_people_fields_with_stray_separators() -> None:
    bug = TAPD.one({"id": "1", "de": "张三;", "te": "a,b;", "participator": ";张三",
                    "current_owner": ";;"}, Bug)  # fmt: skip
    assert (bug.developers, bug.testers, bug.participators) == (("张三",), ("a", "b"), ("张三",))
    assert bug.current_owners == ()
    assert bug.de == "张三;"  # the raw string stays beside the tuple


def test_quirk_custom_fields_gathered_not_attributes() -> None:
    payload = {"id": "1", **{f"custom_field_{i}": str(i) for i in range(1, 151)},
               "custom_plan_field_3": "0", "custom_field_one": ""}  # fmt: skip
    bug = TAPD.one(payload, Bug)
    assert len(bug.custom_fields) == 152
    assert not hasattr(bug, "custom_field_7")
    assert bug.custom_fields["custom_field_150"] == "150"


@pytest.mark.parametrize(("wrapper", "items", "model"), WRAPPED, ids=[w[0] for w in WRAPPED])
def test_the_generated_fast_path_agrees_with_cattrs_on_every_example(
    wrapper: str, items: list[dict[str, Any]], model: type[Model]
) -> None:
    # Clients structure with generated functions (tca_tapd._codegen); cattrs' own
    # detailed functions must give equal models for every example payload.
    payloads = [item[wrapper] for item in items]
    detailed = Structurer(tapd_converter())
    assert TAPD.many(payloads, model) == detailed.many(payloads, model)
