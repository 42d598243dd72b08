"""Members who left longer ago than the union's retention period are listed,
and a chair removes their identity while every statistic stays the same."""

import io
import json
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from gonghui import idcard
from gonghui.care.tests.factories import case
from gonghui.members import services as members
from gonghui.members.models import Member, Status
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.models import AccessLog
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.privacy import services
from gonghui.privacy.models import Anonymisation
from gonghui.reports import registry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def leaver(union=None, *, left_on=date(2019, 6, 30), to=Status.TRANSFERRED, seq=1, name="周晓燕"):
    """A woman born 12 March 1985, with a portal account, who left on `left_on`."""
    union = union or UnionFactory()
    user = user_with_role(union, Role.MEMBER, password=None)
    member = members.create_member(
        union=union,
        name=name,
        id_number=idcard.make("330206", date(1985, 3, 12), seq, "F"),
        phone=f"1390574{seq:04d}",
        employee_number="T-031",
        gender="F",
        joined_on=date(2010, 9, 1),
        group=GroupFactory(union=union),
    )
    member.user = user
    member.save()
    members.change_status(member=member, to=to, on=left_on, reason="调往外区")
    member.refresh_from_db()
    return member


def chair_of(union):
    return user_with_role(union, Role.CHAIR)


def test_a_member_who_left_more_than_the_period_ago_is_due():
    member = leaver()
    services.set_retention(union=member.union, years=5, actor=chair_of(member.union))
    assert list(services.due_members(union=member.union, today=TODAY)) == [member]


def test_a_member_who_left_within_the_period_is_not_due():
    member = leaver(left_on=date(2023, 1, 1))
    assert list(services.due_members(union=member.union, today=TODAY)) == []


def test_a_member_on_the_roll_is_never_due():
    member = MemberFactory(joined_on=date(2000, 1, 1))
    assert list(services.due_members(union=member.union, today=TODAY)) == []


def test_a_shorter_retention_period_brings_members_due_sooner():
    member = leaver(left_on=date(2023, 1, 1))
    services.set_retention(union=member.union, years=3, actor=chair_of(member.union))
    assert list(services.due_members(union=member.union, today=TODAY)) == [member]


@pytest.mark.parametrize("years", [0, 101, -1, "5", None, True])
def test_a_retention_period_outside_one_to_a_hundred_years_is_refused(years):
    union = UnionFactory()
    with pytest.raises(ValidationError, match="1至100之间的整数"):
        services.set_retention(union=union, years=years, actor=chair_of(union))


def test_only_a_chair_sets_the_retention_period():
    union = UnionFactory()
    with pytest.raises(PermissionDenied):
        services.set_retention(union=union, years=3, actor=user_with_role(union, Role.COMMITTEE))


def test_anonymising_removes_name_id_number_phone_and_birth_day():
    member = leaver()
    done = services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)
    member.refresh_from_db()
    assert member.name == "已匿名会员1" == str(done)
    assert (member.id_number, member.phone, member.employee_number) == ("", "", "")
    assert member.phone_digest == "" and member.id_number_digest == f"anonymised-{member.pk}"
    assert member.birth_date == date(1985, 3, 1)
    assert services.settings_of(member.union).retention_years == done.retention_years


def test_anonymising_keeps_what_statistics_count():
    member = leaver()
    before = Member.objects.filter(pk=member.pk).values(
        "gender", "joined_on", "left_on", "status", "group_id", "union_id"
    )[0]
    services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)
    after = Member.objects.filter(pk=member.pk).values(*before)[0]
    assert after == before


def test_anonymising_deactivates_and_unlinks_the_portal_account():
    member = leaver()
    user_id = member.user_id
    services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)
    user = get_user_model().objects.get(pk=user_id)
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"anonymised-{member.pk}"
    member.refresh_from_db()
    assert member.user_id is None


