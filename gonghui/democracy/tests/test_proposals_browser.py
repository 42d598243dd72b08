"""A proposal from draft to rated reply on phones: the representative drafts
and submits it, the committee accepts it, the lead department's handler
replies, and the proposer rates the reply."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.democracy.models import ProposalState, Rating
from gonghui.democracy.services import proposals as services
from gonghui.democracy.tests.congress_factories import (
    congress_with_representatives,
    handler_of,
    session_of,
)
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import DepartmentFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def _user_of(member):
    member.user = user_with_role(member.union, Role.MEMBER)
    member.save(update_fields=["user"])
    return member.user


def test_a_proposal_goes_from_draft_to_a_rated_reply_on_phones(phone_page):
    today = timezone.localdate()
    congress, reps = congress_with_representatives(4)
    session_of(
        congress,
        date=today + datetime.timedelta(days=7),
        proposals_open_on=today - datetime.timedelta(days=3),
        proposals_close_on=today + datetime.timedelta(days=3),
    )
    proposer = _user_of(reps[0].member)
    co_signer = _user_of(reps[1].member)
    _log_in(phone_page, proposer)

    phone_page.goto(phone_page.base + "/democracy/congress/")
    phone_page.get_by_role("link", name="提出提案").click()
    phone_page.get_by_label("案由").fill("关于改善教师午餐条件的提案")
    phone_page.get_by_label("类别").select_option("living")
    phone_page.get_by_label("理由").fill("食堂座位不足，教师午餐排队时间长。")
    phone_page.get_by_label("建议措施").fill("增设教师就餐区，错峰开餐。")
    phone_page.get_by_role("button", name="保存草稿").click()
    phone_page.get_by_text("提案草稿已保存").wait_for()
    proposal_url = phone_page.url

    phone_page.get_by_role("button", name="提交提案").click()
    phone_page.get_by_text("附议代表不足：提案须有至少2名代表附议，目前只有0名").wait_for()

    _log_in(phone_page, co_signer)
    phone_page.goto(proposal_url)
    phone_page.get_by_role("button", name="附议此提案").click()
    phone_page.get_by_text("已附议").first.wait_for()
    proposal = reps[0].proposals.get()
    services.co_sign(proposal=proposal, representative=reps[2])

    _log_in(phone_page, proposer)
    phone_page.goto(proposal_url)
    phone_page.get_by_role("button", name="提交提案").click()
    phone_page.locator("#proposal-state", has_text="已提交").wait_for()

    proposal.refresh_from_db()
    department = DepartmentFactory(union=congress.union, name="总务处")
    services.decide_proposal(
        proposal=proposal,
        decision=services.ACCEPT,
        lead_department=department,
        deadline=today + datetime.timedelta(days=30),
        actor=None,
    )
    _log_in(phone_page, handler_of(department))
    phone_page.goto(phone_page.base + "/democracy/congress/")
    phone_page.get_by_role("link", name="关于改善教师午餐条件的提案").click()
    phone_page.get_by_label("答复内容").fill("已在二楼增设教师就餐区，11:40起错峰开餐。")
    phone_page.get_by_role("button", name="提交答复").click()
    phone_page.get_by_text("答复已提交").wait_for()

    _log_in(phone_page, proposer)
    phone_page.goto(proposal_url)
    phone_page.get_by_label("满意", exact=True).check()
    phone_page.get_by_role("button", name="提交评价").click()
    phone_page.locator("#proposal-state", has_text="已办结").wait_for()
    phone_page.screenshot(path="/tmp/proposal-phone-rated.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.COMPLETED
    assert proposal.replies.get().rating == Rating.SATISFIED
