"""A congress day end to end in the browser: the desk signs representatives in
on the list, one scans the hall's QR code on a phone, the quorum updates live,
the motion is voted, the session closes and its results are published."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.democracy.models import ResolutionState, SessionAttendance, SignInMethod, VoteMode
from gonghui.democracy.services import congress as services
from gonghui.democracy.tests.congress_factories import congress_with_representatives, session_of
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_a_congress_day_from_sign_in_through_quorum_to_a_passed_resolution(page, phone_page):
    congress, reps = congress_with_representatives(6)
    session = session_of(congress, date=timezone.localdate())
    services.add_agenda_item(
        session=session, kind="work_report", title="校长工作报告", presenter="张校长"
    )
    services.add_agenda_item(
        session=session,
        kind="motion",
        title="学校绩效工资分配方案",
        vote_mode=VoteMode.OPEN,
        resolution_text="审议通过学校绩效工资分配方案",
    )
    chair = user_with_role(congress.union, Role.CHAIR)
    _log_in(page, chair)
    day_url = f"{page.base}/admin/democracy/sessions/{session.pk}/"

    page.goto(day_url)
    page.get_by_role("button", name="宣布开幕，开始签到").click()
    page.locator("#session-state", has_text="正在召开").wait_for()
    for rep in reps[:4]:
        page.get_by_label(f"{rep.member.name}到会").check()
    page.get_by_role("button", name="保存签到").click()
    page.get_by_text("签到名单已保存").wait_for()
    assert "未达到法定人数" in page.locator("#quorum-state").inner_text()

    # The fifth representative scans the QR code shown in the hall.
    session.refresh_from_db()
    token = services.issue_token(session=session).token
    rep_user = user_with_role(congress.union, Role.MEMBER)
    member = reps[4].member
    member.user = rep_user
    member.save(update_fields=["user"])
    _log_in(phone_page, rep_user)
    phone_page.goto(f"{phone_page.base}/democracy/congress/checkin/{token}/")
    phone_page.get_by_role("button", name="确认签到").click()
    phone_page.get_by_text("签到成功").wait_for()
    phone_page.screenshot(path="/tmp/congress-phone-signed-in.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert SessionAttendance.objects.get(representative=reps[4]).how == SignInMethod.QR

    # The quorum box refreshes itself: 5 of 6 is more than two thirds.
    page.locator("#quorum-state", has_text="达到法定人数，可以开会表决").wait_for(timeout=12_000)
    page.reload()  # the vote form lists those present when the page was drawn
    page.locator(".open-vote button").click()
    page.get_by_text("表决结果已登记").wait_for()
    assert "通过" in page.locator(".resolution-result").inner_text()
    page.screenshot(path="/tmp/congress-day-voted.png", full_page=True)

    page.get_by_label("会议纪要").fill("会议听取了校长工作报告，表决通过了学校绩效工资分配方案。")
    page.get_by_role("button", name="宣布闭幕").click()
    page.get_by_role("button", name="公开决议和会议纪要").click()
    page.locator("#published").wait_for()
    resolution = session.resolutions.get()
    assert (resolution.state, resolution.votes_for) == (ResolutionState.PASSED, 5)


def test_the_hall_qr_page_shows_a_scannable_code(page):
    congress, _ = congress_with_representatives(3)
    session = session_of(congress, open_=True, date=datetime.date.today())
    _log_in(page, user_with_role(congress.union, Role.CHAIR))
    page.goto(f"{page.base}/admin/democracy/sessions/{session.pk}/qr/")
    assert page.locator("#check-in-qr svg").count() == 1
    assert "/democracy/congress/checkin/" in page.locator("#check-in-url").inner_text()
