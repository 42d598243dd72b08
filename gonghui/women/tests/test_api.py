"""The women's endpoints: four-period records only for the women's
committee, check-up lists and coverage, insurance paid from a line."""

import uuid
from datetime import date

import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.finance.models import Payment
from gonghui.finance.tests.factories import staff
from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.women.tests.factories import plan, protection, woman, women_committee

pytestmark = pytest.mark.django_db


def test_the_chair_opening_a_four_period_record_is_refused_in_chinese():
    record = protection(woman())
    key = token_for(staff(record.union))
    response = call("post", f"women/protection/{record.pk}/open", key, {"reason": "了解情况"})
    assert response.status_code == 403
    assert response.json()["detail"] == "四期保护记录仅限女职工委员会委员和本人查看，您没有查看权限"
    assert not AccessLog.objects.exists()


def test_the_chair_cannot_list_four_period_records():
    record = protection(woman())
    assert call("get", "women/protection", token_for(staff(record.union))).status_code == 403


def test_the_women_committee_lists_records_masked_and_opens_one_logged():
    record = protection(woman(), arrangements="调离夜班")
    key = token_for(women_committee(record.union))
    listed = call("get", "women/protection", key).json()["items"][0]
    assert listed["period"] == "已记录（已隐藏）" and "arrangements" not in listed
    opened = call("post", f"women/protection/{record.pk}/open", key, {"reason": "安排岗位"}).json()
    assert opened["arrangements"] == "调离夜班"
    assert AccessLog.objects.get().reason == "安排岗位"


def test_the_women_committee_of_another_union_gets_not_found():
    record = protection(woman())
    key = token_for(women_committee(UnionFactory()))
    response = call("post", f"women/protection/{record.pk}/open", key, {"reason": "查看"})
    assert response.status_code == 404


def test_a_member_reads_her_own_records():
    union = UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = woman(union, user=user)
    protection(member, arrangements="工间休息")
    body = call("get", "women/me", token_for(user)).json()
    assert body["protection"][0]["arrangements"] == "工间休息"


def test_a_campaign_lists_the_eligible_and_counts_coverage():
    union = UnionFactory()
    older = woman(union, birth_date=date(1975, 1, 1))
    woman(union, birth_date=date(2000, 1, 1))
    key = token_for(staff(union))
    created = call(
        "post",
        "women/campaigns",
        key,
        {
            "union": union.pk,
            "year": 2025,
            "kind": "gynaecological",
            "title": "妇科检查",
            "starts_on": "2025-04-01",
            "ends_on": "2025-04-30",
            "min_age": 40,
        },
    ).json()
    assert created["eligible"] == 1
    done = call(
        "post",
        f"women/campaigns/{created['id']}/checkups",
        key,
        {"members": [older.pk], "done_on": "2025-04-08"},
    ).json()
    assert done["coverage"] == 100.0


def test_enrolling_through_the_api_pays_once_per_key():
    union = UnionFactory()
    found = plan(union)
    key = token_for(staff(union))
    body = {
        "members": [woman(union).pk, woman(union).pk],
        "enrolled_on": "2025-03-08",
        "voucher": "记-12",
        "idempotency_key": uuid.uuid4().hex,
    }
    first = call("post", f"women/plans/{found.pk}/enrolments", key, body)
    second = call("post", f"women/plans/{found.pk}/enrolments", key, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert Payment.objects.get().amount == 120
