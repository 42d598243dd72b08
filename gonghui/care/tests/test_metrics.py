"""The care metrics: values from records made through the services, and each
metric's records page opens."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.care import services
from gonghui.care.models import AssistanceSource, ReviewOutcome
from gonghui.care.tests.factories import campaign, care_line, case, donate, new_key, visit
from gonghui.finance.tests.factories import staff
from gonghui.members.tests.factories import MemberFactory
from gonghui.periods import Period
from gonghui.reports import registry

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def value(key, union):
    return registry.value(key, [union.pk], YEAR)


@pytest.fixture
def ledger():
    """A year of one union's care records."""
    line = care_line(planned="50000")
    union = line.union
    actor = staff(union)
    zhang, li, wang = (MemberFactory(union=union, name=n) for n in ("张三", "李四", "王芳"))
    visit(union, [zhang, li], kind="illness", amount="300", line=line, actor=actor)
    visit(union, [zhang], kind="festival", actor=actor)
    visit(union, [wang], kind="illness", on=date(2024, 6, 1), actor=actor)
    open_case = case(zhang, filed_on=date(2024, 3, 1))
    services.review_case(case=open_case, on=date(2025, 3, 1), outcome=ReviewOutcome.CONTINUE)
    case(li, filed_on=date(2025, 2, 1))
    closed = case(wang, filed_on=date(2025, 1, 5))
    services.close_case(case=closed, on=date(2025, 8, 1), reason="已就业")
    for member, amount, source in ((zhang, "800", AssistanceSource.FUND), (li, "500.50", "upper")):
        given = services.record_assistance(
            member=member,
            kind="living",
            source=source,
            amount=Decimal(amount),
            on=date(2025, 4, 1),
            line=line if source == AssistanceSource.FUND else None,
            voucher="记-9" if source == AssistanceSource.FUND else "",
        )
        services.approve_assistance(assistance=given, actor=actor)
    services.record_assistance(
        member=wang, kind="medical", source="other", amount=Decimal("999"), on=date(2025, 4, 2)
    )
    run = campaign(union)
    donate(run, "100.10")
    donate(run, "200.20", donor=li)
    services.contribute_from_fund(
        campaign=run,
        amount=Decimal("1000"),
        on=date(2025, 5, 20),
        line=line,
        voucher="记-10",
        idempotency_key=new_key(),
        actor=actor,
    )
    services.hand_over(campaign=run, amount=Decimal("1300.30"), on=date(2025, 6, 1))
    aid = services.apply_school_aid(
        member=li,
        child_name="李小雨",
        school="宁波大学",
        grade="大一",
        new_admission=True,
        applied_on=date(2025, 8, 20),
    )
    services.approve_school_aid(
        aid=aid,
        amount=Decimal("1500"),
        on=date(2025, 9, 1),
        line=line,
        voucher="记-11",
        actor=actor,
    )
    services.distribute_gifts(
        union=union,
        occasion="spring",
        on=date(2025, 1, 20),
        amount_per_person=Decimal("200"),
        members=[zhang, li, wang],
    )
    for member in (zhang, li):
        services.enrol_mutual_aid(
            member=member, year=2025, premium=Decimal("60"), enrolled_on=date(2025, 1, 3)
        )
    return union


def test_visits_count_those_of_the_period_by_kind(ledger):
    assert value("care.visits", ledger) == 2
    assert dict(registry.get("care.visits").by([ledger.pk], YEAR)) == {"生病住院": 1, "节日": 1}


def test_members_visited_counts_each_member_once(ledger):
    assert value("care.members_visited", ledger) == 2


def test_visit_amount_sums_the_gifts(ledger):
    assert value("care.visit_amount", ledger) == Decimal("300.00")


def test_hardship_figures_count_open_new_closed_and_review_coverage(ledger):
    assert value("care.hardship_open", ledger) == 2
    assert value("care.hardship_new", ledger) == 2
    assert value("care.hardship_closed", ledger) == 1
    assert value("care.hardship_review_coverage", ledger) == Decimal("50.0")


def test_assistance_counts_only_approved_amounts_by_kind_and_source(ledger):
    assert value("care.assistance_amount", ledger) == Decimal("1300.50")
    assert value("care.assistance_amount.kind.living", ledger) == Decimal("1300.50")
    assert value("care.assistance_amount.kind.medical", ledger) == Decimal("0.00")
    assert value("care.assistance_amount.source.fund", ledger) == Decimal("800.00")
    assert value("care.assistance_amount.source.upper", ledger) == Decimal("500.50")


def test_campaign_figures(ledger):
    assert value("care.donations_total", ledger) == Decimal("300.30")
    assert value("care.donors", ledger) == 2
    assert value("care.fund_contribution", ledger) == Decimal("1000.00")
    assert value("care.delivered", ledger) == Decimal("1300.30")


def test_school_aid_gifts_and_mutual_aid(ledger):
    assert value("care.school_aid_granted", ledger) == 1
    assert value("care.school_aid_amount", ledger) == Decimal("1500.00")
    assert value("care.gifts_total", ledger) == Decimal("600.00")
    assert value("care.gift_recipients", ledger) == 3
    assert value("care.mutual_aid_enrolled", ledger) == 2


def test_another_unions_records_are_not_counted(ledger):
    other = care_line().union
    assert value("care.visits", other) == 0
    assert value("care.donations_total", other) == Decimal("0.00")


def test_every_care_metrics_records_page_opens(client, ledger):
    client.force_login(staff(ledger))
    keys = [m.key for m in registry.all_metrics("care")]
    assert len(keys) >= 20
    for key in keys:
        response = client.get(
            reverse("reports:metric_records", args=[key]),
            {"union": ledger.pk, "start": "2025-01-01", "end": "2025-12-31"},
        )
        assert response.status_code == 200, key
    page = client.get(
        reverse("reports:metric_records", args=["care.members_visited"]),
        {"union": ledger.pk, "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert {row["cells"][0] for row in page.context["rows"]} == {"张三", "李四"}
