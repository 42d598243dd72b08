"""Honors records made through honors.services, so tests start from real states."""

from datetime import date

from gonghui.honors import services
from gonghui.honors.models import AwardKind
from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.tests.factories import GroupFactory, UnionFactory

RULE_ITEMS = [
    {"name": "安全生产", "max_points": "30", "deduction_guide": "违章一次扣5分"},
    {"name": "劳动纪律", "max_points": "30", "deduction_guide": "迟到一次扣1分"},
    {"name": "工会活动", "max_points": "40", "deduction_guide": "缺席一次扣2分"},
]


def kind(union=None, name="岗位之星") -> AwardKind:
    union = union or UnionFactory()
    services.ensure_default_kinds(union=union)
    return AwardKind.objects.get(union=union, name=name)


def star_nomination(union=None, member=None, **overrides):
    star = kind(union)
    member = member or MemberFactory(union=star.union)
    values = {
        "kind": star,
        "year": 2025,
        "month": 3,
        "member": member,
        "reasons": "服务热情周到，本月零投诉",
        "nominated_on": date(2025, 3, 28),
        "nominated_by": "后勤组",
    }
    values.update(overrides)
    return services.nominate(**values)


def rule(union=None, items=None):
    union = union or UnionFactory()
    return services.write_rule(
        union=union,
        name="班组考核细则（2025版）",
        effective_from=date(2025, 1, 1),
        items=items if items is not None else RULE_ITEMS,
    )


def month_with_groups(n_groups=3, month=date(2025, 3, 1)):
    """An assessment month of a union with `n_groups` groups and the three-item rule."""
    written = rule()
    groups = [GroupFactory(union=written.union, name=f"第{i}组") for i in range(1, n_groups + 1)]
    assessment = services.open_month(rule=written, month=month)
    return assessment, groups


def full_marks(assessment, less: dict | None = None) -> dict:
    """Points for every item: the maximum, or (points, reason) for items named in `less`."""
    out = {}
    for item in assessment.rule.items.all():
        if less and item.name in less:
            out[item.pk] = less[item.name]
        else:
            out[item.pk] = str(item.max_points)
    return out
