"""An online election on a phone, through to the results page and the receipt
check; and the chair closing and counting it in the back office."""

import pytest

from gonghui.democracy.models import Ballot
from gonghui.democracy.services import elections as services
from gonghui.democracy.tests.elections_factories import candidate_ids, choose, election, electors
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, client, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def test_a_member_votes_on_a_phone_then_finds_their_receipt_among_the_results(phone_page, client):
    e = election(seats=2, candidates=3, voters=4, title="第三届工会委员会换届选举")
    user = user_with_role(e.union, Role.MEMBER, password=None)
    me, *others = electors(e)
    me.user = user
    me.save(update_fields=["user"])
    signed_in(phone_page, client, user)

    phone_page.goto(phone_page.base + "/democracy/vote/")
    phone_page.get_by_role("link", name="第三届工会委员会换届选举").click()
    phone_page.get_by_label("王建国").check()
    phone_page.get_by_label("李秀英").check()
    phone_page.screenshot(path="/tmp/elections-phone-ballot.png", full_page=True)
    phone_page.get_by_role("button", name="投票").click()

    receipt = phone_page.locator("#receipt-code").inner_text()
    assert Ballot.objects.get(election=e).receipt == receipt
    phone_page.screenshot(path="/tmp/elections-phone-receipt.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    for member in others:
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[0]))
    services.close_election(election=e)
    services.count_election(election=e)

    phone_page.goto(phone_page.base + "/democracy/vote/")
    phone_page.get_by_role("link", name="第三届工会委员会换届选举").click()
    assert phone_page.locator("#cast").inner_text() == "4"
    phone_page.get_by_label("回执码").fill(receipt.lower())
    phone_page.get_by_role("button", name="核对").click()
    phone_page.locator("#receipt-found").wait_for()
    assert f"回执码 {receipt} 已计入，为有效票" in phone_page.locator("#receipt-found").inner_text()
    assert receipt in phone_page.locator("#receipts").inner_text()
    phone_page.screenshot(path="/tmp/elections-phone-results.png", full_page=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_chair_closes_and_counts_an_election_in_the_back_office(page, client):
    e = election(seats=1, candidates=2, voters=3, title="女职工委员会主任选举")
    for member in electors(e):
        services.cast_ballot(election=e, member=member, choices=choose(candidate_ids(e)[1]))
    signed_in(page, client, user_with_role(e.union, Role.CHAIR))

    page.goto(page.base + f"/admin/democracy/election/{e.pk}/change/")
    page.screenshot(path="/tmp/elections-admin-manage.png", full_page=True)
    page.get_by_role("button", name="结束投票").click()
    page.get_by_role("button", name="计票").click()

    page.locator("#tally").wait_for()
    assert "李秀英" in page.locator("#elected").inner_text()
    assert "相符" in page.locator("#check").inner_text()
    page.screenshot(path="/tmp/elections-admin-results.png", full_page=True)


def test_the_chair_adds_candidates_until_the_margin_warning_goes(page, client):
    e = election(seats=2, candidates=2, voters=3, kind="committee", open=False)
    signed_in(page, client, user_with_role(e.union, Role.CHAIR))

    page.goto(page.base + f"/admin/democracy/election/{e.pk}/change/")
    assert "还需增加1名候选人" in page.locator("#margin-warning").inner_text()
    page.screenshot(path="/tmp/elections-admin-draft.png", full_page=True)
    page.get_by_label("候选人姓名").fill("赵强")
    page.get_by_label("简介").fill("1988年生，本科，数学教研组长")
    page.get_by_role("button", name="添加候选人").click()

    page.get_by_text("已添加候选人：赵强").wait_for()
    assert page.locator("#margin-warning").count() == 0
    assert "赵强" in page.locator("#candidates").inner_text()
