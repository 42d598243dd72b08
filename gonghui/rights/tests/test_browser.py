"""A wage contract in the back office, from creation through a negotiation
round, a draft and the congress vote to signing and filing, each step from
the contract page's buttons."""

from datetime import date, timedelta

import pytest
from django.test import Client

from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.rights.models import Contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


def _step(page, label):
    page.locator("#steps").get_by_role("link", name=label).click()
    page.locator("#rights-form").wait_for()


def _save(page):
    page.click("#rights-form button[type=submit]")
    page.wait_for_url("**/admin/rights/contract/*/change/")
    page.locator("#contract").wait_for()


def test_a_wage_contract_goes_from_creation_to_filing_in_the_back_office(page):
    today = date.today()
    union = UnionFactory(name="华东精密机械有限公司工会")
    chair = user_with_role(union, Role.CHAIR)
    signed_in(page, chair)

    page.goto(f"{page.base}/admin/rights/contract/add/")
    page.select_option("select[name=kind]", "wage")
    page.fill("input[name=title]", f"{today.year + 1}年度工资专项集体合同")
    page.fill("input[name=employer]", "华东精密机械有限公司")
    page.fill("input[name=union_chief]", "王建国")
    page.fill("input[name=employer_chief]", "李志强")
    page.fill("input[name=starts_on]", date(today.year + 1, 1, 1).isoformat())
    page.fill("input[name=ends_on]", date(today.year + 1, 12, 31).isoformat())
    page.fill("input[name=workers_covered]", "860")
    page.fill("input[name=wage_increase]", "5.5")
    page.screenshot(path="/tmp/rights-contract-add.png", full_page=True)
    _save(page)
    assert page.locator("#stage").inner_text() == "协商中"

    _step(page, "记录协商会议")
    page.fill("input[name=held_on]", (today - timedelta(days=20)).isoformat())
    page.fill("textarea[name=union_side]", "王建国（工会主席）\n职工代表张敏、刘洋、陈红")
    page.fill("textarea[name=employer_side]", "李志强（副总经理）\n人力资源部周婷")
    page.fill("textarea[name=issues]", "年度工资增长幅度；夜班津贴标准")
    page.fill("textarea[name=minutes]", "职工方提出增长6%，企业方提出4.5%，约定下轮继续协商。")
    page.fill("textarea[name=agreed]", "夜班津贴每班提高10元")
    _save(page)
    assert "第1轮协商" in page.locator("#rounds").inner_text()

    _step(page, "新增草案稿次")
    page.fill("input[name=prepared_on]", (today - timedelta(days=10)).isoformat())
    page.fill("textarea[name=text]", "第一条 本合同适用于公司全体职工。\n第八条 年度工资增长5.5%。")
    page.fill("input[name=note]", "采纳第1轮协商一致事项")
    _save(page)

    _step(page, "登记职代会表决")
    page.fill("input[name=on]", (today - timedelta(days=5)).isoformat())
    page.fill("input[name=votes_for]", "98")
    page.fill("input[name=votes_against]", "3")
    page.fill("input[name=votes_abstain]", "1")
    _save(page)
    assert page.locator("#stage").inner_text() == "已表决通过待签署"

    _step(page, "登记签署")
    page.fill("input[name=on]", (today - timedelta(days=3)).isoformat())
    _save(page)

    # A filing date before the signing is refused in Chinese, on the date field.
    _step(page, "报送备案")
    page.fill("input[name=filed_with]", "鄞州区人力资源和社会保障局")
    page.fill("input[name=on]", (today - timedelta(days=4)).isoformat())
    page.click("#rights-form button[type=submit]")
    page.get_by_text("合同须签署后才能报送备案").wait_for()
    page.screenshot(path="/tmp/rights-filing-refused.png", full_page=True)
    assert Contract.objects.get().filed_on is None

    page.fill("input[name=on]", today.isoformat())
    _save(page)
    assert page.locator("#stage").inner_text() == "已备案"
    assert "鄞州区人力资源和社会保障局" in page.locator("#filed").inner_text()
    page.screenshot(path="/tmp/rights-contract-page.png", full_page=True)

    found = Contract.objects.get()
    assert (found.signed_on, found.filed_on) == (today - timedelta(days=3), today)
    assert found.rounds.count() == 1 and found.drafts.count() == 1
