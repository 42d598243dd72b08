"""A cadre records a visit with a gift and runs a donation campaign to its handover."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from gonghui.care.models import Handover, Visit
from gonghui.care.tests.factories import campaign, care_line, case, donate
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGHUI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"care_{name}.png"), full_page=True)


def sign_in(page, union):
    user_with_role(union, username="chair", password="pass-word-123")
    page.goto(page.base + "/admin/login/")
    page.fill("input[name=username]", "chair")
    page.fill("input[name=password]", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_visit_with_a_gift_recorded_in_the_browser_moves_the_budget_line(page):
    line = care_line(planned="5000", name="职工慰问")
    member = MemberFactory(union=line.union, name="王芳")
    sign_in(page, line.union)
    page.goto(page.base + "/admin/care/visit/add/")
    page.select_option("select[name=kind]", "illness")
    page.fill("input[name=on]", "2025-03-12")
    page.select_option("select[name=members]", [str(member.pk)])
    page.fill("input[name=gift]", "水果篮、慰问金")
    page.fill("input[name=amount]", "500.00")
    page.select_option("select[name=line]", str(line.pk))
    page.fill("input[name=voucher]", "记-2025-031")
    shot(page, "visit_form")
    page.click("#care-form button[type=submit]")
    page.wait_for_url("**/admin/care/visit/*/change/")
    shot(page, "visit")
    assert "记-2025-031 500.00元" in page.content()
    assert Visit.objects.get().amount == Decimal("500.00")
    line.refresh_from_db()
    assert line.actual == Decimal("500.00")


def test_a_campaign_is_run_to_its_handover_in_the_browser(page):
    run = campaign(care_line().union, beneficiary_name="李小明")
    for amount in ("12000.00", "228.70"):
        donate(run, amount)
    case(MemberFactory(union=run.union), health_details="肾衰竭")
    sign_in(page, run.union)
    page.goto(page.base + f"/admin/care/donationcampaign/{run.pk}/change/")
    page.click("text=交付受助人")
    page.fill("input[name=amount]", "12228.71")
    page.fill("input[name=on]", "2025-06-01")
    page.click("#care-form button[type=submit]")
    page.get_by_text("超过可交付金额12228.70元").first.wait_for()
    shot(page, "handover_refused")
    page.fill("input[name=amount]", "12228.70")
    page.click("#care-form button[type=submit]")
    page.wait_for_url(f"**/admin/care/donationcampaign/{run.pk}/change/")
    shot(page, "campaign")
    assert Handover.objects.get().amount == Decimal("12228.70")
    page.goto(page.base + "/admin/care/hardshipcase/")
    page.click("table tbody tr a")
    page.wait_for_url("**/admin/care/hardshipcase/*/change/")
    shot(page, "case")
    assert "肾衰竭" not in page.content()
