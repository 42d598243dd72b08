"""School aid, festival gifts with the yearly cap, medical mutual aid."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.care import queries, services
from gonghui.care.models import AidState, FestivalDistribution, MutualAidEnrolment, SchoolAid
from gonghui.care.tests.factories import care_line
from gonghui.finance.queries import payments_for
from gonghui.finance.tests.factories import staff
from gonghui.members.models import Gender, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

pytestmark = pytest.mark.django_db


def apply(member, **kwargs):
    return services.apply_school_aid(
        member=member,
        child_name=kwargs.pop("child_name", "李小雨"),
        school=kwargs.pop("school", "浙江大学"),
        grade=kwargs.pop("grade", "大一"),
        new_admission=kwargs.pop("new_admission", True),
        applied_on=kwargs.pop("applied_on", date(2025, 8, 20)),
    )


def test_approving_school_aid_pays_the_amount():
    line = care_line()
    aid = apply(MemberFactory(union=line.union))
    services.approve_school_aid(
        aid=aid,
        amount=Decimal("2000"),
        on=date(2025, 9, 1),
        line=line,
        voucher="记-401",
        actor=staff(line.union),
    )
    assert (aid.state, aid.amount) == (AidState.APPROVED, Decimal("2000.00"))
    assert payments_for(aid).get().amount == Decimal("2000.00")


def test_declining_school_aid_needs_a_reason():
    aid = apply(MemberFactory())
    with pytest.raises(ValidationError) as e:
        services.decline_school_aid(aid=aid, on=date(2025, 9, 1), reason="", actor=None)
    assert e.value.message_dict["reason"] == ["请填写未批准的理由"]
    aid.refresh_from_db()
    assert aid.state == AidState.PENDING


def test_a_declined_application_cannot_then_be_approved():
    line = care_line()
    aid = apply(MemberFactory(union=line.union))
    services.decline_school_aid(aid=aid, on=date(2025, 9, 1), reason="不符合条件", actor=None)
    with pytest.raises(ValidationError) as e:
        services.approve_school_aid(
            aid=aid,
            amount=Decimal("100"),
            on=date(2025, 9, 2),
            line=line,
            voucher="x",
            actor=staff(line.union),
        )
    assert e.value.message_dict["aid"] == ["该申请已未批准，不能再审批"]
    assert SchoolAid.objects.get().amount is None


def gifts(union, members, amount, *, on=date(2025, 1, 20), **kwargs):
    return services.distribute_gifts(
        union=union,
        occasion=kwargs.pop("occasion", "spring"),
        on=on,
        amount_per_person=Decimal(amount),
        members=members,
        **kwargs,
    )


def test_a_distribution_totals_the_amount_per_person():
    union = UnionFactory()
    members = MemberFactory.create_batch(3, union=union)
    given = gifts(union, members, "300.50")
    assert given.total == Decimal("901.50")
    assert given.recipients.count() == 3
    assert not given.over_cap


def test_a_distribution_that_takes_someone_over_the_cap_needs_a_reason_naming_them():
    union = UnionFactory()
    services.update_settings(
        union=union, hardship_income_threshold="1500", festival_gift_cap_per_year="1000"
    )
    zhang, li = MemberFactory(union=union, name="张三"), MemberFactory(union=union, name="李四")
    gifts(union, [zhang], "800")
    with pytest.raises(ValidationError) as e:
        gifts(union, [zhang, li], "300", on=date(2025, 9, 15), occasion="mid_autumn")
    assert e.value.message_dict["over_cap_reason"] == [
        "以下会员2025年节日慰问将超过本会年度限额1000.00元，请填写超限理由："
        "张三（已发800.00元，本次后1100.00元）"
    ]
    assert FestivalDistribution.objects.count() == 1
    flagged = gifts(
        union, [zhang, li], "300", on=date(2025, 9, 15), over_cap_reason="张三另有生日慰问"
    )
    assert flagged.over_cap
    assert flagged.over_cap_members == "张三（已发800.00元，本次后1100.00元）"


def test_last_years_gifts_do_not_count_toward_this_years_cap():
    union = UnionFactory()
    member = MemberFactory(union=union)
    gifts(union, [member], "1500", on=date(2024, 12, 20))
    assert not gifts(union, [member], "1500").over_cap


def test_a_distribution_paid_from_a_line_books_its_total():
    line = care_line()
    members = MemberFactory.create_batch(2, union=line.union)
    given = gifts(line.union, members, "150", line=line, voucher="记-501", actor=staff(line.union))
    assert payments_for(given).get().amount == Decimal("300.00")


def test_the_roster_filters_choose_active_members_of_the_groups_and_gender():
    union = UnionFactory()
    group = GroupFactory(union=union)
    woman = MemberFactory(union=union, group=group, gender=Gender.FEMALE)
    MemberFactory(union=union, group=group, gender=Gender.MALE)
    MemberFactory(union=union, gender=Gender.FEMALE)
    MemberFactory(union=union, group=group, gender=Gender.FEMALE, status=Status.RETIRED)
    chosen = queries.festival_candidates(union=union, groups=[group], gender=Gender.FEMALE)
    assert list(chosen) == [woman]


def test_a_member_enrols_in_mutual_aid_once_a_year():
    member = MemberFactory(name="陈静")
    services.enrol_mutual_aid(
        member=member, year=2025, premium=Decimal("60"), enrolled_on=date(2025, 1, 5)
    )
    with pytest.raises(ValidationError) as e:
        services.enrol_mutual_aid(
            member=member, year=2025, premium=Decimal("60"), enrolled_on=date(2025, 2, 5)
        )
    assert e.value.message_dict["year"] == ["陈静已参加2025年度医疗互助，不能重复参保"]
    assert MutualAidEnrolment.objects.count() == 1


def test_a_distribution_submitted_twice_with_one_key_is_written_once():
    union = UnionFactory()
    members = MemberFactory.create_batch(2, union=union)
    first = gifts(union, members, "100", idempotency_key="gift-key-1")
    second = gifts(union, members, "100", idempotency_key="gift-key-1")
    assert first.pk == second.pk
    assert FestivalDistribution.objects.count() == 1


def test_the_same_key_in_another_union_is_a_separate_distribution():
    one, other = UnionFactory(), UnionFactory()
    gifts(one, [MemberFactory(union=one)], "100", idempotency_key="gift-key-2")
    gifts(other, [MemberFactory(union=other)], "100", idempotency_key="gift-key-2")
    assert FestivalDistribution.objects.count() == 2
