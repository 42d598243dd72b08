"""An activity's budget line: only its own union's expenditure lines of its
year, and contest prizes paid from it in the same transaction as the result."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, ActivityType, AwardLevel, Result
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.finance.models import Category, Payment
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import BudgetLineFactory, staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db

CONTEST_DAY = timezone.make_aware(datetime(2025, 5, 20, 14, 0))


def activity_fields(**overrides):
    data = {
        "title": "教职工羽毛球赛",
        "type": ActivityType.CONTEST,
        "starts_at": CONTEST_DAY,
        "ends_at": CONTEST_DAY + timedelta(hours=3),
    }
    data.update(overrides)
    return data


def contest_with_line(planned="1000.00"):
    line = BudgetLineFactory(planned=Decimal(planned))
    activity = ActivityFactory(
        union=line.union,
        starts_at=CONTEST_DAY,
        signup_opens_at=None,
        signup_closes_at=None,
        budget_line=line,
    )
    return activity, line


def prize(activity, cost, **kwargs):
    return services.record_result(
        activity=activity,
        member=kwargs.pop("member", None) or MemberFactory(union=activity.union),
        award_level=AwardLevel.FIRST_PRIZE,
        rank=1,
        prize="羽毛球拍",
        cost=cost,
        voucher=kwargs.pop("voucher", "记-501"),
        actor=kwargs.pop("actor", None) or staff(activity.union),
        **kwargs,
    )


def test_an_activity_is_created_with_its_unions_expenditure_line():
    line = BudgetLineFactory()
    activity = services.create_activity(union=line.union, **activity_fields(budget_line=line))
    assert activity.budget_line == line


def test_a_budget_line_of_another_union_is_refused():
    line = BudgetLineFactory()
    union = UnionFactory()
    with pytest.raises(ValidationError) as caught:
        services.create_activity(union=union, **activity_fields(budget_line=line))
    assert caught.value.message_dict == {"budget_line": ["所选预算科目不属于本工会"]}
    assert not Activity.objects.filter(union=union).exists()


def test_an_income_line_is_refused_as_an_activitys_budget_line():
    line = BudgetLineFactory(category=Category.DUES, name="会费收入")
    with pytest.raises(ValidationError) as caught:
        services.create_activity(union=line.union, **activity_fields(budget_line=line))
    assert caught.value.message_dict["budget_line"] == [
        "“会费收入”不是支出科目，活动费用只能从支出科目列支"
    ]


def test_a_budget_line_of_another_year_is_refused():
    line = BudgetLineFactory(name="文体活动费")
    later = CONTEST_DAY.replace(year=2026)
    with pytest.raises(ValidationError) as caught:
        services.create_activity(
            union=line.union,
            **activity_fields(
                starts_at=later, ends_at=later + timedelta(hours=1), budget_line=line
            ),
        )
    assert caught.value.message_dict["budget_line"] == [
        "“文体活动费”是2025年度的预算科目，活动在2026年举办，请选择同一年度的科目"
    ]


def test_changing_an_activity_to_another_unions_line_is_refused():
    activity = ActivityFactory(starts_at=CONTEST_DAY, signup_opens_at=None, signup_closes_at=None)
    with pytest.raises(ValidationError) as caught:
        services.update_activity(activity=activity, budget_line=BudgetLineFactory())
    assert caught.value.message_dict == {"budget_line": ["所选预算科目不属于本工会"]}
    activity.refresh_from_db()
    assert activity.budget_line is None


def test_a_prize_cost_is_paid_from_the_activitys_line_and_the_line_moves():
    activity, line = contest_with_line()
    result = prize(activity, "300.00")
    payment = payments_for(result).get()
    assert (payment.amount, payment.line, payment.on) == (
        Decimal("300.00"),
        line,
        CONTEST_DAY.date(),
    )
    line.refresh_from_db()
    assert line.actual == Decimal("300.00")


def test_a_prize_over_budget_without_a_reason_refuses_the_result_and_the_payment():
    activity, line = contest_with_line(planned="100.00")
    with pytest.raises(ValidationError) as caught:
        prize(activity, "150.00")
    assert "over_budget_reason" in caught.value.message_dict
    assert not Result.objects.filter(activity=activity).exists()
    assert not Payment.objects.filter(union=activity.union).exists()
    line.refresh_from_db()
    assert line.actual == Decimal("0.00")


def test_a_prize_over_budget_with_a_reason_is_paid_and_flagged():
    activity, _ = contest_with_line(planned="100.00")
    result = prize(activity, "150.00", over_budget_reason="决赛增设奖项")
    assert payments_for(result).get().over_budget


def test_a_prize_paid_from_a_line_needs_a_voucher():
    activity, _ = contest_with_line()
    with pytest.raises(ValidationError) as caught:
        prize(activity, "50", voucher=" ")
    assert caught.value.message_dict == {
        "voucher": ["奖品费用将从活动的预算科目列支，请填写凭证号"]
    }
    assert not Result.objects.exists()


def test_a_result_without_a_cost_writes_no_payment():
    activity, _ = contest_with_line()
    prize(activity, None)
    assert not Payment.objects.exists()


def test_a_result_of_an_activity_without_a_line_writes_no_payment():
    activity = ActivityFactory(starts_at=CONTEST_DAY, signup_opens_at=None, signup_closes_at=None)
    prize(activity, "80")
    assert not Payment.objects.exists()


def test_the_admin_form_offers_only_the_activitys_unions_expenditure_lines_of_its_year(client):
    activity, line = contest_with_line()
    BudgetLineFactory(fiscal_year=line.fiscal_year, category=Category.DUES, name="会费收入")
    BudgetLineFactory(fiscal_year__union=line.union, fiscal_year__year=2026, name="明年文体费")
    BudgetLineFactory(name="别的工会文体费")
    client.force_login(user_with_role(line.union))
    form = client.get(f"/admin/activities/activity/{activity.pk}/change/").context["adminform"]
    assert list(form.form.fields["budget_line"].queryset) == [line]


def test_a_prize_entered_on_the_activity_page_is_paid_from_its_line(client):
    activity, line = contest_with_line()
    winner = MemberFactory(union=activity.union)
    client.force_login(user_with_role(activity.union))
    client.post(
        f"/admin/activities/{activity.pk}/results/",
        {
            "member": winner.pk,
            "rank": 1,
            "award_level": "first_prize",
            "cost": "120",
            "voucher": "记-9",
        },
    )
    assert payments_for(activity.results.get()).get().amount == Decimal("120.00")
