"""Reads behind the finance endpoints: years, lines, payments and income the
caller may see, filtered and paged by id."""

from datetime import date

from gonghui.api import cursor as cursors
from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    BudgetLine,
    FiscalYear,
    Kind,
)


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
