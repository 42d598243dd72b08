"""The care endpoints: visits, hardship cases, assistance, campaigns with
donations, the fund's share and the handover, school aid, festival gifts and
mutual aid; permissions, other unions' ids, and every refusal in Chinese."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.care import services
from gonghui.care.models import (
    AidState,
    Assistance,
    Donation,
    DonationCampaign,
    FestivalDistribution,
    HardshipCase,
    MutualAidEnrolment,
    SchoolAid,
    Visit,
)
from gonghui.care.tests.factories import campaign, care_line, case, donate
from gonghui.finance.models import BudgetLine, Payment
from gonghui.finance.tests.factories import staff
from gonghui.members.models import Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory
from gonghui.privacy.purposes import Category
from gonghui.privacy.tests.factories import consented

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A union with a care budget line, a member who consented to her hardship
    and health details being kept, and the chair's token."""
    line = care_line(planned="50000.00")
    member = consented(
        MemberFactory(union=line.union, name="李梅"), Category.HARDSHIP, Category.HEALTH
    )
    return line, member, token_for(staff(line.union))


def key() -> str:
    return uuid.uuid4().hex


def refused(response, field, status, fragment=None):
    assert response.status_code == status, response.content
    body = response.json()
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert field in messages, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages[field])
    if fragment:
        assert fragment in messages[field], messages[field]


def not_found(response):
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "未找到"}


