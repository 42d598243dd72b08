"""The dues, allocation and audit screens: forms call the services, access follows roles."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from gonghui.finance import services
from gonghui.finance.models import AuditReport, DuesPayment, Income, UpwardTransfer
from gonghui.finance.tests.factories import allocation_line, dues_line, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import RoleAssignment
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(client, union, role=Role.CHAIR):
    user = staff(union, role)
    client.force_login(user)
    return user


def test_a_dues_payment_entered_in_the_form_is_booked_as_income(client):
    member = MemberFactory()
    services.set_dues_base(member=member, base=Decimal("5000"), since=date(2025, 1, 1))
    dues_line(member.union)
    signed_in(client, member.union)
    add = reverse("admin:finance_duespayment_add")
    key = client.get(add).context["form"].initial["idempotency_key"]
    data = {
        "member": member.pk,
        "month": "2025-03",
        "amount": "25.00",
        "paid_on": "2025-03-20",
        "source": "cash",
        "voucher": "",
        "idempotency_key": key,
    }
    assert client.post(add, data).status_code == 302
    assert client.post(add, data).status_code == 302
    payment = DuesPayment.objects.get()
    assert (payment.month, payment.source) == (date(2025, 3, 1), "cash")
    assert Income.objects.get().amount == Decimal("25.00")


def test_the_dues_form_shows_the_services_message_and_writes_nothing(client):
    member = MemberFactory(joined_on=date(2025, 5, 1))
    services.set_dues_base(member=member, base=Decimal("5000"), since=date(2025, 1, 1))
    dues_line(member.union)
    signed_in(client, member.union)
    add = reverse("admin:finance_duespayment_add")
    key = client.get(add).context["form"].initial["idempotency_key"]
    data = {"member": member.pk, "month": "2025-03", "amount": "25", "paid_on": "2025-03-20"}
    response = client.post(add, {**data, "source": "cash", "idempotency_key": key})
    assert response.status_code == 200
    assert "不能缴纳入会前2025年3月的会费" in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_the_import_page_shows_each_bad_row_in_a_table(client, tmp_path):
    union = UnionFactory()
    dues_line(union)
    signed_in(client, union)
    wb = Workbook()
    wb.active.append(["工号", "姓名", "月份", "金额"])
    wb.active.append(["Z404", "张三", "2025-03", 25])
    path = tmp_path / "d.xlsx"
    wb.save(path)
    url = reverse("finance:deductions_import")
    key = client.get(url).context["form"].initial["idempotency_key"]
    with open(path, "rb") as upload:
        response = client.post(
            url,
            {
                "union": union.pk,
                "month": "2025-03",
                "paid_on": "2025-03-25",
                "file": upload,
                "idempotency_key": key,
            },
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in page and "工号“Z404”不在本工会会员名册中" in page
    assert not DuesPayment.objects.exists()


def test_the_arrears_page_lists_members_by_group(client):
    group = GroupFactory(name="后勤组")
    member = MemberFactory(union=group.union, group=group, name="王芳", joined_on=date(2020, 1, 1))
    services.set_dues_base(member=member, base=Decimal("4000"), since=date(2024, 1, 1))
    signed_in(client, group.union)
    response = client.get(reverse("finance:arrears") + f"?union={group.union_id}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "后勤组" in page and "王芳" in page and "2024年1月" in page


def test_an_allocation_is_received_and_its_share_passed_upward(client):
    union = UnionFactory()
    allocation_line(union)
    chair = signed_in(client, union)
    allocation = services.record_allocation(
        union=union,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 3, 31),
        payroll_total=Decimal("1234567.89"),
        actor=chair,
    )
    assert allocation.amount_due == Decimal("24691.36")
    receive = reverse("finance:receive_allocation", args=[allocation.pk])
    key = client.get(receive).context["form"].initial["idempotency_key"]
    form = {"amount": "24691.36", "on": "2025-04-10", "payer": "行政单位", "voucher": "收-9"}
    assert client.post(receive, {**form, "idempotency_key": key}).status_code == 302
    assert Income.objects.get().category == "allocation"
    transfer = reverse("finance:transfer_upward", args=[allocation.pk])
    page = client.get(transfer)
    assert page.context["form"].initial["amount"] == Decimal("9876.54")
    key = page.context["form"].initial["idempotency_key"]
    data = {"amount": "9876.55", "on": "2025-04-12", "recipient": "市总工会", "voucher": "付-3"}
    response = client.post(transfer, {**data, "idempotency_key": key})
    assert "上解金额9876.55元超过应上解的9876.54元" in response.content.decode()
    assert not UpwardTransfer.objects.exists()
    data["amount"] = "9876.54"
    assert client.post(transfer, {**data, "idempotency_key": key}).status_code == 302
    assert services.upward_due(allocation) == Decimal("0.00")


def test_receiving_more_allocation_than_is_due_is_refused():
    union = UnionFactory()
    allocation_line(union)
    allocation = services.record_allocation(
        union=union,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 1, 31),
        payroll_total=Decimal("100000"),
    )
    with pytest.raises(services.ValidationError) as e:
        services.receive_allocation(
            allocation=allocation,
            amount=Decimal("2000.01"),
            on=date(2025, 2, 5),
            voucher="收-1",
            idempotency_key="k",
            actor=staff(union),
        )
    assert e.value.message_dict["amount"] == [
        "本次到账2000.01元超过尚未到账的应拨缴金额2000.00元（应拨缴2000.00元）"
    ]
    assert not Income.objects.exists()


def auditor(union):
    user = UserFactory(is_staff=True)
    RoleAssignment.objects.create(user=user, union=union, role=Role.AUDIT)
    return user, MemberFactory(union=union, user=user, name="赵敏")


def test_an_audit_committee_member_files_a_report_through_the_form(client):
    union = UnionFactory()
    user, member = auditor(union)
    client.force_login(user)
    add = reverse("admin:finance_auditreport_add")
    data = {
        "union": union.pk,
        "title": "2025年上半年经费审查报告",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
        "findings": "会费收缴及时，两笔支出凭证缺少经办人签字。",
        "conclusion": "经费使用基本规范，责成补签。",
        "filed_by": member.pk,
        "filed_on": "2025-07-10",
    }
    assert client.post(add, data).status_code == 302
    report = AuditReport.objects.get()
    assert (report.filed_by, report.created_by) == (member, user)
    assert client.get(reverse("admin:finance_auditreport_changelist")).status_code == 200


def test_a_report_filed_by_someone_outside_the_audit_committee_is_refused():
    union = UnionFactory()
    outsider = MemberFactory(union=union)
    with pytest.raises(services.ValidationError) as e:
        services.file_audit_report(
            union=union,
            title="审查报告",
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 6, 30),
            findings="无",
            conclusion="合规",
            filed_by=outsider,
            filed_on=date(2025, 7, 1),
        )
    assert e.value.message_dict["filed_by"] == [
        f"报告人{outsider.name}不是本工会的经审委员，经审报告须由经审委员提交"
    ]
    assert not AuditReport.objects.exists()


def test_audit_reports_are_hidden_from_a_committee_member_who_is_not_on_the_audit_committee(
    client,
):
    union = UnionFactory()
    _, member = auditor(union)
    report = services.file_audit_report(
        union=union,
        title="审查报告",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 6, 30),
        findings="无",
        conclusion="合规",
        filed_by=member,
        filed_on=date(2025, 7, 1),
    )
    signed_in(client, union, Role.COMMITTEE)
    assert client.get(reverse("admin:finance_auditreport_changelist")).status_code == 403
    change = reverse("admin:finance_auditreport_change", args=[report.pk])
    assert client.get(change).status_code in (403, 404)
    signed_in(client, union, Role.CHAIR)
    assert client.get(change).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "admin:finance_duespayment_changelist",
        "admin:finance_duesbase_add",
        "admin:finance_duesexemption_add",
        "admin:finance_allocation_add",
        "finance:settings",
        "finance:arrears",
        "finance:deductions_import",
    ],
)
def test_every_dues_screen_renders_for_a_chair(client, name):
    union = UnionFactory()
    signed_in(client, union)
    assert client.get(reverse(name)).status_code == 200
