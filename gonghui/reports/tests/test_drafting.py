"""Drafted work summaries: figures equal direct counts over the records, an
empty period says so, figures stay traceable, versions are kept, exports open."""

import io
import json
import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Mm

from gonghui.activities.models import Attendance, CheckIn
from gonghui.activities.tests.factories import ActivityFactory
from gonghui.api.tests.calls import call, token_for
from gonghui.care.models import Donation, Visit
from gonghui.care.tests.factories import campaign, donate, visit
from gonghui.finance.models import BudgetLine, Payment
from gonghui.finance.tests.factories import BudgetLineFactory, pay
from gonghui.members.models import Gender
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.periods import Period
from gonghui.reports import services
from gonghui.reports.drafting import draft
from gonghui.reports.models import ReportState
from gonghui.reports.officedoc import to_docx
from gonghui.reports.queries import stale_figures
from gonghui.reports.render import to_data, to_html, to_markdown

pytestmark = pytest.mark.django_db


def _day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def random_ledger(seed: int):
    """A union with members, visits, donations and attended activities over 2024–2025."""
    rng = random.Random(seed)
    union = UnionFactory(headcount=rng.randrange(20, 40))
    members = [
        MemberFactory(union=union, joined_on=_day(rng, date(2023, 1, 1), date(2025, 12, 1)))
        for _ in range(rng.randrange(6, 14))
    ]
    for _ in range(rng.randrange(0, 8)):
        visit(
            union,
            rng.sample(members, rng.randrange(1, 3)),
            on=_day(rng, date(2024, 1, 1), date(2025, 12, 31)),
        )
    drive = campaign(union, opens_on=date(2024, 1, 1), closes_on=date(2025, 12, 31))
    for _ in range(rng.randrange(0, 6)):
        donate(
            drive,
            f"{rng.randrange(10, 500)}.{rng.randrange(0, 100):02d}",
            on=_day(rng, date(2024, 1, 1), date(2025, 12, 31)),
        )
    tz = timezone.get_current_timezone()
    for _ in range(rng.randrange(0, 5)):
        day = _day(rng, date(2024, 1, 1), date(2025, 12, 31))
        starts = timezone.make_aware(datetime.combine(day, time(rng.randrange(0, 24), 0)), tz)
        activity = ActivityFactory(
            union=union,
            starts_at=starts,
            signup_opens_at=starts - timedelta(days=9),
            signup_closes_at=starts - timedelta(days=1),
        )
        for m in rng.sample(members, rng.randrange(0, len(members))):
            Attendance.objects.create(
                union=union, activity=activity, member=m, how=CheckIn.LIST, at=starts
            )
    line = BudgetLineFactory(
        fiscal_year__union=union, union=union, planned=Decimal(rng.randrange(1000, 9000))
    )
    for _ in range(rng.randrange(0, 5)):
        pay(
            line, f"{rng.randrange(10, 800)}.50", on=_day(rng, date(2025, 1, 1), date(2025, 12, 31))
        )
    return union, rng


