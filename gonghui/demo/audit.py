"""The audit committee's reports, filed last: they quote the books after every
area (care, activities, opinions' rewards, women's insurance…) has paid
what it pays, so a report agrees with the statement it reviews."""

import random
from datetime import date, timedelta

from django.db import transaction

from gonghui.finance import services as finance
from gonghui.finance.queries import statement
from gonghui.members.models import Status
from gonghui.members.services import create_portal_account
from gonghui.orgs.models import Post, PostKind, Union
from gonghui.orgs.roles import Role
from gonghui.orgs.services import assign_role
from gonghui.periods import Period

CONCLUSION = (
    "工会经费收支符合《工会会计制度》和本会预算安排，"
    "经费使用坚持服务职工、勤俭节约的原则，未发现违规违纪问题。"
)


@transaction.atomic
def fill(*, union: Union, rng: random.Random, today: date, actor) -> None:
    """The audit head reviews last year's books early this year and this
    year's first half in July; unions without an audit committee file none."""
    post = (
        Post.objects.filter(union=union, kind=PostKind.AUDIT_HEAD)
        .select_related("member")
        .order_by("-term__number")
        .first()
    )
    if post is None or post.member.status != Status.ACTIVE:
        return
    auditor = post.member
    assign_role(user=create_portal_account(member=auditor), union=union, role=Role.AUDIT)
    last, this = today.year - 1, today.year
    reviews = [
        (date(last, 1, 1), date(last, 12, 31), date(this, 1, 20), "年度"),
        (date(this, 1, 1), date(this, 6, 30), date(this, 7, 15), "上半年"),
    ]
    for starts_on, ends_on, around, span in reviews:
        filed_on = around + timedelta(days=rng.randint(-3, 3))
        if filed_on > today:
            continue
        sheet = statement(unions=[union.pk], period=Period(starts_on, ends_on))
        category, biggest = max(sheet["expenditure"], key=lambda row: row[1])
        finance.file_audit_report(
            union=union,
            title=f"关于{starts_on.year}年{span}工会经费收支情况的审查报告",
            starts_on=starts_on,
            ends_on=ends_on,
            findings=(
                f"经审查，{starts_on:%Y年%m月%d日}至{ends_on:%Y年%m月%d日}工会经费收入合计"
                f"{sheet['income_total']}元，支出合计{sheet['expenditure_total']}元，"
                f"其中{category.label}{biggest}元。各项收支均有原始凭证，"
                "会计科目使用正确，账账、账实相符；个别报销单据审批签字不全，已当场督促补正。"
            ),
            conclusion=CONCLUSION,
            filed_by=auditor,
            filed_on=filed_on,
            actor=actor,
        )
