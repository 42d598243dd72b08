"""Reads behind the women's endpoints, paged by id."""

from gonghui.api.queries_finance import page
from gonghui.women.models import CheckupCampaign, InsurancePlan, ProtectionRecord


def _in(rows, union_ids, union):
    rows = rows.filter(union_id__in=union_ids)
    return rows.filter(union_id=union) if union is not None else rows


def protection(*, union_ids, union=None, open=None, **paging):
    # The encrypted columns are not read for a list that shows them masked.
    rows = ProtectionRecord.objects.select_related("member").defer(
        "period", "arrangements", "items", "notes"
    )
    rows = _in(rows, union_ids, union)
    if open is not None:
        rows = rows.filter(ends_on__isnull=open)
    return page(rows, **paging)


def campaigns(*, union_ids, union=None, year=None, **paging):
    rows = _in(CheckupCampaign.objects.all(), union_ids, union)
    if year is not None:
        rows = rows.filter(year=year)
    return page(rows, **paging)


def plans(*, union_ids, union=None, year=None, **paging):
    rows = _in(InsurancePlan.objects.all(), union_ids, union)
    if year is not None:
        rows = rows.filter(year=year)
    return page(rows, **paging)