def _percent(top, bottom) -> Decimal:
    if not bottom:
        return Decimal("0.0")
    return (Decimal(top) * 100 / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def direct(key: str, union, period: Period):
    """The figure counted or summed straight from the tables, without the registry."""
    s, e = period.start, period.end
    on_roll = [
        m
        for m in union.member_set.all()
        if m.joined_on <= e and (m.left_on is None or m.left_on > e)
    ]
    women = [m for m in on_roll if m.gender == Gender.FEMALE]
    visits = Visit.objects.filter(union=union, on__gte=s, on__lte=e)
    donations = Donation.objects.filter(union=union, on__gte=s, on__lte=e)
    attendances = [
        a
        for a in Attendance.objects.filter(union=union).select_related("activity")
        if s <= timezone.localtime(a.activity.starts_at).date() <= e
    ]
    activities = [
        a for a in union.activity_set.all() if s <= timezone.localtime(a.starts_at).date() <= e
    ]
    paid = sum(
        (p.amount for p in Payment.objects.filter(union=union, on__gte=s, on__lte=e)),
        Decimal("0.00"),
    )
    budget = sum(
        (
            line.budget
            for line in BudgetLine.objects.filter(
                union=union, fiscal_year__year__in=range(s.year, e.year + 1)
            )
        ),
        Decimal("0"),
    )
    return {
        "finance.expenditure_total": paid,
        "finance.expenditure.activities": paid,
        "finance.budget_execution": _percent(paid, budget),
        "members.at_end": len(on_roll),
        "members.women": len(women),
        "members.women_share": _percent(len(women), len(on_roll)),
        "members.membership_rate": _percent(len(on_roll), union.headcount),
        "members.joined": sum(1 for m in union.member_set.all() if s <= m.joined_on <= e),
        "care.visits": visits.count(),
        "care.members_visited": len({m.pk for v in visits for m in v.members.all()}),
        "care.donations_total": sum((d.amount for d in donations), Decimal("0.00")),
        "care.donors": donations.count(),
        "activities.held": len(activities),
        "activities.participants": len(attendances),
    }[key]


NUMERATOR_ONLY = {"activities.participation_rate": "activities.participants"}


@pytest.mark.parametrize("seed", range(6))
def test_every_figure_in_the_json_report_equals_a_direct_count_over_the_records(seed):
    union, rng = random_ledger(seed)
    start = _day(rng, date(2025, 1, 1), date(2025, 6, 30))
    period = Period(start, _day(rng, start, date(2025, 12, 31)))
    d = draft(union=union, period=period)
    data = to_data(d)
    assert len(data["figures"]) == len(d.figures)
    for shown, fig in zip(data["figures"], d.figures, strict=True):
        if fig.key in NUMERATOR_ONLY:
            assert shown["records"] == direct(NUMERATOR_ONLY[fig.key], union, fig.period)
            continue
        expected = direct(fig.key, union, fig.period)
        assert Decimal(str(shown["value"])) == Decimal(expected), fig.key
        if fig.unit not in ("%", "元"):
            assert shown["records"] == expected, fig.key


def test_a_figure_in_the_text_is_in_the_figures_list_with_its_record_count():
    union = UnionFactory()
    members = MemberFactory.create_batch(3, union=union)
    visit(union, members[:2], on=date(2025, 3, 1))
    data = to_data(draft(union=union, period=Period(date(2025, 1, 1), date(2025, 12, 31))))
    (shown,) = [f for f in data["figures"] if f["key"] == "care.visits"]
    assert shown == {
        "key": "care.visits",
        "label": "慰问次数",
        "value": 1,
        "unit": "次",
        "records": 1,
    }
    assert any("1次" in p for s in data["sections"] for p in s["paragraphs"])


def test_a_report_for_an_empty_period_says_so_plainly():
    union = UnionFactory()
    MemberFactory.create_batch(3, union=union)
    data = to_data(draft(union=union, period=Period(date(2025, 1, 1), date(2025, 1, 31))))
    assert data["figures"] == []
    assert len(data["sections"]) == 1
    assert "没有登记任何工作记录" in data["sections"][0]["paragraphs"][0]


def test_sections_without_records_are_left_out():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    titles = [s["title"] for s in to_data(draft(union=union, period=Period.year(2025)))["sections"]]
    assert not any("文体活动" in t or "经费" in t for t in titles)


def test_the_same_union_and_period_draft_the_same_words():
    union, _ = random_ledger(3)
    one = to_html(draft(union=union, period=Period.year(2025)))
    assert one == to_html(draft(union=union, period=Period.year(2025)))


def test_a_comparison_with_the_same_period_a_year_earlier_links_last_years_records():
    union = UnionFactory()
    visit(union, on=date(2024, 3, 1))
    visit(union, on=date(2025, 3, 1))
    visit(union, on=date(2025, 4, 1))
    d = draft(union=union, period=Period.year(2025))
    html = to_html(d)
    earlier = [f for f in d.figures if f.key == "care.visits" and f.period == Period.year(2024)]
    assert earlier == [] or "start=2024-01-01" in html
    # the members section compares with last year as well
    assert "上年同期" in html


def test_every_figure_is_a_link_to_its_records(client):
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    chair = user_with_role(union, Role.CHAIR)
    report = services.draft_report(
        union=union, start=date(2025, 1, 1), end=date(2025, 12, 31), actor=chair
    )
    body = report.latest_version().body
    url = reverse("reports:metric_records", args=["care.visits"])
    assert f'href="{url}?union={union.pk}&amp;start=2025-01-01&amp;end=2025-12-31"' in body
    assert report.figures.get(metric_key="care.visits").value == 1


def test_a_figure_whose_records_changed_after_drafting_is_flagged(client):
    union = UnionFactory()
    member = MemberFactory(union=union)
    visit(union, [member], on=date(2025, 3, 1))
    chair = user_with_role(union, Role.CHAIR)
    report = services.draft_report(
        union=union, start=date(2025, 1, 1), end=date(2025, 12, 31), actor=chair
    )
    assert stale_figures(report) == []
    visit(union, [member], on=date(2025, 5, 1))
    stale = stale_figures(report)
    assert [(s.figure.metric_key, s.now) for s in stale] == [("care.visits", 2)]
    client.force_login(chair)
    page = client.get(reverse("reports:summary", args=[report.pk])).content.decode()
    assert "起草后台账记录有变动" in page and "现为 2次" in page


def test_edits_are_kept_as_versions_with_who_and_when_and_are_sanitised():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    chair = user_with_role(union, Role.CHAIR)
    report = services.draft_report(
        union=union, start=date(2025, 1, 1), end=date(2025, 12, 31), actor=chair
    )
    v2 = services.save_version(
        report=report,
        body='<h1>总结</h1><p onclick="x()">改过<script>alert(1)</script></p>',
        actor=chair,
    )
    assert v2.number == 2 and v2.created_by == chair and v2.created_at
    assert v2.body == "<h1>总结</h1><p>改过</p>"
    assert report.versions.count() == 2


def test_a_submitted_report_is_locked():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    chair = user_with_role(union, Role.CHAIR)
    report = services.draft_report(
        union=union, start=date(2025, 1, 1), end=date(2025, 12, 31), actor=chair
    )
    services.submit_report(report=report, actor=chair)
    assert report.state == ReportState.SUBMITTED
    with pytest.raises(services.ValidationError) as e:
        services.save_version(report=report, body="<p>再改</p>", actor=chair)
    assert "已提交" in e.value.messages[0]


def test_the_word_export_is_an_a4_official_document_with_the_standard_margins():
    union = UnionFactory(name="北仑区实验学校工会")
    visit(union, on=date(2025, 3, 1))
    document = Document(io.BytesIO(to_docx(to_html(draft(union=union, period=Period.year(2025))))))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    title, *rest = [p for p in document.paragraphs if p.text.strip()]
    assert title.runs[0].font.name == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    heading = next(p for p in rest if p.text.startswith("一、"))
    assert heading.runs[0].font.name == "黑体"
    body = rest[0]
    assert body.runs[0].font.name == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    # 28 lines fit the 225 mm text block exactly
    assert (
        28 * body.paragraph_format.line_spacing <= Mm(225) < 29 * body.paragraph_format.line_spacing
    )
    footer = section.footer.paragraphs[0].text
    assert footer.startswith("— ") and footer.endswith(" —")


def test_the_markdown_export_keeps_headings_and_links():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    md = to_markdown(to_html(draft(union=union, period=Period.year(2025))), base="http://x")
    assert md.startswith("# ") and "\n## 一、" in md and "](http://x/admin/reports/metric/" in md


def test_the_cli_writes_the_json_shape(tmp_path):
    union = UnionFactory(code="sch")
    visit(union, on=date(2025, 3, 1))
    out = tmp_path / "r.json"
    call_command(
        "report", union="sch", start="2025-01-01", end="2025-12-31", fmt="json", output=str(out)
    )
    data = json.loads(out.read_text())
    assert set(data) == {"union", "from", "to", "sections", "figures"}
    assert (data["union"], data["from"], data["to"]) == ("sch", "2025-01-01", "2025-12-31")
    assert set(data["sections"][0]) == {"title", "paragraphs"}
    assert set(data["figures"][0]) == {"key", "label", "value", "unit", "records"}


def test_the_cli_writes_a_word_file(tmp_path):
    union = UnionFactory(code="sch2")
    visit(union, on=date(2025, 3, 1))
    out = tmp_path / "r.docx"
    call_command(
        "report", union="sch2", start="2025-01-01", end="2025-12-31", fmt="docx", output=str(out)
    )
    assert Document(str(out)).paragraphs[0].text.startswith(union.name)


def test_the_api_drafts_for_a_union_the_caller_sees_and_hides_others():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    key = token_for(user_with_role(union, Role.CHAIR))
    query = {"from": "2025-01-01", "to": "2025-12-31"}
    ok = call("get", "reports/draft", key, {"union": union.pk, **query})
    assert ok.status_code == 200
    assert ok.json()["from"] == "2025-01-01" and ok.json()["figures"]
    other = UnionFactory()
    hidden = call("get", "reports/draft", key, {"union": other.pk, **query})
    assert hidden.status_code == 404 and other.name not in hidden.content.decode()


def test_the_api_exports_a_word_file():
    union = UnionFactory()
    visit(union, on=date(2025, 3, 1))
    key = token_for(user_with_role(union, Role.CHAIR))
    query = {"union": union.pk, "from": "2025-01-01", "to": "2025-12-31", "format": "docx"}
    response = call("get", "reports/draft/export", key, query)
    assert response.status_code == 200
    assert Document(io.BytesIO(response.content)).paragraphs[0].text.startswith(union.name)
