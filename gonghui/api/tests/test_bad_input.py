"""No input, however wrong, gets a 500: every refusal is JSON naming the field in Chinese."""

from datetime import date

import pytest

from gonghui import idcard
from gonghui.api.tests.calls import call, token_for
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db

ID_NUMBER = idcard.make("330206", date(1985, 5, 6), 1, "M")
BAD_CHECK_DIGIT = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
SQL = "'; DROP TABLE members_member; --"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def setup():
    union = UnionFactory()
    member = MemberFactory(union=union, joined_on=date(2020, 1, 1))
    return union, member, token_for(user_with_role(union))


def _new(owner, **over):
    data = {"union": owner.id, "name": "张三", "id_number": ID_NUMBER, "joined_on": "2020-01-01"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


def _assert_refused(response, field, status=None, fragment=None):
    assert response.status_code != 500
    if status:
        assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    fields = [e["field"] for e in body["errors"]]
    assert field in fields, body
    message = next(e["message"] for e in body["errors"] if e["field"] == field)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    if fragment:
        assert fragment in message, message


CREATE_CASES = [
    ("bad check digit", {"id_number": BAD_CHECK_DIGIT}, "id_number", 400, "校验位错误"),
    ("short id number", {"id_number": "12345"}, "id_number", 400, "18位"),
    ("sql in id number", {"id_number": SQL}, "id_number", 422, "30"),
    ("missing name", {"name": ...}, "name", 422, "缺少必填字段"),
    ("missing joined_on", {"joined_on": ...}, "joined_on", 422, "入会日期"),
    ("blank name", {"name": "   "}, "name", 400, "姓名不能为空"),
    ("script in name", {"name": XSS[:40]}, "name", 400, "姓名只能包含"),
    ("sql in name", {"name": SQL[:40]}, "name", 400, "姓名只能包含"),
    ("name too long", {"name": "张" * 41}, "name", 422, "40"),
    ("oversized name", {"name": "x" * 100_000}, "name", 422, "40"),
    ("control characters", {"name": "张\x00三"}, "name", 422, "控制字符"),
    ("bell character", {"name": "张\x07三"}, "name", 422, "控制字符"),
    ("name as a number", {"name": 123}, "name", 422, "文本"),
    ("name as a list", {"name": ["张三"]}, "name", 422, "文本"),
    ("invalid gender", {"gender": "X"}, "gender", 422, "可选范围"),
    ("contradicting gender", {"gender": "F"}, "gender", 400, "不一致"),
    ("invalid date", {"joined_on": "2020-13-45"}, "joined_on", 422, "YYYY-MM-DD"),
    ("date as words", {"joined_on": "去年"}, "joined_on", 422, "日期"),
    ("year 0", {"joined_on": "0000-01-01"}, "joined_on", 422, "日期"),
    ("year 10000", {"joined_on": "10000-01-01"}, "joined_on", 422, "日期"),
    ("future date", {"joined_on": "9999-12-31"}, "joined_on", 400, "晚于今天"),
    ("before birth", {"joined_on": "1900-01-01"}, "joined_on", 400, "早于出生"),
    ("bad phone", {"phone": "12345"}, "phone", 400, "手机号码"),
    ("xss in phone", {"phone": XSS}, "phone", 400, "手机号码"),
    ("invalid education", {"education": "phd"}, "education", 400, "学历"),
    ("long employee number", {"employee_number": "9" * 31}, "employee_number", 422, "30"),
    ("long position", {"position": "长" * 61}, "position", 422, "60"),
    ("union as text", {"union": "甲"}, "union", 422, "整数"),
    ("union negative", {"union": -1}, "union", 422, "不能小于"),
    ("union huge", {"union": 10**30}, "union", 422, "不能大于"),
    ("group huge", {"group": 2**64}, "group", 422, "不能大于"),
    ("group missing", {"group": 987654}, "group", 400, "未找到"),
    ("department as text", {"department": SQL}, "department", 422, "整数"),
    ("unknown field", {"status": "retired"}, "status", 422, "不支持的字段"),
]


@pytest.mark.parametrize(
    "over, field, status, fragment",
    [case[1:] for case in CREATE_CASES],
    ids=[case[0] for case in CREATE_CASES],
)
def test_creating_a_member_with_bad_input_is_refused_naming_the_field(
    setup, over, field, status, fragment
):
    union, _, key = setup
    before = Member.objects.count()
    response = call("post", "members", key, _new(union, **over))
    _assert_refused(response, field, status, fragment)
    assert Member.objects.count() == before


def test_sql_and_script_in_free_text_are_stored_as_plain_text_and_returned_as_json(setup):
    union, _, key = setup
    position = (XSS + SQL)[:60]
    response = call("post", "members", key, _new(union, position=position))
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert Member.objects.get(pk=response.json()["id"]).position == position


def test_a_body_that_is_not_json_is_refused_in_chinese(setup):
    _, _, key = setup
    response = call("post", "members", key, raw="{name: 张三")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON"


def test_a_body_that_is_a_list_is_refused_in_chinese(setup):
    _, _, key = setup
    response = call("post", "members", key, raw="[1, 2]")
    assert response.status_code == 422
    assert "JSON 对象" in response.json()["detail"]


PATCH_CASES = [
    ("name null", {"name": None}, "name", 400, "姓名不能为空"),
    ("id number", {"id_number": BAD_CHECK_DIGIT}, "id_number", 400, "校验位"),
    ("ethnicity too long", {"ethnicity": "族" * 21}, "ethnicity", 422, "20"),
    ("joined after today", {"joined_on": "2999-01-01"}, "joined_on", 400, "晚于今天"),
    ("political status", {"political_status": XSS[:20]}, "political_status", 400, "政治面貌"),
]


@pytest.mark.parametrize(
    "data, field, status, fragment",
    [case[1:] for case in PATCH_CASES],
    ids=[case[0] for case in PATCH_CASES],
)
def test_patching_a_member_with_bad_input_changes_nothing(setup, data, field, status, fragment):
    _, member, key = setup
    response = call("patch", f"members/{member.id}", key, data)
    _assert_refused(response, field, status, fragment)
    fresh = Member.objects.get(pk=member.pk)
    assert (fresh.name, fresh.id_number, fresh.joined_on) == (
        member.name,
        member.id_number,
        member.joined_on,
    )


STATUS_CASES = [
    ("invalid status", {"to": "expelled", "on": "2024-01-01", "reason": "x"}, "to", 422),
    ("status sql", {"to": SQL, "on": "2024-01-01", "reason": "x"}, "to", 422),
    ("blank reason", {"to": "retired", "on": "2024-01-01", "reason": "  "}, "reason", 400),
    ("long reason", {"to": "retired", "on": "2024-01-01", "reason": "因" * 201}, "reason", 422),
    ("future date", {"to": "retired", "on": "2999-01-01", "reason": "退休"}, "on", 400),
    ("before joining", {"to": "retired", "on": "2019-12-31", "reason": "退休"}, "on", 400),
    ("date out of range", {"to": "retired", "on": "2024-02-30", "reason": "退休"}, "on", 422),
    ("missing date", {"to": "retired", "reason": "退休"}, "on", 422),
    ("control chars", {"to": "retired", "on": "2024-01-01", "reason": "退\x1b休"}, "reason", 422),
]


@pytest.mark.parametrize(
    "data, field, status",
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_a_bad_status_change_is_refused_and_leaves_the_member_as_is(setup, data, field, status):
    _, member, key = setup
    response = call("post", f"members/{member.id}/status", key, data)
    _assert_refused(response, field, status)
    assert Member.objects.get(pk=member.pk).status == "active"


LIST_CASES = [
    ("limit zero", {"limit": 0}, "limit", "不能小于"),
    ("limit too big", {"limit": 201}, "limit", "不能大于"),
    ("limit text", {"limit": "all"}, "limit", "整数"),
    ("status invalid", {"status": "ghost"}, "status", "可选范围"),
    ("gender invalid", {"gender": "x"}, "gender", "可选范围"),
    ("year too big", {"joined_year": 99999}, "joined_year", "不能大于"),
    ("year text", {"joined_year": "二〇二一"}, "joined_year", "整数"),
    ("union sql", {"union": SQL}, "union", "整数"),
    ("group huge", {"group": 10**25}, "group", "不能大于"),
    ("q too long", {"q": "张" * 101}, "q", "100"),
    ("q with NUL", {"q": "张\x00"}, "q", "控制字符"),
]


@pytest.mark.parametrize(
    "params, field, fragment",
    [case[1:] for case in LIST_CASES],
    ids=[case[0] for case in LIST_CASES],
)
def test_bad_list_filters_are_refused_naming_the_parameter(setup, params, field, fragment):
    _, _, key = setup
    _assert_refused(call("get", "members", key, params), field, 422, fragment)


@pytest.mark.parametrize(
    "cursor", ["abc", "%%%", "bXg", "bS0x", "bTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk", "x" * 40]
)
def test_a_malformed_cursor_is_refused_with_the_cursor_field(setup, cursor):
    _, _, key = setup
    _assert_refused(call("get", "members", key, {"cursor": cursor}), "cursor", 400, "游标")


@pytest.mark.parametrize("q", [SQL, XSS, "%", "_", "\\", "' OR 1=1 --", "🙂"])
def test_hostile_search_strings_find_nothing_and_do_not_fail(setup, q):
    _, _, key = setup
    response = call("get", "members", key, {"q": q})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "members/0",
        "members/-1",
        "members/abc",
        "members/99999999999999999999999",
        "members/1%00",
        "unions/0/groups",
        "unions/abc/departments",
        "unions/99999999999999999999/groups",
    ],
)
def test_malformed_ids_in_the_path_never_give_a_server_error(setup, path):
    _, _, key = setup
    response = call("get", path, key)
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] in ("member_id", "union_id")
