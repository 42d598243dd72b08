"""publish(): the entry point every area uses to disclose something."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.disclosure import services
from gonghui.disclosure.models import Post
from gonghui.finance.tests.factories import FiscalYearFactory, staff
from gonghui.orgs.tests.factories import UnionFactory

pytestmark = pytest.mark.django_db


def _publish(union, **kwargs):
    return services.publish(
        union=union,
        category=kwargs.pop("category", "resolutions"),
        title=kwargs.pop("title", "第三届教代会第二次会议决议"),
        body=kwargs.pop("body", "<p>大会审议通过了学校工作报告。</p>"),
        actor=kwargs.pop("actor", None) or staff(union),
        **kwargs,
    )


def test_publish_makes_a_post_visible_from_today():
    union = UnionFactory()
    post = _publish(union)
    assert post.publish_on == timezone.localdate()
    assert post.withdraw_on is None
    assert post.audience == "all"
    assert post.is_visible_on(timezone.localdate())


def test_publish_strips_scripts_and_event_handlers_from_the_body():
    union = UnionFactory()
    post = _publish(
        union,
        body='<p onclick="steal()">决议<script>alert(1)</script><a href="javascript:x()">链接</a></p>',
    )
    assert "script" not in post.body
    assert "onclick" not in post.body
    assert "javascript" not in post.body
    assert "决议" in post.body


def test_publish_links_the_record_it_publishes():
    union = UnionFactory()
    year = FiscalYearFactory(union=union, year=2026)
    post = _publish(union, category="plan_budget", source=year)
    assert post.source == year


def test_publish_to_representatives_only_is_kept():
    union = UnionFactory()
    post = _publish(union, audience="representatives")
    assert post.audience == "representatives"


def test_an_unknown_category_is_refused_in_chinese_and_nothing_is_written():
    union = UnionFactory()
    with pytest.raises(ValidationError) as e:
        _publish(union, category="gossip")
    assert "公开类别“gossip”不在可选范围内" in e.value.message_dict["category"][0]
    assert Post.objects.count() == 0


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValidationError) as e:
        _publish(UnionFactory(), audience="everyone")
    assert "公开范围" in e.value.message_dict["audience"][0]


def test_a_body_that_is_only_markup_is_refused_as_empty():
    with pytest.raises(ValidationError) as e:
        _publish(UnionFactory(), body="<script>alert(1)</script><p> </p>")
    assert e.value.message_dict["body"] == ["正文不能为空"]


def test_an_empty_title_is_refused():
    with pytest.raises(ValidationError) as e:
        _publish(UnionFactory(), title="  ")
    assert e.value.message_dict["title"] == ["标题不能为空"]


def test_a_withdraw_date_before_the_publish_date_is_refused():
    union = UnionFactory()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        services.create_post(
            union=union,
            category="other",
            title="通知",
            body="<p>内容</p>",
            publish_on=today,
            withdraw_on=today - timedelta(days=1),
            actor=staff(union),
        )
    assert "不能早于发布日期" in e.value.message_dict["withdraw_on"][0]
