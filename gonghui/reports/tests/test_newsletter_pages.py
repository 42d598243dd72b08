"""The newsletter's back-office pages, its Word file, the members' pages and
the API: who may do what, and every refusal."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.shared import Mm

from gonghui.api.tests.calls import call, token_for
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role
from gonghui.reports import newsletter_services as services
from gonghui.reports.models import Newsletter, NewsletterState
from gonghui.reports.newsletter_docx import masthead_size
from gonghui.reports.tests.newsletter_records import MONTH, month_of_records

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue(month, *, published=False) -> Newsletter:
    n = services.generate(union=month.union, month=MONTH, actor=month.chair, today=TODAY)
    if published:
        services.publish(newsletter=n, actor=month.chair)
    return n


def url(name, *args):
    return reverse(f"reports:{name}", args=args)


# Back office ---------------------------------------------------------------------------


def test_a_chair_generates_a_month_from_the_form_and_lands_on_the_draft():
    month = month_of_records()
    response = signed_in(month.chair).post(
        url("new_newsletter"), {"union": month.union.pk, "month": "2025-03"}
    )
    newsletter = Newsletter.objects.get(union=month.union)
    assert response.status_code == 302
    assert response["Location"] == url("newsletter", newsletter.pk)
    page = signed_in(month.chair).get(response["Location"]).content.decode()
    assert "实验学校工会简报" in page and "第1期" in page
    assert "教职工拔河比赛" in page


def test_the_form_shows_the_clear_message_for_a_month_already_generated():
    month = month_of_records()
    issue(month)
    response = signed_in(month.chair).post(
        url("new_newsletter"), {"union": month.union.pk, "month": "2025-03"}
    )
    assert response.status_code == 200
    assert "2025年3月的简报已经生成（第1期），请在原简报上修改" in response.content.decode()
    assert Newsletter.objects.count() == 1


def test_the_form_refuses_a_month_in_the_future():
    month = month_of_records()
    response = signed_in(month.chair).post(
        url("new_newsletter"), {"union": month.union.pk, "month": "2099-01"}
    )
    assert "2099年1月还没有到" in response.content.decode()
    assert not Newsletter.objects.exists()


def test_an_auditor_reads_newsletters_but_may_not_generate_or_edit():
    month = month_of_records()
    n = issue(month)
    auditor = signed_in(user_with_role(month.union, Role.AUDIT))
    assert auditor.get(url("newsletter", n.pk)).status_code == 200
    assert auditor.get(url("new_newsletter")).status_code == 403
    item = n.items.first()
    response = auditor.post(
        url("newsletter_item", n.pk, item.pk), {"headline": "改", "body": "<p>改</p>"}
    )
    assert response.status_code == 403
    assert auditor.post(url("publish_newsletter", n.pk)).status_code == 403
    n.refresh_from_db()
    assert n.state == NewsletterState.DRAFT


def test_another_unions_newsletter_items_and_photos_are_404():
    month = month_of_records()
    n = issue(month)
    item = n.items.first()
    photo = next(p for i in n.items.all() for p in i.photos.all())
    stranger = signed_in(user_with_role(UnionFactory()))
    for path in (
        url("newsletter", n.pk),
        url("newsletter_item", n.pk, item.pk),
        url("newsletter_docx", n.pk),
        url("newsletter_photo", n.pk, photo.pk),
    ):
        assert stranger.get(path).status_code == 404, path
    for path in (
        url("publish_newsletter", n.pk),
        url("regenerate_newsletter", n.pk),
        url("move_newsletter_item", n.pk, item.pk),
        url("remove_newsletter_item", n.pk, item.pk),
        url("remove_newsletter_photo", n.pk, photo.pk),
    ):
        assert stranger.post(path).status_code == 404, path
    assert n.items.count() > 1


def test_an_item_is_edited_through_its_page_with_the_markup_cleaned():
    month = month_of_records()
    n = issue(month)
    item = n.items.first()
    response = signed_in(month.chair).post(
        url("newsletter_item", n.pk, item.pk),
        {"headline": "拔河比赛激战正酣", "body": "<p>改写后的正文<img src=x onerror=alert(1)></p>"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.headline, item.body) == ("拔河比赛激战正酣", "<p>改写后的正文</p>")


def test_editing_an_item_of_a_published_issue_is_refused_with_a_message():
    month = month_of_records()
    n = issue(month, published=True)
    item = n.items.first()
    client = signed_in(month.chair)
    response = client.post(
        url("newsletter_item", n.pk, item.pk), {"headline": "改", "body": "<p>改</p>"}, follow=True
    )
    assert "第1期简报已发布，不能再修改" in response.content.decode()
    item.refresh_from_db()
    assert item.headline != "改"


def test_publishing_twice_from_the_page_says_it_was_already_published():
    month = month_of_records()
    n = issue(month)
    client = signed_in(month.chair)
    client.post(url("publish_newsletter", n.pk))
    response = client.post(url("publish_newsletter", n.pk), follow=True)
    assert "第1期简报已经发布过了" in response.content.decode()


def test_moving_and_removing_items_from_the_page():
    month = month_of_records()
    n = issue(month)
    first, second = list(n.items.all())[:2]
    client = signed_in(month.chair)
    client.post(url("move_newsletter_item", n.pk, second.pk), {"direction": "up"})
    assert list(n.items.all())[0] == second
    client.post(url("remove_newsletter_item", n.pk, second.pk))
    assert second.pk not in n.items.values_list("pk", flat=True)


def test_a_photo_is_shown_inline_to_the_back_office():
    month = month_of_records()
    n = issue(month)
    photo = next(p for i in n.items.all() for p in i.photos.all())
    response = signed_in(month.chair).get(url("newsletter_photo", n.pk, photo.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" not in response.get("Content-Disposition", "")


# Word ----------------------------------------------------------------------------------


def test_the_word_file_has_the_masthead_number_items_and_the_photo():
    month = month_of_records()
    n = issue(month, published=True)
    response = signed_in(month.chair).get(url("newsletter_docx", n.pk))
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "实验学校工会简报"
    assert texts[1] == "第1期"
    assert texts[2].startswith("实验学校工会编\t")
    assert any(t.startswith("◆") and "教职工拔河比赛" in t for t in texts)
    assert "发：实验学校工会各部门、各工会小组" in texts
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) >= 1  # the tug-of-war photo (and the chart, when charts are installed)
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)


def test_the_masthead_is_red():
    month = month_of_records()
    n = issue(month)
    document = Document(
        io.BytesIO(signed_in(month.chair).get(url("newsletter_docx", n.pk)).content)
    )
    assert str(document.paragraphs[0].runs[0].font.color.rgb) == "E00000"


# Portal --------------------------------------------------------------------------------


def member_client(union) -> Client:
    user = user_with_role(union, Role.MEMBER)
    MemberFactory(union=union, user=user)
    return signed_in(user)


def test_a_member_reads_the_published_issue_of_their_union_with_photos_and_no_admin_links():
    month = month_of_records()
    n = issue(month, published=True)
    client = member_client(month.union)
    listing = client.get("/newsletter/").content.decode()
    assert "2025年3月工会工作动态" in listing
    page = client.get(f"/newsletter/{n.pk}/").content.decode()
    assert "实验学校工会简报" in page and "教职工拔河比赛" in page
    assert "/admin/" not in page
    photo = next(p for i in n.items.all() for p in i.photos.all())
    assert f"/newsletter/{n.pk}/photos/{photo.pk}/" in page
    assert client.get(f"/newsletter/{n.pk}/photos/{photo.pk}/").status_code == 200


def test_a_member_does_not_see_a_draft():
    month = month_of_records()
    n = issue(month)
    client = member_client(month.union)
    assert "2025年3月工会工作动态" not in client.get("/newsletter/").content.decode()
    assert client.get(f"/newsletter/{n.pk}/").status_code == 404
    photo = next(p for i in n.items.all() for p in i.photos.all())
    assert client.get(f"/newsletter/{n.pk}/photos/{photo.pk}/").status_code == 404


def test_a_member_of_another_union_does_not_see_the_issue():
    month = month_of_records()
    n = issue(month, published=True)
    client = member_client(UnionFactory())
    assert "工会工作动态" not in client.get("/newsletter/").content.decode()
    assert client.get(f"/newsletter/{n.pk}/").status_code == 404


def test_the_members_home_links_to_the_newsletters():
    union = UnionFactory()
    assert 'href="/newsletter/"' in member_client(union).get("/").content.decode()


# API -----------------------------------------------------------------------------------


def test_the_api_generates_a_draft_for_a_chair_with_its_items_and_figures():
    month = month_of_records()
    key = token_for(month.chair)
    response = call("post", "newsletters", key, {"union": month.union.pk, "month": "2025-03"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["month"], body["state"]) == (1, "2025-03", "draft")
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["activities.held"] == month.activities_held
    assert any("教职工拔河比赛" in i["headline"] for i in body["items"])


def test_the_api_refuses_a_second_draft_of_a_month_and_a_future_month_by_field():
    month = month_of_records()
    key = token_for(month.chair)
    call("post", "newsletters", key, {"union": month.union.pk, "month": "2025-03"})
    again = call("post", "newsletters", key, {"union": month.union.pk, "month": "2025-03"})
    future = call("post", "newsletters", key, {"union": month.union.pk, "month": "2099-01"})
    assert again.status_code == future.status_code == 400
    assert again.json()["errors"][0]["field"] == "month"
    assert "已经生成" in again.json()["detail"]
    assert "还没有到" in future.json()["detail"]


def test_the_api_lists_published_issues_only_to_readers_who_do_not_edit():
    month = month_of_records()
    draft = issue(month)
    auditor_key = token_for(user_with_role(month.union, Role.AUDIT))
    assert call("get", "newsletters", auditor_key).json() == {"items": [], "next_cursor": None}
    assert call("get", f"newsletters/{draft.pk}", auditor_key).status_code == 404
    services.publish(newsletter=draft, actor=month.chair)
    listed = call("get", "newsletters", auditor_key).json()["items"]
    assert [n["id"] for n in listed] == [draft.pk]
    assert call("get", f"newsletters/{draft.pk}", auditor_key).json()["state"] == "published"


def test_the_api_refuses_generating_and_publishing_to_a_reader():
    month = month_of_records()
    draft = issue(month)
    key = token_for(user_with_role(month.union, Role.AUDIT))
    generate = call("post", "newsletters", key, {"union": month.union.pk, "month": "2025-04"})
    publish = call("post", f"newsletters/{draft.pk}/publish", key)
    assert (generate.status_code, publish.status_code) == (403, 404)


def test_the_api_answers_404_for_another_unions_issue_and_a_field_error_for_its_union():
    month = month_of_records()
    n = issue(month, published=True)
    key = token_for(user_with_role(UnionFactory()))
    assert call("get", f"newsletters/{n.pk}", key).status_code == 404
    assert call("post", f"newsletters/{n.pk}/publish", key).status_code == 404
    assert call("get", f"newsletters/{n.pk}/export", key).status_code == 404
    response = call("post", "newsletters", key, {"union": month.union.pk, "month": "2025-03"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "union"


def test_the_api_publishes_once_and_exports_word():
    month = month_of_records()
    draft = issue(month)
    key = token_for(month.chair)
    assert call("post", f"newsletters/{draft.pk}/publish", key).json()["state"] == "published"
    again = call("post", f"newsletters/{draft.pk}/publish", key)
    assert again.status_code == 400 and "已经发布过了" in again.json()["detail"]
    exported = call("get", f"newsletters/{draft.pk}/export", key)
    assert Document(io.BytesIO(exported.content)).paragraphs[0].text == "实验学校工会简报"


def test_a_long_union_name_gets_a_smaller_masthead_that_still_fits_one_line():
    assert masthead_size("实验学校工会简报").pt == 36
    long_name = "宁波市北仑区新碶实验学校工会简报"
    assert masthead_size(long_name).pt * len(long_name) <= Mm(156).pt
    assert masthead_size("某" * 40).pt == 22


def test_the_api_serves_a_photo_of_an_issue_it_shows_and_404_for_a_stranger():
    month = month_of_records()
    n = issue(month, published=True)
    photo = next(p for i in n.items.all() for p in i.photos.all())
    path = f"newsletters/{n.pk}/photos/{photo.pk}"
    shown = call("get", path, token_for(month.chair))
    assert (shown.status_code, shown["Content-Type"]) == (200, "image/jpeg")
    assert call("get", path, token_for(user_with_role(UnionFactory()))).status_code == 404


def test_the_api_pages_the_list_with_a_cursor_and_refuses_a_forged_one():
    month = month_of_records()
    key = token_for(month.chair)
    ids = [
        services.generate(union=month.union, month=m, actor=month.chair, today=TODAY).pk
        for m in (date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1))
    ]
    first = call("get", "newsletters", key, {"limit": 2}).json()
    rest = call("get", "newsletters", key, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [n["id"] for n in first["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None
    forged = call("get", "newsletters", key, {"cursor": "not-ours"})
    assert forged.status_code == 400 and forged.json()["errors"][0]["field"] == "cursor"
