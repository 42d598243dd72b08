"""Generating a month's newsletter from the records, and the rules of editing
and publishing it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.activities.models import Activity, Attendance
from gonghui.care.models import Donation, Visit
from gonghui.honors.models import Nomination, NominationState
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports import newsletter_services as services
from gonghui.reports.models import NewsletterState
from gonghui.reports.newsletter_writer import month_period
from gonghui.reports.queries import stale_figures
from gonghui.reports.tests.newsletter_records import MONTH, activity, month_of_records

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def generate(month, union=None, actor=None):
    return services.generate(
        union=union or month.union, month=MONTH, actor=actor or month.chair, today=TODAY
    )


def figures(newsletter) -> dict:
    return {f.metric_key: f for f in newsletter.figures.all()}


def test_every_figure_equals_a_direct_count_over_the_months_records():
    month = month_of_records()
    newsletter = generate(month)
    first, last = month_period(MONTH).bounds
    union = month.union
    direct = {
        "activities.held": Activity.objects.filter(
            union=union, starts_at__date__range=(first, last)
        ).count(),
        "activities.participants": Attendance.objects.filter(
            union=union, activity__starts_at__date__range=(first, last)
        ).count(),
        "care.visits": Visit.objects.filter(union=union, on__range=(first, last)).count(),
        "care.donations_total": sum(
            d.amount for d in Donation.objects.filter(union=union, on__range=(first, last))
        ),
        "honors.awards": Nomination.objects.filter(
            union=union, state=NominationState.AWARDED, decided_on__range=(first, last)
        ).count(),
    }
    found = figures(newsletter)
    assert {k: found[k].value for k in direct} == {k: Decimal(v) for k, v in direct.items()}
    assert direct == {
        "activities.held": month.activities_held,
        "activities.participants": month.attendances,
        "care.visits": month.visits,
        "care.donations_total": month.donated,
        "honors.awards": month.awards,
    }
    assert found["care.members_visited"].value == month.members_visited


def test_each_figure_in_the_text_links_to_its_records_for_the_month():
    month = month_of_records()
    newsletter = generate(month)
    bodies = newsletter.lead + "".join(i.body for i in newsletter.items.all())
    for f in newsletter.figures.all():
        assert f'data-fig="{f.ref}"' in bodies
        assert (f.start, f.end) == (date(2025, 3, 1), date(2025, 3, 31))
    assert f"/admin/reports/metric/activities.held/?union={month.union.pk}" in bodies


def test_the_largest_activity_leads_the_activities_with_its_photo():
    month = month_of_records()
    newsletter = generate(month)
    items = list(newsletter.items.all())
    headlines = [i.headline for i in items]
    tug = next(i for i in items if "教职工拔河比赛" in i.headline)
    reading = next(i for i in items if "读书分享会" in i.headline)
    assert headlines.index(tug.headline) < headlines.index(reading.headline)
    assert "5名教职工参加" in tug.body
    assert [p.caption for p in tug.photos.all()] == ["教职工拔河比赛"]
    assert not reading.photos.exists()
    assert "四月踏青" not in "".join(i.body for i in items)


def test_items_cover_awards_visits_and_the_donation_campaign_by_name():
    month = month_of_records()
    newsletter = generate(month)
    text = "".join(i.headline + i.body for i in newsletter.items.all())
    assert "岗位之星" in text and month.members[0].name in text
    assert "慰问" in text
    assert "为患病职工募捐" in text and "300.5元" in text


def test_the_lead_sums_up_the_month_with_its_figures():
    month = month_of_records()
    newsletter = generate(month)
    assert newsletter.lead.startswith("<p>2025年3月，")
    assert "开展各类活动" in newsletter.lead and "2次" in newsletter.lead
    assert newsletter.title == "2025年3月工会工作动态"


def test_issues_are_numbered_one_after_another_per_union():
    month = month_of_records()
    first = generate(month)
    second = services.generate(
        union=month.union, month=date(2025, 4, 1), actor=month.chair, today=TODAY
    )
    other_union = services.generate(
        union=UnionFactory(), month=MONTH, actor=month.chair, today=TODAY
    )
    assert (first.number, second.number, other_union.number) == (1, 2, 1)


def test_a_month_without_records_says_so_and_has_no_items():
    union = UnionFactory(name="空白工会")
    newsletter = services.generate(
        union=union, month=MONTH, actor=user_with_role(union), today=TODAY
    )
    assert not newsletter.items.exists()
    assert not newsletter.figures.exists()
    assert "没有登记空白工会的任何工作记录" in newsletter.lead


def test_a_month_without_records_cannot_be_published():
    union = UnionFactory()
    chair = user_with_role(union)
    newsletter = services.generate(union=union, month=MONTH, actor=chair, today=TODAY)
    with pytest.raises(ValidationError, match="没有任何条目，不能发布"):
        services.publish(newsletter=newsletter, actor=chair)


def test_a_month_in_the_future_is_refused():
    union = UnionFactory()
    with pytest.raises(ValidationError, match="2026年12月还没有到"):
        services.generate(
            union=union, month=date(2026, 12, 1), actor=user_with_role(union), today=TODAY
        )


def test_the_current_month_may_be_generated():
    union = UnionFactory()
    newsletter = services.generate(
        union=union, month="2026-11", actor=user_with_role(union), today=TODAY
    )
    assert newsletter.month == date(2026, 11, 1)


@pytest.mark.parametrize("text", ["", "2025-13", "三月", "2025"])
def test_a_month_that_is_not_a_month_is_refused_by_field(text):
    union = UnionFactory()
    with pytest.raises(ValidationError) as caught:
        services.generate(union=union, month=text, actor=user_with_role(union), today=TODAY)
    assert "month" in caught.value.message_dict


def test_a_second_newsletter_for_the_same_month_is_refused_naming_the_first():
    month = month_of_records()
    generate(month)
    with pytest.raises(ValidationError, match="2025年3月的简报已经生成（第1期），请在原简报上修改"):
        generate(month)


def test_publishing_twice_is_refused():
    month = month_of_records()
    newsletter = generate(month)
    services.publish(newsletter=newsletter, actor=month.chair)
    assert newsletter.state == NewsletterState.PUBLISHED
    assert newsletter.published_by == month.chair
    with pytest.raises(ValidationError, match="第1期简报已经发布过了"):
        services.publish(newsletter=newsletter, actor=month.chair)


def test_a_published_issue_cannot_be_edited_in_any_way():
    month = month_of_records()
    newsletter = generate(month)
    item = newsletter.items.first()
    services.publish(newsletter=newsletter, actor=month.chair)
    edits = [
        lambda: services.update(
            newsletter=newsletter, title="新标题", lead="<p>新导语</p>", number=1, actor=month.chair
        ),
        lambda: services.update_item(item=item, headline="新", body="<p>新</p>", actor=month.chair),
        lambda: services.move_item(item=item, direction="down", actor=month.chair),
        lambda: services.remove_item(item=item, actor=month.chair),
        lambda: services.regenerate(newsletter=newsletter, actor=month.chair),
    ]
    for edit in edits:
        with pytest.raises(ValidationError, match="第1期简报已发布，不能再修改"):
            edit()
    item.refresh_from_db()
    assert item.headline != "新"
    assert newsletter.items.count() > 1


def test_editing_an_item_keeps_only_safe_markup_and_stamps_who_and_when():
    month = month_of_records()
    newsletter = generate(month)
    item = newsletter.items.first()
    services.update_item(
        item=item,
        headline=" 拔河比赛决出名次 ",
        body='<p onclick="x()">改写<script>alert(1)</script><a href="javascript:x">链接</a></p>',
        actor=month.chair,
    )
    item.refresh_from_db()
    newsletter.refresh_from_db()
    assert item.headline == "拔河比赛决出名次"
    assert "script" not in item.body and "onclick" not in item.body
    assert "javascript" not in item.body
    assert (item.edited_by, newsletter.edited_by) == (month.chair, month.chair)


def test_an_item_with_an_empty_body_is_refused_naming_it():
    month = month_of_records()
    item = generate(month).items.first()
    with pytest.raises(ValidationError, match=f"条目“{item.headline}”的正文不能为空"):
        services.update_item(
            item=item, headline=item.headline, body="<p> </p><script></script>", actor=month.chair
        )


def test_moving_an_item_swaps_it_with_its_neighbour():
    month = month_of_records()
    newsletter = generate(month)
    first, second, *rest = newsletter.items.all()
    services.move_item(item=second, direction="up", actor=month.chair)
    assert list(newsletter.items.all())[:2] == [second, first]
    assert [i.order for i in newsletter.items.all()] == list(range(1, len(rest) + 3))


def test_removing_an_item_renumbers_the_rest():
    month = month_of_records()
    newsletter = generate(month)
    count = newsletter.items.count()
    services.remove_item(item=newsletter.items.first(), actor=month.chair)
    assert [i.order for i in newsletter.items.all()] == list(range(1, count))


def test_a_number_already_used_by_another_issue_is_refused():
    month = month_of_records()
    first = generate(month)
    second = services.generate(
        union=month.union, month=date(2025, 4, 1), actor=month.chair, today=TODAY
    )
    with pytest.raises(ValidationError, match="第1期已被2025年3月的简报使用"):
        services.update(
            newsletter=second, title="四月", lead="", number=first.number, actor=month.chair
        )


def test_regenerating_a_draft_picks_up_records_entered_since():
    month = month_of_records()
    newsletter = generate(month)
    activity(month.union, "补录的篮球赛", date(2025, 3, 28), month.members)
    assert [s.figure.metric_key for s in stale_figures(newsletter)][:1] == ["activities.held"]
    services.regenerate(newsletter=newsletter, actor=month.chair)
    assert figures(newsletter)["activities.held"].value == 3
    assert "补录的篮球赛" in "".join(i.headline for i in newsletter.items.all())
    assert stale_figures(newsletter) == []
