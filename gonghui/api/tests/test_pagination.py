import pytest

from gonghui.api.tests.calls import call, token_for
from gonghui.members.models import Member
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _walk(key, limit, params=None, between_pages=None):
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **(params or {})}
        if cursor:
            query["cursor"] = cursor
        body = call("get", "members", key, query).json()
        seen += [m["id"] for m in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if between_pages:
            between_pages(pages)
        if not cursor:
            return seen, pages


def test_walking_every_page_returns_each_member_exactly_once():
    union = UnionFactory()
    MemberFactory.create_batch(23, union=union)
    key = token_for(user_with_role(union))
    seen, pages = _walk(key, limit=5)
    assert seen == list(
        Member.objects.filter(union=union).order_by("pk").values_list("pk", flat=True)
    )
    assert pages == 5


def test_a_page_exactly_filling_the_limit_has_no_next_cursor():
    union = UnionFactory()
    MemberFactory.create_batch(4, union=union)
    key = token_for(user_with_role(union))
    body = call("get", "members", key, {"limit": 4}).json()
    assert len(body["items"]) == 4
    assert body["next_cursor"] is None


def test_members_added_or_removed_during_a_walk_neither_repeat_nor_skip_others():
    union = UnionFactory()
    original = MemberFactory.create_batch(12, union=union)
    key = token_for(user_with_role(union))

    def meanwhile(page):
        if page == 1:
            MemberFactory(union=union)
            Member.objects.filter(pk=original[0].pk).delete()

    seen, _ = _walk(key, limit=4, between_pages=meanwhile)
    assert len(seen) == len(set(seen))
    assert {m.pk for m in original[1:]} <= set(seen)


def test_pages_follow_the_filters_across_the_walk():
    union = UnionFactory()
    MemberFactory.create_batch(9, union=union, status="active")
    MemberFactory.create_batch(3, union=union, status="retired")
    key = token_for(user_with_role(union))
    seen, _ = _walk(key, limit=2, params={"status": "retired"})
    assert len(seen) == 3


def test_upper_union_staff_walk_every_member_of_their_subtree_and_no_other():
    parent = UnionFactory(kind="federation")
    children = UnionFactory.create_batch(2, parent=parent)
    for child in children:
        MemberFactory.create_batch(6, union=child)
    outside = MemberFactory.create_batch(3, union=UnionFactory())
    key = token_for(user_with_role(parent, Role.UPPER_STAFF))
    seen, _ = _walk(key, limit=5)
    assert len(seen) == 12
    assert not {m.pk for m in outside} & set(seen)
