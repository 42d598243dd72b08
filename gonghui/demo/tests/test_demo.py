import random
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from gonghui import encryption, idcard
from gonghui.demo import plans, scales
from gonghui.demo.builder import draft_members
from gonghui.demo.logins import DEMO_PASSWORD, demo_member
from gonghui.demo.people import PersonMaker
from gonghui.demo.tests.dates import TODAY
from gonghui.members import names
from gonghui.members.models import Application, Member, Status, StatusChange
from gonghui.orgs.models import Group, Post, PostKind, Union
from gonghui.periods import Period
from gonghui.reports import registry

# The school comes from conftest.py, built once for this module.


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(username, password):
    return authenticate(RequestFactory().post("/"), username=username, password=password)


def test_the_school_union_sits_under_the_district_education_union(school):
    assert school.kind == "school"
    assert school.parent.name == "北仑区教育工会"
    assert school.parent.parent.name == "宁波市北仑区总工会"
    assert Union.objects.get(code="nb").path == "/nb/"
    assert school.path == "/nb/nb-bl/nb-bl-edu/nb-bl-school/"


def test_the_school_has_eight_led_groups_and_about_120_active_members(school):
    groups = Group.objects.filter(union=school)
    assert {g.name for g in groups} >= {"语文组", "数学组", "英语组", "综合组", "后勤组", "行政组"}
    assert groups.count() == 8
    assert all(g.leader_id and g.leader.status == Status.ACTIVE for g in groups)
    active = Member.objects.filter(union=school, status=Status.ACTIVE).count()
    assert 110 <= active <= 130
    assert school.headcount >= active


def test_the_membership_rate_and_year_on_year_figures_are_realistic(school):
    this_year = Period(date(2026, 1, 1), TODAY)
    rate = registry.value("members.membership_rate", [school.id], this_year)
    assert 85 <= rate < 100
    for period in (this_year, this_year.a_year_earlier()):
        assert registry.value("members.joined", [school.id], period) > 0
        assert registry.value("members.left", [school.id], period) > 0


def test_every_demo_id_number_is_valid_and_agrees_with_birth_date_and_gender(school):
    for m in Member.objects.filter(union=school):
        number, birth, gender = idcard.parse(m.id_number)
        assert (birth, gender) == (m.birth_date, m.gender)


def test_demo_rows_keep_the_digests_and_pinyin_the_services_would_write(school):
    for m in Member.objects.filter(union=school):
        assert m.id_number_digest == encryption.digest(m.id_number)
        assert m.phone_digest == encryption.digest(m.phone)
        assert m.search_text == names.search_text(m.name)
        assert m.name_initials == names.initials(m.name)


def test_id_numbers_are_stored_encrypted(school):
    from django.db import connection

    member = Member.objects.filter(union=school).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_member WHERE id = %s", [member.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert member.id_number not in stored_id
    assert member.phone not in stored_phone


def test_every_member_has_a_joining_change_and_every_leaver_a_dated_leaving_change(school):
    for m in Member.objects.filter(union=school).prefetch_related("status_changes"):
        changes = list(m.status_changes.all())
        assert changes[0].reason == "入会" and changes[0].on == m.joined_on
        if m.status == Status.ACTIVE:
            assert m.left_on is None and len(changes) == 1
        else:
            assert m.left_on == changes[-1].on == m.status_since
            assert changes[-1].to_status == m.status and changes[-1].reason
            assert date(2025, 1, 1) <= m.left_on <= TODAY


def test_the_current_term_has_a_chair_and_the_other_committee_posts(school):
    kinds = set(Post.objects.filter(union=school, term__number=3).values_list("kind", flat=True))
    assert {
        PostKind.CHAIR,
        PostKind.VICE_CHAIR,
        PostKind.COMMITTEE,
        PostKind.AUDIT_HEAD,
        PostKind.WOMEN_HEAD,
    } <= kinds
    women_posts = Post.objects.filter(union=school, kind__startswith="women")
    assert all(p.member.gender == "F" for p in women_posts)


def test_the_school_has_pending_applications_to_join(school):
    assert Application.objects.filter(union=school, state="pending").count() == 3


def test_the_demo_staff_accounts_sign_in_with_the_demo_password(school):
    for username in ("chair", "liaison", "district"):
        user = _sign_in(username, DEMO_PASSWORD)
        assert user is not None and user.is_staff


def test_the_demo_member_signs_in_to_the_portal_with_their_phone(school):
    member = demo_member()
    assert member.union == school
    assert _sign_in(member.phone, DEMO_PASSWORD) == member.user


def test_the_same_seed_draws_the_same_people_and_dates_and_another_seed_does_not():
    def draw(seed):
        rng = random.Random(seed)
        plan = plans.school(rng)
        drafts = draft_members(plan, PersonMaker(rng), TODAY)
        return [(d.person, d.group, d.joined_on, d.leaves) for d in drafts]

    assert draw(7) == draw(7)
    assert draw(7) != draw(8)


def test_the_demo_command_refuses_to_build_a_scale_twice(school):
    with pytest.raises(CommandError, match="已存在"):
        call_command("demo", scale="s", stdout=StringIO())


def test_a_small_enterprise_builds_through_the_enterprise_path(db):
    union = scales.build_medium(seed=1, today=TODAY, members=600)
    assert Member.objects.filter(union=union).count() == 600
    assert 190 <= Group.objects.filter(union=union).count() <= 210
    assert StatusChange.objects.filter(union=union, reason="入会").count() == 600
    assert _sign_in("enterprise", DEMO_PASSWORD) is not None


def test_a_small_city_builds_through_the_federation_path(db):
    city = scales.build_large(seed=1, today=TODAY, unions=12, members=900, with_ledgers=False)
    grassroots = Union.objects.filter(code__startswith="nb-l-")
    assert grassroots.count() == 12
    assert all(u.path.startswith(city.path) for u in grassroots)
    assert Member.objects.filter(union__in=grassroots).count() == 900
