"""维权 endpoints: a contract from rounds to filing, mediation, consultations,
supervision; refusals in Chinese; other unions' records not found."""

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.rights.models import DisputeCase
from gonghui.rights.tests.factories import dispute

pytestmark = pytest.mark.django_db


def _messages(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.fixture
def desk():
    union = UnionFactory()
    return union, token_for(user_with_role(union, Role.CHAIR))


def test_a_wage_contract_goes_from_four_rounds_to_filing(desk):
    union, key = desk
    made = call(
        "post",
        "rights/contracts",
        key,
        {
            "union": union.pk,
            "kind": "wage",
            "title": "2025年工资专项集体合同",
            "employer": "某公司",
            "union_chief": "王建国",
            "employer_chief": "李志强",
            "starts_on": "2025-01-01",
            "ends_on": "2026-12-31",
            "wage_increase": "6",
        },
    )
    assert made.status_code == 201, made.content
    path = f"rights/contracts/{made.json()['id']}"
    for day in ("2024-11-01", "2024-11-15", "2024-11-29", "2024-12-13"):
        response = call(
            "post",
            f"{path}/rounds",
            key,
            {
                "held_on": day,
                "union_side": "职工方5人",
                "employer_side": "企业方5人",
                "issues": "工资增幅",
            },
        )
        assert response.status_code == 201, response.content
    call("post", f"{path}/drafts", key, {"prepared_on": "2024-12-14", "text": "草案"})
    voted = call(
        "post",
        f"{path}/vote",
        key,
        {
            "on": "2024-12-20",
            "votes_for": 98,
            "votes_against": 2,
            "votes_abstain": 1,
        },
    )
    assert voted.json()["vote_passed"] is True
    call("post", f"{path}/sign", key, {"on": "2024-12-25"})
    early = call("post", f"{path}/filing", key, {"filed_with": "区人社局", "on": "2024-12-24"})
    assert early.status_code == 400
    assert "早于签署日期" in _messages(early)["on"]
    filed = call("post", f"{path}/filing", key, {"filed_with": "区人社局", "on": "2024-12-30"})
    assert filed.json()["stage"] == "已备案"
    assert [r["number"] for r in filed.json()["rounds"]] == [1, 2, 3, 4]


def test_a_settlement_without_the_respondents_confirmation_is_refused(desk):
    union, key = desk
    case = dispute(union=union)
    response = call(
        "post",
        f"rights/disputes/{case.pk}/close",
        key,
        {
            "outcome": "settled",
            "on": "2025-03-05",
            "agreement": "支付4000元",
            "applicant_confirmed": True,
        },
    )
    assert response.status_code == 400
    assert "被申请人尚未确认" in _messages(response)["respondent_confirmed"]
    assert DisputeCase.objects.get().outcome == "open"


def test_a_dispute_is_received_and_mediated_through_the_api(desk):
    union, key = desk
    made = call(
        "post",
        "rights/disputes",
        key,
        {
            "union": union.pk,
            "applicant": "张伟",
            "respondent": "某公司",
            "claims": ["dismissal"],
            "claim_detail": "违法解除",
            "received_on": "2025-03-01",
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    call(
        "post",
        f"rights/disputes/{pk}/sessions",
        key,
        {"held_on": "2025-03-03", "notes": "首次调解"},
    )
    closed = call(
        "post", f"rights/disputes/{pk}/close", key, {"outcome": "failed", "on": "2025-03-10"}
    )
    body = closed.json()
    assert body["outcome_label"] == "调解不成" and body["arbitration_advised"]
    assert body["days_to_close"] == 9 and len(body["sessions"]) == 1


def test_a_consultation_is_answered_through_the_api(desk):
    union, key = desk
    made = call(
        "post",
        "rights/consultations",
        key,
        {
            "union": union.pk,
            "asker": "刘芳",
            "asked_on": "2025-05-06",
            "topic": "women",
            "question": "产假多少天？",
        },
    )
    assert made.status_code == 201, made.content
    answered = call(
        "post",
        f"rights/consultations/{made.json()['id']}/answer",
        key,
        {"outcome": "answered", "answer": "98天起"},
    )
    assert answered.json()["outcome_label"] == "已解答"


def test_a_supervision_finding_without_recommendation_is_refused(desk):
    union, key = desk
    response = call(
        "post",
        "rights/supervision",
        key,
        {
            "union": union.pk,
            "area": "minors",
            "checked_on": "2025-06-01",
            "finding": "安排未成年工夜班",
            "compliant": False,
        },
    )
    assert response.status_code == 400
    assert _messages(response)["recommendation"] == "发现问题时请填写工会监督意见书"


def test_another_unions_dispute_is_not_found(desk):
    _, key = desk
    case = dispute()
    assert call("get", f"rights/disputes/{case.pk}", key).status_code == 404
    closing = call(
        "post", f"rights/disputes/{case.pk}/close", key, {"outcome": "failed", "on": "2025-03-10"}
    )
    assert closing.status_code == 404
