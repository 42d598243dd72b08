"""The back-office 评先评优 pages: each form's page calls its service and shows
its Chinese message with nothing written; a viewer cannot write; another
union's records are not found."""

import re
from datetime import date
from decimal import Decimal

import pytest

from gonghui.disclosure.models import Post
from gonghui.honors import services
from gonghui.honors.models import (
    Announcement,
    Assessment,
    AssessmentRule,
    AwardKind,
    GroupResult,
    ModelWorker,
    Nomination,
    NominationState,
    Score,
)
from gonghui.honors.tests.factories import (
    full_marks,
    kind,
    month_with_groups,
    rule,
    star_nomination,
)
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _signed_in(client, union, role=Role.COMMITTEE):
    user = user_with_role(union, role)
    client.force_login(user)
    return user


def _granted(union=None):
    nomination = star_nomination(union)
    return services.decide(nomination=nomination, granted=True, on=date(2025, 4, 2))


# Award kinds ------------------------------------------------------------------------------


def test_a_committee_member_adds_an_award_kind_on_its_page(client):
    union = UnionFactory()
    _signed_in(client, union)
    response = client.post(
        "/admin/honors/awardkind/add/",
        {
            "union": union.pk,
            "name": "安全标兵",
            "scope": "individual",
            "cadence": "yearly",
            "description": "全年无违章",
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    assert AwardKind.objects.get(union=union, name="安全标兵").cadence == "yearly"


def test_an_award_kind_whose_name_is_taken_is_refused_and_nothing_is_added(client):
    star = kind()
    _signed_in(client, star.union)
    before = AwardKind.objects.count()
    response = client.post(
        "/admin/honors/awardkind/add/",
        {"union": star.union_id, "name": "岗位之星", "scope": "individual", "cadence": "monthly"},
    )
    assert response.status_code == 200
    assert "本工会已有荣誉类别“岗位之星”" in _text(response)
    assert AwardKind.objects.count() == before


def test_editing_a_kind_renames_and_retires_it(client):
    star = kind()
    _signed_in(client, star.union)
    response = client.post(
        f"/admin/honors/kinds/{star.pk}/edit/",
        {"name": "服务之星", "scope": "individual", "cadence": "monthly", "description": "x"},
    )
    assert response.status_code == 302
    star.refresh_from_db()
    assert (star.name, star.active) == ("服务之星", False)


def test_a_kind_with_nominations_keeps_whom_it_is_for(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union)
    response = client.post(
        f"/admin/honors/kinds/{nomination.kind_id}/edit/",
        {"name": "岗位之星", "scope": "group", "cadence": "monthly", "active": "on"},
    )
    assert response.status_code == 200
    assert "“岗位之星”已有1条推荐记录，不能把评选对象改为“班组/小组”" in _text(response)
    assert AwardKind.objects.get(pk=nomination.kind_id).scope == "individual"


def test_the_default_kinds_are_filled_in_from_the_back_office(client):
    union = UnionFactory()
    _signed_in(client, union)
    response = client.post("/admin/honors/kinds/defaults/", {"union": union.pk})
    assert response.status_code == 302
    names = set(AwardKind.objects.filter(union=union).values_list("name", flat=True))
    assert {"岗位之星", "工人先锋号", "金点子"} <= names


# Nominations, decisions, announcements --------------------------------------------------------------


def _nomination_form(star, member, **changes):
    data = {
        "kind": star.pk,
        "year": 2025,
        "month": 3,
        "member": member.pk,
        "reasons": "服务热情周到，本月零投诉",
        "nominated_on": "2025-03-28",
        "nominated_by": "后勤组",
    }
    data.update(changes)
    return data


def test_a_member_is_nominated_on_the_nomination_page(client):
    star = kind()
    member = MemberFactory(union=star.union)
    _signed_in(client, star.union)
    response = client.post("/admin/honors/nomination/add/", _nomination_form(star, member))
    assert response.status_code == 302, _text(response)[:2000]
    nomination = Nomination.objects.get()
    assert (nomination.member, nomination.state) == (member, NominationState.NOMINATED)


def test_a_monthly_award_nominated_without_its_month_is_refused_in_chinese(client):
    star = kind()
    member = MemberFactory(union=star.union)
    _signed_in(client, star.union)
    response = client.post(
        "/admin/honors/nomination/add/", _nomination_form(star, member, month="")
    )
    assert response.status_code == 200
    assert "“岗位之星”按月评选，请选择评选月份" in _text(response)
    assert not Nomination.objects.exists()


def test_a_group_award_without_a_group_is_refused(client):
    best = kind(name="优秀小组")
    member = MemberFactory(union=best.union)
    _signed_in(client, best.union)
    response = client.post("/admin/honors/nomination/add/", _nomination_form(best, member))
    assert "“优秀小组”评选班组，请选择被推荐班组" in _text(response)
    assert not Nomination.objects.exists()


def test_the_committee_grants_a_nomination_on_the_decision_page(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union)
    response = client.post(
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        {"granted": "yes", "on": "2025-04-02", "note": "一致通过"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_note) == (NominationState.AWARDED, "一致通过")


def test_a_decline_without_the_committees_reason_is_refused(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union)
    response = client.post(
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        {"granted": "no", "on": "2025-04-02", "note": ""},
    )
    assert response.status_code == 200
    assert "未评上时请填写评定意见" in _text(response)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED


def test_the_committee_declines_with_its_reason(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union)
    client.post(
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        {"granted": "no", "on": "2025-04-02", "note": "本月有一次投诉"},
    )
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_note) == (
        NominationState.DECLINED,
        "本月有一次投诉",
    )


def test_a_decision_dated_before_the_nomination_is_refused(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union)
    response = client.post(
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        {"granted": "yes", "on": "2025-03-01"},
    )
    assert "评定日期不能早于推荐日期" in _text(response)


def test_announcing_awards_publishes_them_to_open_affairs(client):
    award = _granted()
    _signed_in(client, award.union)
    response = client.post(
        "/admin/honors/nominations/announce/",
        {
            "union": award.union_id,
            "awards": [award.pk],
            "title": "2025年3月岗位之星公示",
            "intro": "公示期5天",
        },
    )
    assert response.status_code == 302, _text(response)[:2000]
    post = Post.objects.get(union=award.union)
    assert (post.category, post.title) == ("honors", "2025年3月岗位之星公示")
    assert award.member.name in post.body
    award.refresh_from_db()
    assert award.announcement is not None


def test_an_announcement_without_awards_is_refused_and_nothing_is_posted(client):
    award = _granted()
    _signed_in(client, award.union)
    response = client.post(
        "/admin/honors/nominations/announce/",
        {"union": award.union_id, "title": "公示"},
    )
    assert response.status_code == 200
    assert "请选择要公示的获奖记录" in _text(response)
    assert not Post.objects.exists() and not Announcement.objects.exists()


def test_the_list_action_opens_the_announcement_with_the_chosen_awards(client):
    award = _granted()
    _signed_in(client, award.union)
    response = client.post(
        "/admin/honors/nomination/",
        {"action": "announce", "_selected_action": [award.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/honors/nominations/announce/?awards={award.pk}"
    page = _text(client.get(response["Location"]))
    assert re.search(rf'name="awards" value="{award.pk}"[^>]*checked', page)


# Model workers --------------------------------------------------------------------------------------


def _worker_form(member, **changes):
    data = {
        "member": member.pk,
        "level": "provincial",
        "title": "五一劳动奖章",
        "year": 2023,
        "conferred_by": "浙江省总工会",
        "monthly_allowance": "300",
        "benefits": "年度疗休养\n健康体检",
    }
    data.update(changes)
    return data


def test_a_model_worker_is_recorded_with_the_benefits_due(client):
    member = MemberFactory()
    _signed_in(client, member.union)
    response = client.post("/admin/honors/modelworker/add/", _worker_form(member))
    assert response.status_code == 302, _text(response)[:2000]
    worker = ModelWorker.objects.get()
    assert (worker.level, worker.monthly_allowance) == ("provincial", Decimal("300.00"))
    assert "健康体检" in worker.benefits


def test_a_model_worker_with_a_future_year_is_refused(client):
    member = MemberFactory()
    _signed_in(client, member.union)
    response = client.post("/admin/honors/modelworker/add/", _worker_form(member, year=2099))
    assert response.status_code == 200
    assert "授予年度不能晚于今年" in _text(response)
    assert not ModelWorker.objects.exists()


def test_a_model_workers_record_is_corrected_on_the_edit_page(client):
    member = MemberFactory()
    worker = services.record_model_worker(
        member=member, level="city", title="劳动模范", year=2020, monthly_allowance="100"
    )
    _signed_in(client, member.union)
    form = _worker_form(member, level="city", title="劳动模范", year=2020)
    form.pop("member")
    form["monthly_allowance"] = "150.50"
    response = client.post(f"/admin/honors/workers/{worker.pk}/edit/", form)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.monthly_allowance == Decimal("150.50")
    assert worker.member == member


def test_editing_a_title_into_one_already_recorded_is_refused(client):
    member = MemberFactory()
    services.record_model_worker(member=member, level="city", title="劳动模范", year=2020)
    other = services.record_model_worker(member=member, level="city", title="先进工作者", year=2020)
    _signed_in(client, member.union)
    response = client.post(
        f"/admin/honors/workers/{other.pk}/edit/",
        {"level": "city", "title": "劳动模范", "year": 2020, "monthly_allowance": "0"},
    )
    assert response.status_code == 200
    assert f"{member.name}的2020年“劳动模范”已登记" in _text(response)
    other.refresh_from_db()
    assert other.title == "先进工作者"


# Group assessment rules ------------------------------------------------------------------------------


def _rule_form(union, rows):
    data = {"union": union.pk, "name": "班组考核细则（2026版）", "effective_from": "2026-01-01"}
    for i, (name, points, guide) in enumerate(rows, start=1):
        data.update({f"item_name_{i}": name, f"item_max_{i}": points, f"item_guide_{i}": guide})
    return data


def test_the_union_writes_a_rule_with_its_items_on_one_page(client):
    union = UnionFactory()
    _signed_in(client, union)
    response = client.post(
        "/admin/honors/assessmentrule/add/",
        _rule_form(union, [("安全生产", "40", "违章一次扣5分"), ("劳动纪律", "60", "迟到扣1分")]),
    )
    assert response.status_code == 302, _text(response)[:2000]
    written = AssessmentRule.objects.get(union=union)
    assert [(i.name, i.max_points, i.deduction_guide) for i in written.items.all()] == [
        ("安全生产", Decimal("40.0"), "违章一次扣5分"),
        ("劳动纪律", Decimal("60.0"), "迟到扣1分"),
    ]


def test_a_rule_item_without_its_maximum_is_refused_naming_the_row(client):
    union = UnionFactory()
    _signed_in(client, union)
    response = client.post(
        "/admin/honors/assessmentrule/add/",
        _rule_form(union, [("安全生产", "40", ""), ("劳动纪律", "", "迟到扣1分")]),
    )
    assert response.status_code == 200
    assert "第2项（劳动纪律）：请填写满分" in _text(response)
    assert not AssessmentRule.objects.exists()


def test_a_rule_without_items_is_refused(client):
    union = UnionFactory()
    _signed_in(client, union)
    response = client.post("/admin/honors/assessmentrule/add/", _rule_form(union, []))
    assert "请至少填写一个考核项目" in _text(response)
    assert not AssessmentRule.objects.exists()


def test_revising_a_rule_starts_from_its_items_and_retires_it(client):
    written = rule()
    _signed_in(client, written.union)
    page = client.get(f"/admin/honors/rules/{written.pk}/revise/")
    assert 'value="安全生产"' in _text(page) and 'value="违章一次扣5分"' in _text(page)
    response = client.post(
        f"/admin/honors/rules/{written.pk}/revise/",
        _rule_form(written.union, [("安全生产", "50", ""), ("劳动纪律", "50", "")]),
    )
    assert response.status_code == 302
    written.refresh_from_db()
    assert not written.active
    assert AssessmentRule.objects.get(active=True).total_points == Decimal("100.0")


# The month: open, score every group in one form, publish, ranking ---------------------------------------


def test_a_month_is_opened_under_the_active_rule(client):
    written = rule()
    _signed_in(client, written.union)
    response = client.post("/admin/honors/months/new/", {"rule": written.pk, "month": "2025-03"})
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/admin/honors/months/{assessment.pk}/sheet/"
    assert assessment.month == date(2025, 3, 1)


def test_a_month_written_wrongly_is_refused_in_chinese(client):
    written = rule()
    _signed_in(client, written.union)
    response = client.post("/admin/honors/months/new/", {"rule": written.pk, "month": "三月"})
    assert response.status_code == 200
    assert "考核月份“三月”格式不正确" in _text(response)
    assert not Assessment.objects.exists()


def _sheet(assessment, groups, values: dict) -> dict:
    """Form data: values maps (group index, item name) to points or (points, reason);
    every other cell of the listed groups gets the item's maximum."""
    data = {}
    items = list(assessment.rule.items.all())
    for g in {g for g, _ in values} | set(range(len(groups))):
        for item in items:
            value = values.get((g, item.name), str(item.max_points))
            points, reason = value if isinstance(value, tuple) else (value, "")
            data[f"p_{groups[g].pk}_{item.pk}"] = points
            data[f"r_{groups[g].pk}_{item.pk}"] = reason
    return data


def test_every_group_is_scored_in_one_form(client):
    assessment, groups = month_with_groups()
    _signed_in(client, assessment.union)
    response = client.post(
        f"/admin/honors/months/{assessment.pk}/sheet/",
        _sheet(assessment, groups, {(1, "劳动纪律"): ("27", "迟到三次")}),
    )
    assert response.status_code == 302
    assert Score.objects.filter(assessment=assessment).count() == 9
    reason = Score.objects.get(group=groups[1], item__name="劳动纪律").deduction_reason
    assert reason == "迟到三次"


def test_a_score_above_an_items_maximum_names_the_group_and_item_and_saves_nothing(client):
    assessment, groups = month_with_groups()
    _signed_in(client, assessment.union)
    response = client.post(
        f"/admin/honors/months/{assessment.pk}/sheet/",
        _sheet(assessment, groups, {(2, "安全生产"): "35"}),
    )
    assert response.status_code == 200
    assert "第3组“安全生产”得分 35.0 分超过该项满分 30.0 分" in _text(response)
    assert "1个班组的得分有误（见标红的行），本次填写的得分全部未保存" in _text(response)
    assert not Score.objects.exists()  # the first two groups' good rows are not kept either


def test_a_deduction_without_reason_and_a_word_for_a_score_are_both_reported(client):
    assessment, groups = month_with_groups()
    _signed_in(client, assessment.union)
    response = client.post(
        f"/admin/honors/months/{assessment.pk}/sheet/",
        _sheet(assessment, groups, {(0, "劳动纪律"): "28", (1, "工会活动"): "满分"}),
    )
    text = _text(response)
    assert "第1组“劳动纪律”得分扣了 2.0 分，请填写扣分理由" in text
    assert "第2组“工会活动”得分“满分”不是数字" in text
    assert 'value="满分"' in text  # what was typed stays on the sheet
    assert not Score.objects.exists()


def test_a_sheet_left_empty_is_refused(client):
    assessment, _ = month_with_groups()
    _signed_in(client, assessment.union)
    response = client.post(f"/admin/honors/months/{assessment.pk}/sheet/", {})
    assert "没有填写任何班组的得分" in _text(response)


def test_publishing_the_month_ranks_the_groups_and_posts_to_open_affairs(client):
    assessment, groups = month_with_groups(n_groups=2)
    services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    services.score_group(
        assessment=assessment,
        group=groups[1],
        points=full_marks(assessment, less={"安全生产": ("25", "违章作业一次")}),
    )
    _signed_in(client, assessment.union)
    response = client.post(f"/admin/honors/months/{assessment.pk}/publish/")
    assert response.status_code == 302
    ranks = list(GroupResult.objects.order_by("rank").values_list("group__name", "rank", "total"))
    assert ranks == [("第1组", 1, Decimal("100.0")), ("第2组", 2, Decimal("95.0"))]
    post = Post.objects.get(union=assessment.union)
    assert post.title == "2025年3月班组考核结果公示" and "违章作业一次" in post.body


def test_publishing_before_every_group_is_scored_says_which_are_missing(client):
    assessment, groups = month_with_groups(n_groups=2)
    services.score_group(assessment=assessment, group=groups[0], points=full_marks(assessment))
    _signed_in(client, assessment.union)
    response = client.post(f"/admin/honors/months/{assessment.pk}/publish/", follow=True)
    assert "以下班组尚未打分：第2组" in _text(response)
    assert not Post.objects.exists()


def test_the_ranking_page_shows_the_latest_ranking_and_each_groups_trend(client):
    written = rule()
    first, second = (GroupFactory(union=written.union, name=n) for n in ("机修班", "装配班"))
    for month, less in ((date(2025, 2, 1), first), (date(2025, 3, 1), second)):
        assessment = services.open_month(rule=written, month=month)
        for group in (first, second):
            points = full_marks(
                assessment, less={"安全生产": ("20", "违章")} if group == less else None
            )
            services.score_group(assessment=assessment, group=group, points=points)
        services.publish_assessment(assessment=assessment, actor=None)
    _signed_in(client, written.union, Role.LIAISON)
    text = _text(client.get("/admin/honors/ranking/"))
    assert "2025年3月班组考核排名" in text
    assert "安全生产扣10.0分：违章" in text
    assert "↑1" in text and "↓1" in text  # 机修班 up from second, 装配班 down
    assert "2025年2月" in text and "2025年3月" in text


# Permissions ------------------------------------------------------------------------------------------


def test_a_viewer_cannot_score_a_month(client):
    assessment, groups = month_with_groups()
    _signed_in(client, assessment.union, Role.LIAISON)
    assert client.get(f"/admin/honors/months/{assessment.pk}/sheet/").status_code == 200
    response = client.post(
        f"/admin/honors/months/{assessment.pk}/sheet/", _sheet(assessment, groups, {})
    )
    assert response.status_code == 403
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/honors/awardkind/add/",
        "/admin/honors/nomination/add/",
        "/admin/honors/modelworker/add/",
        "/admin/honors/assessmentrule/add/",
        "/admin/honors/months/new/",
        "/admin/honors/nominations/announce/",
        "/admin/honors/kinds/defaults/",
    ],
)
def test_a_viewer_gets_no_form_to_write_with(client, url):
    union = UnionFactory()
    _signed_in(client, union, Role.LIAISON)
    assert client.get(url).status_code == 403


def test_a_viewer_cannot_open_a_decision_or_an_edit_page(client):
    nomination = star_nomination()
    _signed_in(client, nomination.union, Role.LIAISON)
    for url in (
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        f"/admin/honors/kinds/{nomination.kind_id}/edit/",
    ):
        assert client.post(url, {"granted": "yes", "on": "2025-04-02"}).status_code == 404
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED


def test_another_unions_records_are_not_found(client):
    nomination = star_nomination()
    worker = services.record_model_worker(
        member=nomination.member, level="city", title="劳动模范", year=2020
    )
    assessment, _ = month_with_groups()
    written = assessment.rule
    _signed_in(client, UnionFactory(), Role.CHAIR)
    for url in (
        f"/admin/honors/kinds/{nomination.kind_id}/edit/",
        f"/admin/honors/nominations/{nomination.pk}/decide/",
        f"/admin/honors/workers/{worker.pk}/edit/",
        f"/admin/honors/rules/{written.pk}/revise/",
        f"/admin/honors/months/{assessment.pk}/sheet/",
        f"/admin/honors/months/{assessment.pk}/publish/",
    ):
        assert client.post(url, {}).status_code == 404, url
    assert Nomination.objects.get().state == NominationState.NOMINATED
    assert Assessment.objects.get().published_on is None


def test_another_unions_award_cannot_be_announced_here(client):
    award = _granted()
    mine = UnionFactory()
    _signed_in(client, mine, Role.CHAIR)
    response = client.post(
        "/admin/honors/nominations/announce/",
        {"union": mine.pk, "awards": [award.pk], "title": "公示"},
    )
    assert response.status_code == 200
    assert not Post.objects.exists()