def test_anonymising_clears_health_details_and_the_name_in_the_access_log():
    union = UnionFactory()
    member = MemberFactory(union=union, name="钱多多", joined_on=date(2010, 1, 1))
    filed = case(member, health_details="肝硬化", filed_on=date(2015, 1, 1))
    members.reveal(member=member, field="phone", reason="联系本人", user=chair_of(union))
    members.change_status(member=member, to=Status.RETIRED, on=date(2018, 1, 1), reason="退休")
    services.anonymise(member=member, actor=chair_of(union), today=TODAY)
    filed.refresh_from_db()
    assert filed.health_details == ""
    assert not AccessLog.objects.filter(subject="钱多多").exists()


def test_the_audit_log_keeps_no_old_name_of_an_anonymised_member():
    member = leaver(name="欧阳娜娜")
    services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)
    for entry in LogEntry.objects.all():
        text = json.dumps(
            [entry.object_repr, entry.changes, entry.serialized_data], ensure_ascii=False
        )
        assert "欧阳娜娜" not in text and member.phone not in text


def test_anonymised_members_are_numbered_in_turn_within_the_union():
    union = UnionFactory()
    first = leaver(union, seq=1)
    second = leaver(union, seq=2, name="孙丽")
    chair = chair_of(union)
    services.anonymise(member=first, actor=chair, today=TODAY)
    assert str(services.anonymise(member=second, actor=chair, today=TODAY)) == "已匿名会员2"


def test_anonymising_a_member_on_the_roll_is_refused():
    member = MemberFactory(joined_on=date(2000, 1, 1))
    with pytest.raises(ValidationError, match="仍在册"):
        services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)
    member.refresh_from_db()
    assert member.name != "已匿名会员1" and not Anonymisation.objects.exists()


def test_anonymising_before_the_retention_period_ends_is_refused_with_the_day_it_may():
    member = leaver(left_on=date(2023, 1, 1))
    with pytest.raises(ValidationError, match="2028年01月01日起方可匿名化"):
        services.anonymise(member=member, actor=chair_of(member.union), today=TODAY)


def test_anonymising_twice_is_refused():
    member = leaver()
    chair = chair_of(member.union)
    services.anonymise(member=member, actor=chair, today=TODAY)
    with pytest.raises(ValidationError, match="已经匿名化"):
        services.anonymise(member=member, actor=chair, today=TODAY)


def test_a_committee_member_cannot_anonymise():
    member = leaver()
    with pytest.raises(PermissionDenied):
        services.anonymise(
            member=member, actor=user_with_role(member.union, Role.COMMITTEE), today=TODAY
        )


def test_every_registered_figure_is_the_same_before_and_after_anonymising():
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union, joined_on=date(2012, 1, 1))
    gone = [
        leaver(union, seq=n, name=name, left_on=date(2018, 3, n))
        for n, name in ((1, "离会甲"), (2, "离会乙"))
    ]
    periods = [Period.year(2018), Period.year(2026), Period(date(2010, 1, 1), TODAY)]

    def figures():
        out = {}
        for m in registry.all_metrics():
            for p in periods:
                try:
                    out[(m.key, str(p))] = m.value([union.pk], p)
                except Exception as e:  # noqa: BLE001 - a figure that fails must fail alike
                    out[(m.key, str(p))] = type(e).__name__
        return out

    before = figures()
    chair = chair_of(union)
    for m in gone:
        services.anonymise(member=m, actor=chair, today=TODAY)
    assert figures() == before


def test_the_scheduled_command_lists_due_members_without_their_names():
    member = leaver(name="吴倩")
    out = io.StringIO()
    call_command("privacy_due", "--today", "2026-11-26", stdout=out)
    text = out.getvalue()
    assert f"会员{member.pk}" in text and "共1人" in text
    assert "吴倩" not in text


def test_the_scheduled_command_speaks_json():
    member = leaver()
    out = io.StringIO()
    call_command(
        "privacy_due", "--json", "--union", member.union.code, "--today", "2026-11-26", stdout=out
    )
    assert json.loads(out.getvalue())["members"][0]["member_id"] == member.pk


def test_the_scheduled_command_refuses_a_bad_date_and_an_unknown_union():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="格式不正确"):
        call_command("privacy_due", "--today", "26/11/2026")
    with pytest.raises(CommandError, match="没有编码为"):
        call_command("privacy_due", "--union", "nope")
