"""The roster import pages in the admin shell."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.members.models import ImportJob, Member
from gonghui.members.tests.test_import import a_row, roster_file
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def union():
    return UnionFactory()


@pytest.fixture
def chair_client(client, union):
    client.force_login(user_with_role(union, Role.CHAIR))
    return client


def upload(client, path, **options):
    with open(path, "rb") as f:
        return client.post(reverse("members:import"), {"file": f, **options}, follow=True)


def test_the_upload_page_offers_the_file_input_options_and_template(chair_client):
    page = chair_client.get(reverse("members:import")).content.decode()
    assert 'name="file"' in page and "校验并导入" in page
    assert "仅导入有效行" in page and "按身份证号更新已有会员" in page and "仅校验不写入" in page
    assert reverse("members:template") in page


def test_a_clean_upload_imports_and_says_so(chair_client, union, tmp_path):
    response = upload(chair_client, roster_file(tmp_path, [a_row(1), a_row(2)]))
    assert "成功导入2名会员" in response.content.decode()
    assert Member.objects.filter(union=union).count() == 2
    job = ImportJob.objects.get()
    assert (job.state, job.created_count, job.stored_path) == ("done", 2, "")


def test_an_upload_with_errors_shows_the_errors_table_and_writes_nothing(chair_client, tmp_path):
    response = upload(chair_client, roster_file(tmp_path, [a_row(1), a_row(2, 手机号码="123")]))
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert "手机号码格式不正确" in page and "E（手机号码）" in page
    assert "成功导入" not in page
    assert Member.objects.count() == 0


def test_the_error_file_marks_the_bad_cell(chair_client, tmp_path):
    upload(chair_client, roster_file(tmp_path, [a_row(1), a_row(2, 姓名="")]))
    job = ImportJob.objects.get()
    response = chair_client.get(reverse("members:import_errors_file", args=[job.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content))["会员名册"]
    assert ws["A3"].comment.text == "姓名不能为空"


def test_an_unreadable_upload_shows_the_reason(chair_client, tmp_path):
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.4 fake")
    page = upload(chair_client, path).content.decode()
    assert "这是PDF文件" in page


def test_a_file_over_the_limit_is_refused_by_the_form(chair_client, tmp_path, settings):
    settings.MEMBER_IMPORT_MAX_BYTES = 1000
    page = upload(chair_client, roster_file(tmp_path, [a_row(1)])).content.decode()
    assert "超过了" in page
    assert ImportJob.objects.count() == 0


def test_the_template_lists_the_unions_groups(chair_client, union):
    GroupFactory(union=union, name="语文组")
    response = chair_client.get(reverse("members:template"), {"union": union.pk})
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["会员名册"][1]][:4] == ["姓名", "性别", "出生日期", "身份证号"]
    assert "语文组" in [c.value for c in wb["选项"]["H"]]
    assert "填写说明" in wb.sheetnames


def test_a_job_of_another_union_is_not_found(chair_client, tmp_path):
    other = UnionFactory()
    job = ImportJob.objects.create(union=other, original_name="他们的.xlsx")
    for name in ("members:import_job", "members:import_progress", "members:import_errors_file"):
        response = chair_client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 404
        assert "他们的" not in response.content.decode()


def test_the_upload_page_lists_only_this_unions_jobs(chair_client, union):
    ImportJob.objects.create(union=union, original_name="我们的.xlsx", state="done")
    ImportJob.objects.create(union=UnionFactory(), original_name="他们的.xlsx", state="done")
    page = chair_client.get(reverse("members:import")).content.decode()
    assert "我们的.xlsx" in page and "他们的.xlsx" not in page


def test_a_user_who_may_not_import_is_refused(client, union):
    client.force_login(user_with_role(union, Role.LIAISON))
    assert client.get(reverse("members:import")).status_code == 403


def test_a_user_importing_for_two_unions_chooses_one(client, union, tmp_path):
    second = UnionFactory(name="第二工会")
    user = user_with_role(union, Role.CHAIR)
    from gonghui.orgs.models import RoleAssignment

    RoleAssignment.objects.create(user=user, union=second, role=Role.COMMITTEE)
    client.force_login(user)
    assert "第二工会" in client.get(reverse("members:import")).content.decode()
    with open(roster_file(tmp_path, [a_row(1)]), "rb") as f:
        client.post(reverse("members:import"), {"file": f, "union": second.pk})
    assert Member.objects.get().union == second


def test_progress_of_a_finished_job_is_complete(chair_client, union):
    job = ImportJob.objects.create(union=union, original_name="a.xlsx", state="done", total=5)
    data = chair_client.get(reverse("members:import_progress", args=[job.pk])).json()
    assert (data["finished"], data["percent"], data["state_label"]) == (True, 100, "已完成")
