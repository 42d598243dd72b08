"""The back-office 维权 pages: each form's happy path goes through its service;
bad input comes back in Chinese on the field it names and writes nothing;
a user who may only look cannot write; another union's records are 404."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs import access
from gonghui.orgs.roles import Perm, Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.rights import services
from gonghui.rights.models import (
    Consultation,
    Contract,
    DisputeCase,
    Draft,
    ExecutionCheck,
    MediationSession,
    NegotiationRound,
    SupervisionCheck,
)
from gonghui.rights.tests.factories import contract, dispute, signed, voted

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def errors_of(response) -> dict:
    """Field name → messages of the form on a re-shown page."""
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.fixture
def union():
    return UnionFactory()


@pytest.fixture
def chair(client, union):
    user = user_with_role(union, Role.CHAIR)
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client, union, monkeypatch):
    """A back-office role that may read 维权 records but not write them."""
    monkeypatch.setitem(
        access.ROLE_PERMISSIONS,
        Role.AUDIT,
        access.ROLE_PERMISSIONS[Role.AUDIT] | {Perm.VIEW_RIGHTS},
    )
    user = user_with_role(union, Role.AUDIT)
    client.force_login(user)
    return user


# Creating a contract ---------------------------------------------------------------------

CONTRACT = {
    "kind": "wage",
    "title": "2027年度工资专项集体合同",
    "employer": "华东精密机械有限公司",
    "union_chief": "王建国",
    "employer_chief": "李志强",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
    "workers_covered": "860",
    "wage_increase": "5.5",
}


def test_a_contract_is_created_on_its_page_and_lands_on_the_contract_page(client, union, chair):
    response = client.post("/admin/rights/contract/add/", {"union": union.pk, **CONTRACT})
    found = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/rights/contract/{found.pk}/change/"
    assert (found.kind, found.union_chief, found.created_by) == ("wage", "王建国", chair)
    assert str(found.wage_increase) == "5.50"


def test_a_contract_ending_before_it_starts_is_refused_on_the_end_date(client, union, chair):
    response = client.post(
        "/admin/rights/contract/add/",
        {"union": union.pk, **CONTRACT, "ends_on": "2026-12-01"},
    )
    assert response.status_code == 200
    assert errors_of(response) == {"ends_on": ["合同期限止须晚于期限起"]}
    assert not Contract.objects.exists()


def test_a_missing_chief_representative_is_named(client, union, chair):
    response = client.post(
        "/admin/rights/contract/add/", {"union": union.pk, **CONTRACT, "employer_chief": ""}
    )
    assert errors_of(response) == {"employer_chief": ["请填写企业方首席代表"]}
    assert not Contract.objects.exists()


def test_a_date_that_is_not_a_date_is_named(client, union, chair):
    response = client.post(
        "/admin/rights/contract/add/", {"union": union.pk, **CONTRACT, "starts_on": "明年"}
    )
    assert errors_of(response)["starts_on"][0].startswith("期限起不是有效日期")
    assert not Contract.objects.exists()


def test_a_wage_increase_on_a_safety_contract_is_refused(client, union, chair):
    response = client.post(
        "/admin/rights/contract/add/", {"union": union.pk, **CONTRACT, "kind": "safety"}
    )
    assert errors_of(response) == {
        "wage_increase": ["只有工资专项集体合同或综合集体合同约定工资增长幅度"]
    }


def test_a_contract_for_another_union_cannot_be_posted(client, union, chair):
    response = client.post("/admin/rights/contract/add/", {"union": UnionFactory().pk, **CONTRACT})
    assert errors_of(response) == {"union": ["所选工会不在可选范围内"]}
    assert not Contract.objects.exists()


# Rounds, drafts, vote, signing, filing, checks ----------------------------------------------

ROUND = {
    "held_on": (today() - timedelta(days=20)).isoformat(),
    "union_side": "王建国（工会主席）\n职工代表4人",
    "employer_side": "李志强（副总经理）\n人力资源部2人",
    "issues": "年度工资增长幅度；夜班津贴",
    "minutes": "双方就增长幅度交换意见",
    "agreed": "夜班津贴每班提高10元",
}


def test_a_round_is_recorded_with_both_sides_and_numbered(client, union, chair):
    found = contract(union)
    response = client.post(f"/admin/rights/contracts/{found.pk}/rounds/new/", ROUND)
    assert response.status_code == 302
    held = NegotiationRound.objects.get()
    assert (held.number, held.employer_side, held.agreed) == (
        1,
        "李志强（副总经理）\n人力资源部2人",
        "夜班津贴每班提高10元",
    )


def test_a_round_in_the_future_is_refused_on_its_date(client, union, chair):
    found = contract(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/rounds/new/",
        {**ROUND, "held_on": (today() + timedelta(days=3)).isoformat()},
    )
    assert errors_of(response) == {"held_on": ["协商日期不能晚于今天"]}
    assert not NegotiationRound.objects.exists()


def test_a_round_without_the_employers_side_is_refused_by_name(client, union, chair):
    found = contract(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/rounds/new/", {**ROUND, "employer_side": " "}
    )
    assert errors_of(response) == {"employer_side": ["请填写企业方参加人员"]}
    assert not NegotiationRound.objects.exists()


def test_a_draft_version_is_added_and_the_next_starts_from_its_text(client, union, chair):
    found = contract(union)
    day = (today() - timedelta(days=10)).isoformat()
    client.post(
        f"/admin/rights/contracts/{found.pk}/drafts/new/", {"prepared_on": day, "text": "第一条"}
    )
    page = client.get(f"/admin/rights/contracts/{found.pk}/drafts/new/")
    assert page.context["form"].initial["text"] == "第一条"
    assert "保存为第2稿" in page.content.decode()
    assert Draft.objects.get().version == 1


def test_a_draft_without_text_is_refused(client, union, chair):
    found = contract(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/drafts/new/",
        {"prepared_on": today().isoformat(), "text": ""},
    )
    assert errors_of(response) == {"text": ["请填写草案文本"]}
    assert not Draft.objects.exists()


def _drafted(union):
    found = contract(union)
    services.add_draft(contract=found, prepared_on=today() - timedelta(days=5), text="第一条")
    return found


def test_the_congress_vote_is_recorded_from_typed_counts(client, union, chair):
    found = _drafted(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/vote/",
        {"on": today().isoformat(), "votes_for": "98", "votes_against": "3", "votes_abstain": "1"},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.vote_passed, found.votes_for, found.resolution) == (True, 98, None)


def test_a_vote_without_counts_names_the_missing_count(client, union, chair):
    found = _drafted(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/vote/",
        {"on": today().isoformat(), "votes_for": "98", "votes_against": "", "votes_abstain": "1"},
    )
    assert errors_of(response) == {"votes_against": ["请填写反对票"]}
    found.refresh_from_db()
    assert found.vote_on is None


def test_a_negative_count_is_refused_by_name(client, union, chair):
    found = _drafted(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/vote/",
        {"on": today().isoformat(), "votes_for": "-4", "votes_against": "0", "votes_abstain": "0"},
    )
    assert errors_of(response) == {"votes_for": ["赞成票不能为负数"]}


def test_signing_before_a_passing_vote_is_refused(client, union, chair):
    found = _drafted(union)
    response = client.post(f"/admin/rights/contracts/{found.pk}/sign/", {"on": today()})
    assert response.status_code == 200
    assert "合同草案须经职代会表决通过后才能签署" in response.content.decode()
    found.refresh_from_db()
    assert found.signed_on is None


def test_a_voted_contract_is_signed(client, union, chair):
    found = voted(union)
    response = client.post(f"/admin/rights/contracts/{found.pk}/sign/", {"on": "2025-01-15"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.signed_on == date(2025, 1, 15)


def test_a_filing_date_before_signing_is_refused_in_chinese(client, union, chair):
    found = signed(union, on=date(2025, 1, 12))
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/filing/",
        {"filed_with": "鄞州区人力资源和社会保障局", "on": "2025-01-10"},
    )
    assert errors_of(response) == {
        "on": ["备案日期 2025-01-10 早于签署日期 2025-01-12，合同须签署后才能报送备案"]
    }
    found.refresh_from_db()
    assert (found.filed_on, found.filed_with) == (None, "")


def test_filing_needs_the_authority(client, union, chair):
    found = signed(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/filing/", {"filed_with": "", "on": "2025-01-20"}
    )
    assert errors_of(response) == {"filed_with": ["请填写备案机关"]}


def test_a_signed_contract_is_filed(client, union, chair):
    found = signed(union)
    client.post(
        f"/admin/rights/contracts/{found.pk}/filing/",
        {"filed_with": "鄞州区人力资源和社会保障局", "on": "2025-01-20"},
    )
    found.refresh_from_db()
    assert found.stage == "已备案"


def test_an_execution_check_is_recorded_for_its_year(client, union, chair):
    found = signed(union)
    client.post(
        f"/admin/rights/contracts/{found.pk}/checks/new/",
        {
            "checked_on": "2025-12-10",
            "clause": "第八条 工资增长幅度",
            "finding": "全年人均工资增长5.8%",
            "fulfilled": "yes",
        },
    )
    check = ExecutionCheck.objects.get()
    assert (check.year, check.fulfilled) == (2025, True)


def test_an_unfulfilled_clause_without_follow_up_is_refused(client, union, chair):
    found = signed(union)
    response = client.post(
        f"/admin/rights/contracts/{found.pk}/checks/new/",
        {
            "checked_on": "2025-12-10",
            "clause": "第十二条 高温津贴",
            "finding": "七月津贴迟发",
            "fulfilled": "no",
            "follow_up": "",
        },
    )
    assert errors_of(response) == {"follow_up": ["条款未履行时请填写整改跟进措施"]}
    assert not ExecutionCheck.objects.exists()


# The contract page and the expiring list ------------------------------------------------------


def test_the_contract_page_shows_rounds_drafts_vote_and_signing(client, union, chair):
    found = contract(union)
    services.hold_round(
        contract=found,
        held_on=date(2025, 1, 3),
        union_side="王建国",
        employer_side="李志强",
        issues="夜班津贴",
        agreed="每班提高10元",
    )
    services.add_draft(contract=found, prepared_on=date(2025, 1, 5), text="第一条 ……")
    services.record_vote(
        contract=found, on=date(2025, 1, 10), votes_for=120, votes_against=3, votes_abstain=2
    )
    page = client.get(f"/admin/rights/contract/{found.pk}/change/").content.decode()
    assert "第1轮协商" in page and "每班提高10元" in page
    assert "第1稿" in page
    assert "赞成120票，反对3票，弃权2票" in page
    assert "登记签署" in page
    assert "记录协商会议" not in page  # a passed draft is not renegotiated on this page


def test_the_contract_page_warns_ninety_days_before_expiry(client, union, chair):
    found = signed(
        union, starts_on=today() - timedelta(days=400), ends_on=today() + timedelta(days=30)
    )
    page = client.get(f"/admin/rights/contract/{found.pk}/change/").content.decode()
    assert "30天后到期" in page
    assert "请启动续签协商" in page


def test_the_expiring_list_shows_only_contracts_due_within_ninety_days(client, union, chair):
    signed(union, title="即将到期合同", starts_on=date(2025, 1, 1), ends_on=today() + timedelta(60))
    signed(union, title="远期合同", starts_on=date(2025, 1, 1), ends_on=today() + timedelta(200))
    page = client.get("/admin/rights/contracts/expiring/").content.decode()
    assert "即将到期合同" in page
    assert "远期合同" not in page
    assert "未启动" in page


def test_the_expiring_list_says_when_the_renewal_is_under_way(client, union, chair):
    signed(union, starts_on=date(2025, 1, 1), ends_on=today() + timedelta(60))
    contract(
        union, title="续签合同", starts_on=today() + timedelta(61), ends_on=today() + timedelta(400)
    )
    page = client.get("/admin/rights/contracts/expiring/").content.decode()
    assert "已登记新合同" in page


# Mediation ----------------------------------------------------------------------------------------

CASE = {
    "applicant": "张伟",
    "respondent": "华东精密机械有限公司",
    "claims": ["wages", "hours"],
    "claim_detail": "拖欠加班工资3个月",
    "amount_claimed": "4800",
    "received_on": (today() - timedelta(days=3)).isoformat(),
    "mediators": "陈红",
}


def test_a_dispute_is_taken_in_with_its_claims(client, union, chair):
    response = client.post("/admin/rights/disputecase/add/", {"union": union.pk, **CASE})
    case = DisputeCase.objects.get()
    assert response["Location"] == f"/admin/rights/disputecase/{case.pk}/change/"
    assert case.claims == ["wages", "hours"]
    assert str(case.amount_claimed) == "4800.00"


def test_a_dispute_without_claims_is_refused(client, union, chair):
    response = client.post(
        "/admin/rights/disputecase/add/", {"union": union.pk, **CASE, "claims": []}
    )
    assert errors_of(response) == {"claims": ["请选择争议事项"]}
    assert not DisputeCase.objects.exists()


def test_a_dispute_without_an_applicant_is_refused_by_name(client, union, chair):
    response = client.post(
        "/admin/rights/disputecase/add/", {"union": union.pk, **CASE, "applicant": ""}
    )
    assert errors_of(response) == {"applicant": ["请填写申请人"]}


def test_a_member_applicant_is_found_by_employee_number(client, union, chair):
    member = MemberFactory(union=union, name="赵敏", employee_number="HD-0815")
    client.post(
        "/admin/rights/disputecase/add/",
        {"union": union.pk, **CASE, "applicant": "", "member": "HD-0815"},
    )
    case = DisputeCase.objects.get()
    assert (case.member, case.applicant) == (member, "赵敏")


def test_an_unknown_employee_number_is_refused_by_name(client, union, chair):
    MemberFactory(union=UnionFactory(), employee_number="HD-0815")
    response = client.post(
        "/admin/rights/disputecase/add/", {"union": union.pk, **CASE, "member": "HD-0815"}
    )
    assert errors_of(response) == {"member": [f"{union.name}没有工号为“HD-0815”的会员"]}
    assert not DisputeCase.objects.exists()


def test_a_session_is_recorded_on_an_open_case(client, union, chair):
    case = dispute(union, received_on=today() - timedelta(days=3))
    client.post(
        f"/admin/rights/disputes/{case.pk}/sessions/new/",
        {"held_on": today().isoformat(), "attendees": "张伟、公司人事", "notes": "双方陈述"},
    )
    assert MediationSession.objects.get().notes == "双方陈述"


def test_a_session_before_intake_is_refused(client, union, chair):
    case = dispute(union, received_on=today() - timedelta(days=3))
    response = client.post(
        f"/admin/rights/disputes/{case.pk}/sessions/new/",
        {"held_on": (today() - timedelta(days=5)).isoformat(), "notes": "双方陈述"},
    )
    assert errors_of(response)["held_on"][0].startswith("调解日期不能早于受理日期")
    assert not MediationSession.objects.exists()


def test_a_settlement_without_the_respondents_confirmation_is_refused_in_chinese(
    client, union, chair
):
    case = dispute(union, received_on=today() - timedelta(days=3))
    response = client.post(
        f"/admin/rights/disputes/{case.pk}/close/",
        {
            "outcome": "settled",
            "on": today().isoformat(),
            "agreement": "公司于月底前支付加班工资4000元",
            "applicant_confirmed": "on",
        },
    )
    assert errors_of(response) == {
        "respondent_confirmed": ["调解协议须经双方当事人签字确认，被申请人尚未确认"]
    }
    case.refresh_from_db()
    assert case.outcome == "open"


def test_a_settlement_confirmed_by_both_closes_the_case_with_its_days(client, union, chair):
    case = dispute(union, received_on=today() - timedelta(days=3))
    client.post(
        f"/admin/rights/disputes/{case.pk}/close/",
        {
            "outcome": "settled",
            "on": today().isoformat(),
            "agreement": "公司于月底前支付加班工资4000元",
            "applicant_confirmed": "on",
            "respondent_confirmed": "on",
        },
    )
    case.refresh_from_db()
    assert (case.outcome, case.days_to_close) == ("settled", 3)


def test_a_failed_mediation_records_the_arbitration_advice(client, union, chair):
    case = dispute(union, received_on=today() - timedelta(days=20))
    client.post(
        f"/admin/rights/disputes/{case.pk}/close/", {"outcome": "failed", "on": today().isoformat()}
    )
    case.refresh_from_db()
    assert case.arbitration_advised
    page = client.get(f"/admin/rights/disputecase/{case.pk}/change/").content.decode()
    assert "已告知申请人可向劳动人事争议仲裁委员会申请仲裁" in page
    assert "超过15日调解期限" in page


def test_closing_without_an_outcome_names_the_outcome(client, union, chair):
    case = dispute(union, received_on=today() - timedelta(days=3))
    response = client.post(
        f"/admin/rights/disputes/{case.pk}/close/", {"outcome": "", "on": today().isoformat()}
    )
    assert errors_of(response) == {"outcome": ["请选择结案结果"]}


def test_the_case_list_flags_open_cases_past_fifteen_days(client, union, chair):
    dispute(union, applicant="超期申请人", received_on=today() - timedelta(days=20))
    dispute(union, applicant="新申请人", received_on=today() - timedelta(days=2))
    page = client.get("/admin/rights/disputecase/?limit=open_over").content.decode()
    assert "超期申请人" in page
    assert "在办，已超过15日调解期限" in page
    assert "新申请人" not in page


# Consultations ---------------------------------------------------------------------------------------


def test_a_consultation_answered_on_the_spot_is_recorded(client, union, chair):
    client.post(
        "/admin/rights/consultation/add/",
        {
            "union": union.pk,
            "asker": "李娜",
            "asked_on": today().isoformat(),
            "topic": "hours",
            "question": "周末加班怎样计算加班费？",
            "outcome": "answered",
            "answer": "休息日加班不能安排补休的，按不低于工资的200%支付",
        },
    )
    assert Consultation.objects.get().outcome == "answered"


def test_a_referral_without_the_agency_is_refused(client, union, chair):
    response = client.post(
        "/admin/rights/consultation/add/",
        {
            "union": union.pk,
            "asker": "李娜",
            "asked_on": today().isoformat(),
            "topic": "injury",
            "question": "工伤认定怎么申请？",
            "outcome": "referred",
        },
    )
    assert errors_of(response) == {"referred_to": ["已转介时请填写转介机构"]}
    assert not Consultation.objects.exists()


def test_a_pending_consultation_is_referred_later(client, union, chair):
    asked = services.record_consultation(
        union=union, asker="李娜", asked_on=today(), topic="injury", question="工伤认定怎么申请？"
    )
    response = client.post(
        f"/admin/rights/consultations/{asked.pk}/answer/",
        {"outcome": "referred", "referred_to": "区法律援助中心", "handled_by": "陈红"},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.outcome, asked.referred_to) == ("referred", "区法律援助中心")


def test_an_answer_without_its_text_is_refused(client, union, chair):
    asked = services.record_consultation(
        union=union, asker="李娜", asked_on=today(), topic="wages", question="年终奖可以不发吗？"
    )
    response = client.post(
        f"/admin/rights/consultations/{asked.pk}/answer/", {"outcome": "answered", "answer": ""}
    )
    assert errors_of(response) == {"answer": ["已解答时请填写解答意见"]}
    asked.refresh_from_db()
    assert asked.outcome == "pending"


# Supervision ------------------------------------------------------------------------------------------


def _finding(union):
    return services.record_supervision(
        union=union,
        area="wages_on_time",
        checked_on=today() - timedelta(days=10),
        finding="十月工资延迟5天发放",
        compliant=False,
        recommendation="请按劳动合同约定日期足额支付工资",
        recommended_on=today() - timedelta(days=8),
    )


def test_a_finding_needs_the_written_recommendation(client, union, chair):
    response = client.post(
        "/admin/rights/supervisioncheck/add/",
        {
            "union": union.pk,
            "area": "hours",
            "checked_on": today().isoformat(),
            "finding": "生产线连续加班超过每月36小时",
            "compliant": "no",
        },
    )
    assert errors_of(response) == {
        "recommendation": ["发现问题时请填写工会监督意见书"],
        "recommended_on": ["发现问题时请填写意见书送达日期"],
    }
    assert not SupervisionCheck.objects.exists()


def test_a_compliant_check_is_recorded(client, union, chair):
    client.post(
        "/admin/rights/supervisioncheck/add/",
        {
            "union": union.pk,
            "area": "social_insurance",
            "checked_on": today().isoformat(),
            "finding": "社会保险按时足额缴纳",
            "compliant": "yes",
        },
    )
    assert SupervisionCheck.objects.get().compliant


def test_the_employers_response_is_recorded(client, union, chair):
    check = _finding(union)
    client.post(
        f"/admin/rights/supervision/{check.pk}/response/",
        {"response": "已调整发薪流程", "responded_on": today().isoformat()},
    )
    check.refresh_from_db()
    assert (check.response, check.resolved_on) == ("已调整发薪流程", None)


def test_a_response_before_the_recommendation_was_delivered_is_refused(client, union, chair):
    check = _finding(union)
    response = client.post(
        f"/admin/rights/supervision/{check.pk}/response/",
        {"response": "已调整", "responded_on": (today() - timedelta(days=9)).isoformat()},
    )
    assert errors_of(response)["responded_on"][0].startswith("答复日期不能早于意见书送达日期")
    check.refresh_from_db()
    assert check.responded_on is None


def test_a_finding_is_marked_resolved(client, union, chair):
    check = _finding(union)
    client.post(f"/admin/rights/supervision/{check.pk}/resolved/", {"on": today().isoformat()})
    check.refresh_from_db()
    assert check.resolved_on == today()


def test_a_finding_resolved_before_the_check_is_refused(client, union, chair):
    check = _finding(union)
    response = client.post(
        f"/admin/rights/supervision/{check.pk}/resolved/",
        {"on": (today() - timedelta(days=30)).isoformat()},
    )
    assert errors_of(response) == {"on": ["问题解决日期不能早于检查日期"]}


# Who may do what --------------------------------------------------------------------------------------


def test_a_viewer_reads_the_contract_page_without_step_buttons(client, union, viewer):
    found = voted(union)
    response = client.get(f"/admin/rights/contract/{found.pk}/change/")
    assert response.status_code == 200
    assert "登记签署" not in response.content.decode()


def test_a_viewer_cannot_write_anything(client, union, viewer):
    found = voted(union)
    case = dispute(union)
    asked = services.record_consultation(
        union=union, asker="李娜", asked_on=today(), topic="wages", question="年终奖？"
    )
    check = _finding(union)
    for url, data in [
        ("/admin/rights/contract/add/", {"union": union.pk, **CONTRACT}),
        (f"/admin/rights/contracts/{found.pk}/rounds/new/", ROUND),
        (f"/admin/rights/contracts/{found.pk}/sign/", {"on": "2025-01-15"}),
        ("/admin/rights/disputecase/add/", {"union": union.pk, **CASE}),
        (f"/admin/rights/disputes/{case.pk}/close/", {"outcome": "failed", "on": today()}),
        (f"/admin/rights/consultations/{asked.pk}/answer/", {"outcome": "aid"}),
        (f"/admin/rights/supervision/{check.pk}/resolved/", {"on": today()}),
    ]:
        assert client.post(url, data).status_code == 403, url
    found.refresh_from_db()
    case.refresh_from_db()
    assert found.signed_on is None and case.outcome == "open"
    assert Contract.objects.count() == 1 and DisputeCase.objects.count() == 1
    assert not NegotiationRound.objects.exists()


def test_another_unions_records_are_not_found(client, union, chair):
    other = UnionFactory()
    found = voted(other)
    case = dispute(other)
    asked = services.record_consultation(
        union=other, asker="外会咨询人", asked_on=today(), topic="wages", question="年终奖？"
    )
    check = _finding(other)
    for url in (
        f"/admin/rights/contract/{found.pk}/change/",
        f"/admin/rights/contracts/{found.pk}/rounds/new/",
        f"/admin/rights/contracts/{found.pk}/vote/",
        f"/admin/rights/contracts/{found.pk}/sign/",
        f"/admin/rights/contracts/{found.pk}/filing/",
        f"/admin/rights/contracts/{found.pk}/checks/new/",
        f"/admin/rights/disputecase/{case.pk}/change/",
        f"/admin/rights/disputes/{case.pk}/sessions/new/",
        f"/admin/rights/disputes/{case.pk}/close/",
        f"/admin/rights/consultations/{asked.pk}/answer/",
        f"/admin/rights/supervision/{check.pk}/response/",
        f"/admin/rights/supervision/{check.pk}/resolved/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
    response = client.post(f"/admin/rights/contracts/{found.pk}/sign/", {"on": "2025-01-15"})
    assert response.status_code == 404
    found.refresh_from_db()
    assert found.signed_on is None


def test_a_user_without_rights_permissions_cannot_open_the_add_page(client, union):
    client.force_login(user_with_role(union, Role.LIAISON))
    assert client.get("/admin/rights/contract/add/").status_code == 403
    assert client.get("/admin/rights/contracts/expiring/").status_code == 403


def test_a_lapsed_contract_without_a_successor_is_listed_until_one_is_registered(
    client, union, chair
):
    signed(
        union,
        title="上期女职工专项合同",
        kind="women",
        wage_increase=None,
        starts_on=date(2024, 1, 1),
        ends_on=today() - timedelta(days=30),
    )
    assert "上期女职工专项合同" in client.get("/admin/rights/contracts/expiring/").content.decode()
    contract(
        union, kind="women", wage_increase=None, starts_on=today(), ends_on=today() + timedelta(700)
    )
    assert (
        "上期女职工专项合同" not in client.get("/admin/rights/contracts/expiring/").content.decode()
    )


def test_the_answer_button_shows_only_while_a_consultation_is_pending(client, union, chair):
    asked = services.record_consultation(
        union=union, asker="李娜", asked_on=today(), topic="wages", question="年终奖可以不发吗？"
    )
    page = f"/admin/rights/consultation/{asked.pk}/change/"
    assert "答复或转介" in client.get(page).content.decode()
    services.answer_consultation(consultation=asked, outcome="answered", answer="视劳动合同约定")
    assert "答复或转介" not in client.get(page).content.decode()


def test_the_written_recommendation_prints_addressed_to_the_employer(client, union, chair):
    contract(union, employer="华东精密机械有限公司")
    check = _finding(union)
    page = client.get(f"/admin/rights/supervision/{check.pk}/letter/").content.decode()
    assert "劳动法律监督意见书" in page
    assert "华东精密机械有限公司：" in page
    assert "请按劳动合同约定日期足额支付工资" in page
    assert "size: A4" in page


def test_a_compliant_check_has_no_letter(client, union, chair):
    check = services.record_supervision(
        union=union, area="women", checked_on=today(), finding="女职工特殊保护落实", compliant=True
    )
    assert client.get(f"/admin/rights/supervision/{check.pk}/letter/").status_code == 404


def test_another_unions_letter_is_not_found(client, union, chair):
    check = _finding(UnionFactory())
    assert client.get(f"/admin/rights/supervision/{check.pk}/letter/").status_code == 404
