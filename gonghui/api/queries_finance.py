"""Reads behind the finance endpoints: years, lines, payments and income the
caller may see, filtered and paged by id."""

from datetime import date, timedelta
from decimal import Decimal

from gonghui.api import cursor as cursors
from gonghui.finance import dues
from gonghui.finance import queries as finance_queries
from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    Allocation,
    AuditReport,
    BudgetLine,
    DuesExemption,
    DuesPayment,
    FiscalYear,
    Kind,
)
from gonghui.orgs.models import Group


def page(rows, *, cursor: str | None, limit: int):
    """One page of `rows` in id order, and the cursor of the next page."""
    if cursor:
        rows = rows.filter(pk__gt=cursors.decode(cursor))
    found = list(rows.order_by("pk")[: limit + 1])
    next_cursor = cursors.encode(found[limit - 1].pk) if len(found) > limit else None
    return found[:limit], next_cursor


def years(*, union_ids, union=None):
    rows = FiscalYear.objects.filter(union_id__in=union_ids)
    if union is not None:
        rows = rows.filter(union_id=union)
    return rows.order_by("union_id", "-year")


def lines(*, union_ids, union=None, year=None, category=None, kind=None):
    rows = BudgetLine.objects.filter(union_id__in=union_ids).select_related("fiscal_year")
    if union is not None:
        rows = rows.filter(union_id=union)
    if year is not None:
        rows = rows.filter(fiscal_year__year=year)
    if category:
        rows = rows.filter(category=category)
    if kind:
        categories = INCOME_CATEGORIES if kind == Kind.INCOME else EXPENDITURE_CATEGORIES
        rows = rows.filter(category__in=categories)
    return rows.order_by("union_id", "-fiscal_year__year", "category", "name", "pk")


def entries(
    model,
    *,
    union_ids,
    union=None,
    year=None,
    category=None,
    line=None,
    on_from=None,
    on_until=None,
    cursor=None,
    limit=50,
):
    """One page of payments or income of `union_ids`, and the next page's cursor."""
    rows = model.objects.filter(union_id__in=union_ids).select_related("line", "linked_type")
    if union is not None:
        rows = rows.filter(union_id=union)
    if year is not None:
        rows = rows.filter(on__gte=date(year, 1, 1), on__lte=date(year, 12, 31))
    if category:
        rows = rows.filter(category=category)
    if line is not None:
        rows = rows.filter(line_id=line)
    if on_from is not None:
        rows = rows.filter(on__gte=on_from)
    if on_until is not None:
        rows = rows.filter(on__lte=on_until)
    return page(rows, cursor=cursor, limit=limit)


def exemptions(*, union_ids, union=None, member=None, cursor=None, limit=50):
    rows = DuesExemption.objects.filter(union_id__in=union_ids).select_related("member")
    if union is not None:
        rows = rows.filter(union_id=union)
    if member is not None:
        rows = rows.filter(member_id=member)
    return page(rows, cursor=cursor, limit=limit)


def dues_payments(
    *, union_ids, union=None, member=None, month_from=None, month_until=None, cursor=None, limit=50
):
    rows = DuesPayment.objects.filter(union_id__in=union_ids).select_related("member")
    if union is not None:
        rows = rows.filter(union_id=union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if month_from is not None:
        rows = rows.filter(month__gte=month_from)
    if month_until is not None:
        rows = rows.filter(month__lte=month_until)
    return page(rows, cursor=cursor, limit=limit)


def allocations(*, union_ids, union=None, cursor=None, limit=50):
    rows = Allocation.objects.filter(union_id__in=union_ids)
    if union is not None:
        rows = rows.filter(union_id=union)
    return page(rows, cursor=cursor, limit=limit)


def audit_reports(*, union_ids, union=None, cursor=None, limit=50):
    rows = AuditReport.objects.filter(union_id__in=union_ids).select_related("filed_by")
    if union is not None:
        rows = rows.filter(union_id=union)
    return page(rows, cursor=cursor, limit=limit)


def arrears_by_group(*, union, month: date) -> list[dict]:
    """The union's members owing dues for months up to and including `month`,
    grouped by 工会小组 (members without a group last)."""
    last_day = dues.next_month(month) - timedelta(days=1)
    rows = finance_queries.arrears(unions=[union.pk], on=last_day)
    groups = {g.pk: g.name for g in Group.objects.filter(union=union)}
    grouped: dict[int | None, list] = {}
    for row in rows:
        grouped.setdefault(row.member.group_id, []).append(row)
    order = sorted(grouped, key=lambda g: (g is None, groups.get(g, ""), g or 0))
    return [
        {
            "group": group_id,
            "group_name": groups.get(group_id, "未分小组"),
            "rows": sorted(grouped[group_id], key=lambda r: (r.member.name, r.member.pk)),
            "total": sum((r.total for r in grouped[group_id]), Decimal("0")),
        }
        for group_id in order
    ]
