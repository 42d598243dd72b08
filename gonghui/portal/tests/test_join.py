from datetime import date

import pytest
from django.test import Client

from gonghui import idcard
from gonghui.members.models import Application, ApplicationState
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = idcard.make("330206", date(1990, 1, 2), 5, "F")


@pytest.fixture
def union():
    union = UnionFactory(code="yangguang", name="阳光小学工会")
    DepartmentFactory(union=union, name="教务处")
    return union


def _form(union, **over):
    data = {
        "name": "陈静",
        "id_number": ID_NUMBER,
        "phone": "13912345678",
        "department": union.department_set.get(name="教务处").pk,
        "consent": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, union, **over):
    return client.post(f"/join/{union.code}/", _form(union, **over))


def test_the_join_form_lists_only_this_unions_departments(client, union):
    DepartmentFactory(name="别家工会的财务科")
    page = client.get("/join/yangguang/").content.decode()
    assert "阳光小学工会" in page
    assert "教务处" in page
    assert "别家工会的财务科" not in page
    assert "个人信息使用说明" in page


def test_an_unknown_union_code_is_not_found(client):
    assert client.get("/join/no-such-union/").status_code == 404
    assert client.post("/join/no-such-union/", {}).status_code == 404


def test_a_complete_application_is_filed_as_pending_and_says_awaiting_review(client, union):
    response = _post(client, union)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.union == union
    assert application.name == "陈静"
    assert application.id_number == ID_NUMBER
    assert application.state == ApplicationState.PENDING
    assert application.department.name == "教务处"
    done = client.get(response["Location"]).content.decode()
    assert "等待审核" in done


@pytest.mark.parametrize(
    ("over", "field_message"),
    [
        ({"name": ""}, "请填写姓名"),
        ({"name": "张" * 41}, "姓名不能超过40个字"),
        ({"id_number": ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")}, "校验位错误"),
        ({"id_number": ID_NUMBER[:17]}, "身份证号应为18位，实际为17位"),
        ({"id_number": "1" * 10_000}, "身份证号应为18位"),
        ({"phone": "1391234567"}, "手机号码格式不正确"),
        ({"phone": "9" * 5_000}, "手机号码格式不正确"),
        ({"consent": None}, "请阅读并同意个人信息使用说明"),
        ({"department": None}, "请选择部门"),
        ({"department": "not-a-number"}, "所选部门不在本工会的部门列表中"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message_and_nothing_written(
    client, union, over, field_message
):
    response = _post(client, union, **over)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Application.objects.exists()


def test_a_department_of_another_union_is_refused(client, union):
    elsewhere = DepartmentFactory(name="别家工会的财务科")
    response = _post(client, union, department=elsewhere.pk)
    page = response.content.decode()
    assert "所选部门不在本工会的部门列表中" in page
    assert "别家工会的财务科" not in page
    assert not Application.objects.exists()


def test_markup_in_the_name_is_refused_and_shown_escaped(client, union):
    response = _post(client, union, name="<script>alert(1)</script>")
    page = response.content.decode()
    assert "姓名只能包含文字" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert not Application.objects.exists()


def test_a_name_with_the_middle_dot_of_minority_names_is_accepted(client, union):
    assert _post(client, union, name="阿依古丽·买买提").status_code == 302
    assert Application.objects.get().name == "阿依古丽·买买提"


def test_an_existing_member_gets_the_same_answer_as_a_new_applicant_and_nothing_is_written(
    client, union
):
    MemberFactory(union=union, id_number=ID_NUMBER)
    response = _post(client, union)
    assert response.status_code == 302
    assert response["Location"] == "/join/yangguang/done/"
    assert not Application.objects.exists()


def test_a_second_application_with_a_pending_id_number_is_not_filed_twice(client, union):
    _post(client, union)
    response = _post(client, union, name="陈晶", phone="13600001111")
    assert response["Location"] == "/join/yangguang/done/"
    assert Application.objects.get().name == "陈静"


def test_a_known_id_number_is_never_revealed_beside_other_errors(client, union):
    stranger = _post(client, union, consent=None).context["form"].errors
    MemberFactory(union=union, id_number=ID_NUMBER)
    known = _post(client, union, consent=None).context["form"].errors
    assert known == stranger == {"consent": ["请阅读并同意个人信息使用说明"]}


def test_an_id_number_known_in_another_union_does_not_block_joining_this_one(client, union):
    MemberFactory(id_number=ID_NUMBER)
    assert _post(client, union).status_code == 302
    assert Application.objects.filter(union=union).count() == 1


def test_too_many_posts_from_one_address_in_an_hour_are_refused(client, union, settings):
    settings.PORTAL_JOIN_POSTS_PER_HOUR = 2
    _post(client, union, name="")
    _post(client, union, name="")
    response = _post(client, union)
    assert response.status_code == 429
    assert "请1小时后再试" in response.content.decode()
    assert not Application.objects.exists()


def test_the_join_form_refuses_a_post_without_csrf_token(union):
    response = Client(enforce_csrf_checks=True).post("/join/yangguang/", _form(union))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_union_without_departments_takes_applications_without_one(client):
    UnionFactory(code="xinjian")
    page = client.get("/join/xinjian/").content.decode()
    assert "请选择部门" not in page
    response = client.post(
        "/join/xinjian/",
        {"name": "陈静", "id_number": ID_NUMBER, "phone": "13912345678", "consent": "on"},
    )
    assert response.status_code == 302
    assert Application.objects.get().department is None