def _visit(budget_line, person, **over):
    data = {
        "union": budget_line.union_id,
        "kind": "illness",
        "on": "2025-03-10",
        "members": [person.id],
        "gift": "水果篮",
        "amount": "300.00",
        "line": budget_line.id,
        "voucher": "记-7",
        "idempotency_key": key(),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


def _case(person, **over):
    data = {
        "member": person.id,
        "level": "relative",
        "causes": ["illness"],
        "household_size": 3,
        "income_per_capita": "900.00",
        "filed_on": "2025-01-15",
        "health_details": "乳腺癌术后康复中",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


def _donation(**over):
    data = {
        "donor_name": "校外热心人",
        "amount": "100.00",
        "on": "2025-05-10",
        "channel": "wechat",
        "idempotency_key": key(),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not ...}


# Visits ------------------------------------------------------------------------------


def test_a_visit_with_a_gift_is_recorded_and_paid_from_its_line(desk):
    line, member, token = desk
    response = call("post", "care/visits", token, _visit(line, member))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "300.00"
    assert body["members"] == [{"id": member.id, "name": "李梅"}]
    assert BudgetLine.objects.get(pk=line.pk).actual == Decimal("300.00")


def test_repeating_a_visits_key_returns_it_with_200_and_pays_once(desk):
    line, member, token = desk
    body = _visit(line, member)
    first = call("post", "care/visits", token, body)
    again = call("post", "care/visits", token, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Visit.objects.count() == 1
    assert Payment.objects.count() == 1


def test_the_visit_list_filters_by_kind_member_and_dates(desk):
    line, member, token = desk
    other = MemberFactory(union=line.union)
    march = call("post", "care/visits", token, _visit(line, member)).json()
    june = call(
        "post",
        "care/visits",
        token,
        _visit(line, other, kind="birth", on="2025-06-01", amount=..., line=..., voucher=...),
    ).json()

    def ids(**query):
        response = call("get", "care/visits", token, query)
        assert response.status_code == 200, response.content
        return [v["id"] for v in response.json()["items"]]

    assert ids() == [march["id"], june["id"]]
    assert ids(kind="birth") == [june["id"]]
    assert ids(member=member.id) == [march["id"]]
    assert ids(on_from="2025-04-01") == [june["id"]]
    assert ids(on_until="2025-04-01") == [march["id"]]
    assert ids(union=UnionFactory().id) == []


# Hardship cases --------------------------------------------------------------------------


def test_a_case_is_filed_and_its_health_details_never_come_back(desk):
    _, member, token = desk
    response = call("post", "care/cases", token, _case(member))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["health_details"] == "已记录（已隐藏）"
    assert "乳腺癌" not in response.content.decode()
    case_id = body["id"]
    assert HardshipCase.objects.get(pk=case_id).health_details == "乳腺癌术后康复中"
    for path in ("care/cases", f"care/cases/{case_id}"):
        assert "乳腺癌" not in call("get", path, token).content.decode()


def test_a_case_is_reviewed_adjusted_and_closed(desk):
    _, member, token = desk
    case_id = call("post", "care/cases", token, _case(member)).json()["id"]
    review = {"on": "2025-12-01", "outcome": "adjust", "new_level": "deep", "note": "病情加重"}
    response = call("post", f"care/cases/{case_id}/reviews", token, review)
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "deep"
    assert response.json()["reviews"][0]["outcome_label"] == "调整级别"
    closed = call(
        "post", f"care/cases/{case_id}/close", token, {"on": "2026-01-05", "reason": "已康复"}
    )
    assert closed.status_code == 200, closed.content
    assert (closed.json()["is_open"], closed.json()["close_reason"]) == (False, "已康复")
    open_ids = [c["id"] for c in call("get", "care/cases", token, {"open": "true"}).json()["items"]]
    assert open_ids == []


def _correction(**over):
    data = {
        "causes": ["illness", "schooling"],
        "household_size": 4,
        "income_per_capita": "720.00",
        "filed_on": "2025-01-15",
    }
    data.update(over)
    return data


def test_a_case_is_corrected_and_keeps_its_health_details(desk):
    _, member, token = desk
    case_id = call("post", "care/cases", token, _case(member)).json()["id"]
    response = call("put", f"care/cases/{case_id}", token, _correction())
    assert response.status_code == 200, response.content
    assert (response.json()["household_size"], response.json()["causes"]) == (
        4,
        ["illness", "schooling"],
    )
    assert HardshipCase.objects.get(pk=case_id).health_details == "乳腺癌术后康复中"


def test_a_correction_above_the_income_line_without_a_reason_is_refused(desk):
    _, member, token = desk
    case_id = call("post", "care/cases", token, _case(member)).json()["id"]
    response = call("put", f"care/cases/{case_id}", token, _correction(income_per_capita="99999"))
    refused(response, "above_threshold_reason", 400, "收入线")
    assert HardshipCase.objects.get(pk=case_id).household_size == 3


def test_another_unions_case_cannot_be_corrected(desk):
    _, member, _ = desk
    filed = case(member)
    other = token_for(staff(UnionFactory()))
    not_found(call("put", f"care/cases/{filed.pk}", other, _correction()))


def test_the_case_shows_the_members_assistance_total_per_year(desk):
    _, member, token = desk
    filed = case(member)
    for amount in ("300.00", "200.50"):
        item = services.record_assistance(
            member=member,
            kind="living",
            source="upper",
            amount=Decimal(amount),
            on=date(2025, 2, 1),
            case=filed,
        )
        services.approve_assistance(assistance=item, actor=staff(member.union))
    body = call("get", f"care/cases/{filed.pk}", token).json()
    assert body["assistance_by_year"] == [{"year": 2025, "amount": "500.50", "count": 2}]


# Assistance -------------------------------------------------------------------------------


def test_assistance_from_the_fund_is_paid_when_approved(desk):
    line, member, token = desk
    data = {
        "member": member.id,
        "kind": "medical",
        "source": "fund",
        "amount": "1200",
        "on": "2025-04-01",
        "line": line.id,
        "voucher": "记-21",
    }
    created = call("post", "care/assistance", token, data)
    assert created.status_code == 201, created.content
    assert (created.json()["approved"], created.json()["amount"]) == (False, "1200.00")
    assert not Payment.objects.exists()
    approved = call("post", f"care/assistance/{created.json()['id']}/approve", token, {})
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved"] is True
    assert Payment.objects.get().amount == Decimal("1200.00")
    again = call("post", f"care/assistance/{created.json()['id']}/approve", token, {})
    refused(again, "assistance", 400, "已经批准")
    assert Payment.objects.count() == 1


def test_the_assistance_list_filters_by_approval(desk):
    _, member, token = desk
    waiting = services.record_assistance(
        member=member, kind="living", source="upper", amount=Decimal("10"), on=date(2025, 2, 1)
    )
    done = services.record_assistance(
        member=member, kind="living", source="upper", amount=Decimal("20"), on=date(2025, 2, 1)
    )
    services.approve_assistance(assistance=done, actor=staff(member.union))
    items = call("get", "care/assistance", token, {"approved": "false"}).json()["items"]
    assert [a["id"] for a in items] == [waiting.pk]


# Campaigns --------------------------------------------------------------------------------


def test_a_campaign_runs_from_donations_to_the_handover_and_its_totals_add_up(desk):
    line, member, token = desk
    created = call(
        "post",
        "care/campaigns",
        token,
        {
            "union": line.union_id,
            "purpose": "为患病职工募捐",
            "beneficiary": member.id,
            "opens_on": "2025-05-01",
            "closes_on": "2025-05-31",
        },
    )
    assert created.status_code == 201, created.content
    run = created.json()["id"]
    for amount in ("3000.00", "1888.88", "7339.82"):
        response = call("post", f"care/campaigns/{run}/donations", token, _donation(amount=amount))
        assert response.status_code == 201, response.content
    fund = {
        "amount": "1000",
        "on": "2025-05-20",
        "line": line.id,
        "voucher": "记-30",
        "idempotency_key": key(),
    }
    assert call("post", f"care/campaigns/{run}/contributions", token, fund).status_code == 201
    assert call("post", f"care/campaigns/{run}/contributions", token, fund).status_code == 200
    handover = {"amount": "13228.70", "on": "2025-06-02", "delivered_by": member.id}
    assert call("post", f"care/campaigns/{run}/handovers", token, handover).status_code == 201
    body = call("get", f"care/campaigns/{run}", token).json()
    assert body["totals"] == {
        "raised": "12228.70",
        "fund": "1000.00",
        "total": "13228.70",
        "delivered": "13228.70",
        "available": "0.00",
        "donors": 3,
    }
    assert body["beneficiary"] == {"id": member.id, "name": "李梅"}


def test_repeating_a_donations_key_returns_it_with_200_and_writes_once(desk):
    line, _, token = desk
    run = campaign(line.union)
    body = _donation()
    first = call("post", f"care/campaigns/{run.pk}/donations", token, body)
    again = call("post", f"care/campaigns/{run.pk}/donations", token, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Donation.objects.count() == 1


def test_the_donation_list_shows_money_as_text_with_cents(desk):
    line, _, token = desk
    run = campaign(line.union)
    donate(run, "88.8")
    items = call("get", f"care/campaigns/{run.pk}/donations", token).json()
    assert [(d["amount"], d["donor_label"]) for d in items] == [("88.80", "匿名")]


def test_the_campaign_list_filters_those_open_on_a_day(desk):
    line, _, token = desk
    may = campaign(line.union)
    campaign(line.union, opens_on=date(2025, 7, 1), closes_on=date(2025, 7, 31))
    items = call("get", "care/campaigns", token, {"open_on": "2025-05-15"}).json()["items"]
    assert [c["id"] for c in items] == [may.pk]


# School aid --------------------------------------------------------------------------------


def test_school_aid_is_applied_for_and_approved_with_a_payment(desk):
    line, member, token = desk
    data = {
        "member": member.id,
        "child_name": "王小丽",
        "school": "实验小学",
        "grade": "一年级",
        "new_admission": True,
        "applied_on": "2025-08-20",
    }
    applied = call("post", "care/school-aid", token, data)
    assert applied.status_code == 201, applied.content
    assert applied.json()["state"] == AidState.PENDING
    decision = {"amount": "1000", "on": "2025-09-01", "line": line.id, "voucher": "记-40"}
    approved = call("post", f"care/school-aid/{applied.json()['id']}/approve", token, decision)
    assert approved.status_code == 200, approved.content
    assert (approved.json()["state_label"], approved.json()["amount"]) == ("已批准", "1000.00")
    assert Payment.objects.get().amount == Decimal("1000.00")


def test_school_aid_is_declined_with_a_reason_and_listed_by_state(desk):
    _, member, token = desk
    aid = services.apply_school_aid(
        member=member,
        child_name="小明",
        school="一中",
        grade="高一",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    response = call(
        "post", f"care/school-aid/{aid.pk}/decline", token, {"on": "2025-09-01", "reason": "超龄"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["decline_reason"] == "超龄"
    items = call("get", "care/school-aid", token, {"state": "declined"}).json()["items"]
    assert [a["id"] for a in items] == [aid.pk]


# Festival gifts and mutual aid ------------------------------------------------------------


def test_festival_gifts_go_to_the_members_of_the_chosen_groups(desk):
    line, member, token = desk
    group = GroupFactory(union=line.union)
    inside = [MemberFactory(union=line.union, group=group) for _ in range(3)]
    data = {
        "union": line.union_id,
        "occasion": "mid_autumn",
        "on": "2025-09-20",
        "amount_per_person": "150",
        "groups": [group.id],
        "line": line.id,
        "voucher": "记-50",
        "description": "月饼",
        "idempotency_key": "mid-autumn-2025",
    }
    response = call("post", "care/festival-distributions", token, data)
    assert response.status_code == 201, response.content
    assert (response.json()["recipients"], response.json()["total"]) == (3, "450.00")
    got = set(FestivalDistribution.objects.get().recipients.values_list("member_id", flat=True))
    assert got == {m.pk for m in inside}
    listed = call("get", "care/festival-distributions", token, {"year": 2025}).json()["items"]
    assert listed[0]["recipients"] == 3


def test_a_festival_distribution_sent_twice_with_one_key_is_written_once(desk):
    line, member, token = desk
    data = {
        "union": line.union_id,
        "occasion": "dragon_boat",
        "on": "2025-05-31",
        "amount_per_person": "100",
        "members": [member.id],
        "line": line.id,
        "voucher": "记-51",
        "idempotency_key": "duanwu-2025",
    }
    first = call("post", "care/festival-distributions", token, data)
    again = call("post", "care/festival-distributions", token, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert FestivalDistribution.objects.count() == 1


def test_a_member_is_enrolled_in_mutual_aid_once_a_year(desk):
    _, member, token = desk
    data = {"member": member.id, "year": 2025, "premium": "60", "enrolled_on": "2025-01-10"}
    assert call("post", "care/mutual-aid", token, data).status_code == 201
    refused(call("post", "care/mutual-aid", token, data), "year", 400, "不能重复参保")
    items = call("get", "care/mutual-aid", token, {"year": 2025}).json()["items"]
    assert [(e["member"]["name"], e["premium"]) for e in items] == [("李梅", "60.00")]


# Permissions and other unions -----------------------------------------------------------------


def test_other_unions_records_answer_not_found(desk):
    _, _, token = desk
    other_union = UnionFactory()
    other_member = MemberFactory(union=other_union, name="乙会员")
    other_run = campaign(other_union, purpose="乙工会募捐")
    other_case = case(other_member)
    other_item = services.record_assistance(
        member=other_member, kind="living", source="upper", amount=Decimal("1"), on=date(2025, 1, 2)
    )
    other_aid = services.apply_school_aid(
        member=other_member,
        child_name="乙孩子",
        school="乙校",
        grade="一年级",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    not_found(call("get", f"care/campaigns/{other_run.pk}", token))
    not_found(call("get", f"care/campaigns/{other_run.pk}/donations", token))
    not_found(call("post", f"care/campaigns/{other_run.pk}/donations", token, _donation()))
    not_found(call("post", f"care/campaigns/{other_run.pk}/handovers", token, {"x": 1}))
    not_found(call("get", f"care/cases/{other_case.pk}", token))
    not_found(call("post", f"care/cases/{other_case.pk}/close", token, {}))
    not_found(call("post", f"care/assistance/{other_item.pk}/approve", token, {}))
    not_found(call("post", f"care/school-aid/{other_aid.pk}/decline", token, {}))
    for path in ("care/campaigns", "care/cases", "care/assistance", "care/school-aid"):
        assert call("get", path, token).json()["items"] == []
    assert not Donation.objects.exists()
    assert Assistance.objects.get().approved_at is None


def test_another_unions_member_in_a_body_is_not_found_and_nothing_is_written(desk):
    line, _, token = desk
    stranger = MemberFactory(union=UnionFactory(), name="外单位人")
    response = call("post", "care/visits", token, _visit(line, stranger))
    refused(response, "members", 400, str(stranger.pk))
    assert "外单位人" not in response.content.decode()
    refused(call("post", "care/cases", token, _case(stranger)), "member", 400, "未找到该会员")
    assert not Visit.objects.exists() and not HardshipCase.objects.exists()


def test_a_member_of_the_committee_without_care_rights_is_refused(desk):
    line, member, _ = desk
    liaison = token_for(staff(line.union, Role.LIAISON))
    response = call("get", "care/visits", liaison)
    assert response.status_code == 403
    assert "关怀帮扶" in response.json()["detail"]
    assert call("post", "care/cases", liaison, _case(member)).status_code == 403


def test_the_womens_committee_reads_but_cannot_write(desk):
    line, member, _ = desk
    women = token_for(staff(line.union, Role.WOMEN))
    assert call("get", "care/cases", women).status_code == 200
    response = call("post", "care/cases", women, _case(member))
    assert response.status_code == 403
    assert "（上级工会为只读）" in response.json()["detail"]
    assert not HardshipCase.objects.exists()


def test_without_a_token_the_care_api_answers_401(desk):
    assert call("get", "care/campaigns").status_code == 401


# Bad input ---------------------------------------------------------------------------------

VISIT_CASES = [
    ("negative amount", {"amount": "-5"}, "amount", 400, "不能为负数"),
    ("three decimals", {"amount": "12.345"}, "amount", 422, "两位小数"),
    ("float artifact", {"amount": 0.30000000000000004}, "amount", 422, "两位小数"),
    ("amount as words", {"amount": "三百"}, "amount", 422, "不是有效金额"),
    ("amount without a line", {"line": None}, "line", 400, "预算科目"),
    ("amount without a voucher", {"voucher": ""}, "voucher", 400, "凭证号"),
    ("no one visited", {"members": []}, "members", 400, "至少选择一名"),
    ("unknown kind", {"kind": "party"}, "kind", 422, "取值不在可选范围内"),
    ("bad date", {"on": "2025-02-30"}, "on", 422, "有效日期"),
    ("missing key", {"idempotency_key": ...}, "idempotency_key", 422, "缺少必填字段"),
    ("short key", {"idempotency_key": "abc"}, "idempotency_key", 422, "8"),
    ("unknown field", {"colour": "red"}, "colour", 422, "不支持的字段"),
    ("control characters", {"gift": "水果\x00篮"}, "gift", 422, "控制字符"),
    ("gift too long", {"gift": "礼" * 201}, "gift", 422, "200"),
    ("unknown line", {"line": 999999}, "line", 400, "未找到所选预算科目"),
    ("another union", {"union": 999999}, "union", 400, "未找到该工会"),
]


@pytest.mark.parametrize(
    ("why", "over", "field", "status", "fragment"), VISIT_CASES, ids=[c[0] for c in VISIT_CASES]
)
def test_a_bad_visit_is_refused_with_a_chinese_message_and_writes_nothing(
    desk, why, over, field, status, fragment
):
    line, member, token = desk
    refused(
        call("post", "care/visits", token, _visit(line, member, **over)), field, status, fragment
    )
    assert not Visit.objects.exists()
    assert not Payment.objects.exists()


CASE_CASES = [
    ("no causes", {"causes": []}, "causes", 400, "至少选择一项"),
    ("unknown cause", {"causes": ["laziness"]}, "causes.0", 422, "可选范围"),
    ("household of zero", {"household_size": 0}, "household_size", 422, "家庭人口"),
    (
        "income above the line",
        {"income_per_capita": "5000"},
        "above_threshold_reason",
        400,
        "收入线",
    ),
    ("negative income", {"income_per_capita": "-1"}, "income_per_capita", 400, "不能为负数"),
    ("missing member", {"member": ...}, "member", 422, "缺少必填字段"),
    ("member id zero", {"member": 0}, "member", 422, "不能小于1"),
]


@pytest.mark.parametrize(
    ("why", "over", "field", "status", "fragment"), CASE_CASES, ids=[c[0] for c in CASE_CASES]
)
def test_a_bad_case_is_refused_and_writes_nothing(desk, why, over, field, status, fragment):
    _, member, token = desk
    refused(call("post", "care/cases", token, _case(member, **over)), field, status, fragment)
    assert not HardshipCase.objects.exists()


def test_a_case_for_a_member_without_consent_is_refused_in_chinese(desk):
    line, _, token = desk
    member = MemberFactory(union=line.union)
    refused(call("post", "care/cases", token, _case(member)), "member", 400, "尚未单独同意")
    assert not HardshipCase.objects.exists()


def test_a_second_open_case_for_a_member_is_refused(desk):
    _, member, token = desk
    case(member)
    refused(call("post", "care/cases", token, _case(member)), "member", 400, "不能重复建档")
    assert HardshipCase.objects.count() == 1


def test_assistance_for_a_member_who_left_is_refused(desk):
    _, member, token = desk
    member.status = Status.TRANSFERRED
    member.save()
    data = {
        "member": member.id,
        "kind": "living",
        "source": "upper",
        "amount": "10",
        "on": "2025-01-02",
    }
    refused(call("post", "care/assistance", token, data), "member", 400, "已不在册")
    assert not Assistance.objects.exists()


def test_a_donation_outside_the_campaigns_dates_is_refused(desk):
    line, _, token = desk
    run = campaign(line.union)
    response = call("post", f"care/campaigns/{run.pk}/donations", token, _donation(on="2025-06-30"))
    refused(response, "on", 400, "不在捐款活动期间")
    assert not Donation.objects.exists()


def test_a_donation_of_zero_is_refused(desk):
    line, _, token = desk
    run = campaign(line.union)
    response = call("post", f"care/campaigns/{run.pk}/donations", token, _donation(amount="0"))
    refused(response, "amount", 400, "必须大于零")


def test_a_donation_without_any_donor_is_refused(desk):
    line, _, token = desk
    run = campaign(line.union)
    response = call("post", f"care/campaigns/{run.pk}/donations", token, _donation(donor_name=""))
    refused(response, "donor", 400, "勾选匿名")


def test_a_handover_larger_than_raised_is_refused(desk):
    line, _, token = desk
    run = campaign(line.union)
    donate(run, "100.00")
    response = call(
        "post",
        f"care/campaigns/{run.pk}/handovers",
        token,
        {"amount": "100.01", "on": "2025-06-01"},
    )
    refused(response, "amount", 400, "超过可交付金额100.00元")
    assert not run.handovers.exists()


def test_a_campaign_that_closes_before_it_opens_is_refused(desk):
    line, _, token = desk
    data = {
        "union": line.union_id,
        "purpose": "募捐",
        "beneficiary_name": "张三",
        "opens_on": "2025-05-31",
        "closes_on": "2025-05-01",
    }
    refused(call("post", "care/campaigns", token, data), "closes_on", 400, "不能早于开始日期")
    assert not DonationCampaign.objects.exists()


def test_approving_already_decided_school_aid_is_refused(desk):
    line, member, token = desk
    aid = services.apply_school_aid(
        member=member,
        child_name="小明",
        school="一中",
        grade="高一",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    services.decline_school_aid(
        aid=aid, on=date(2025, 9, 1), reason="超龄", actor=staff(line.union)
    )
    decision = {"amount": "1000", "on": "2025-09-01", "line": line.id, "voucher": "记-40"}
    refused(
        call("post", f"care/school-aid/{aid.pk}/approve", token, decision), "aid", 400, "不能再审批"
    )
    assert SchoolAid.objects.get().state == AidState.DECLINED
    assert not Payment.objects.exists()


def test_declining_school_aid_without_a_reason_is_refused(desk):
    _, member, token = desk
    aid = services.apply_school_aid(
        member=member,
        child_name="小明",
        school="一中",
        grade="高一",
        new_admission=False,
        applied_on=date(2025, 8, 1),
    )
    response = call(
        "post", f"care/school-aid/{aid.pk}/decline", token, {"on": "2025-09-01", "reason": " "}
    )
    refused(response, "reason", 400, "请填写未批准的理由")


def test_festival_gifts_over_the_yearly_cap_need_a_reason(desk):
    line, member, token = desk
    data = {
        "union": line.union_id,
        "occasion": "spring",
        "on": "2025-01-20",
        "amount_per_person": "2500",
        "members": [member.id],
        "idempotency_key": "spring-2025",
    }
    refused(
        call("post", "care/festival-distributions", token, data), "over_cap_reason", 400, "年度限额"
    )
    assert not FestivalDistribution.objects.exists()


def test_a_mutual_aid_year_out_of_range_is_refused(desk):
    _, member, token = desk
    data = {"member": member.id, "year": 1999, "premium": "60", "enrolled_on": "2025-01-10"}
    refused(call("post", "care/mutual-aid", token, data), "year", 422, "不能小于2000")
    assert not MutualAidEnrolment.objects.exists()


def test_a_bad_cursor_is_refused(desk):
    _, _, token = desk
    refused(
        call("get", "care/visits", token, {"cursor": "nonsense"}), "cursor", 400, "分页游标无效"
    )
