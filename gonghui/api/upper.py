"""Upper-union endpoints: the subtree's figures per unit and its KPIs, for the
upper unions (总工会, 产业工会, 集团工会) the caller reads. Counts and amounts
only; whole numbers leave as numbers, decimals (money, per cent) as strings."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from gonghui.api import schemas
from gonghui.api.access import union_or_404
from gonghui.api.schemas import ObjectId
from gonghui.api.strict import TextFields
from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports import registry
from gonghui.upper import figures, queries

router = Router(tags=["上级工会"])

ERRORS = {
    400: schemas.ErrorOut,
    403: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ErrorOut,
}
MAX_METRICS = 200


class PeriodQuery(TextFields):
    union: ObjectId = Field(..., description="上级工会编号")
    start: date = Field(..., alias="from", description="开始日期")
    end: date = Field(..., alias="to", description="结束日期")


class OverviewQuery(PeriodQuery):
    metric: list[str] = Field(
        default_factory=list,
        description="指标键，可重复；不填时为各项考核指标所用的指标",
    )


class UnionRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    values: dict[str, int | str]


class MetricOut(Schema):
    key: str
    label: str
    unit: str


class OverviewOut(Schema):
    union: UnionRef
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    metrics: list[MetricOut]
    units: list[UnitOut]
    totals: dict[str, int | str]


class KpiOut(Schema):
    key: str
    label: str
    value: str
    numerator: int | str
    numerator_label: str
    denominator: int | str
    denominator_label: str
    description: str
    lacking: list[int] = Field(..., description="不计入该比率的基层工会编号（按单位计的比率）")


class KpisOut(Schema):
    union: UnionRef
    start: date = Field(..., alias="from")
    end: date = Field(..., alias="to")
    units: int
    kpis: list[KpiOut]


def _json(value) -> int | str:
    return f"{value}" if isinstance(value, Decimal) else value


def _upper(request, query: PeriodQuery) -> tuple[Union, Period]:
    allowed = queries.upper_union_ids(request.access)
    if not allowed:
        raise HttpError(
            403, "只有上级工会（总工会、产业工会、集团工会）的工作人员可以查看下属工会统计"
        )
    union = union_or_404(request, query.union)
    if union.pk not in allowed:
        if union.is_upper:
            raise HttpError(403, "您没有查看该工会下属统计的权限")
        raise ValidationError({"union": f"{union.name}不是上级工会，没有下属基层工会"})
    if query.start > query.end:
        raise ValidationError({"to": "结束日期不能早于开始日期"})
    return union, Period(query.start, query.end)


def _ref(union: Union) -> dict:
    return {"id": union.pk, "code": union.code, "name": union.name}


@router.get(
    "/upper/overview",
    response={200: OverviewOut, **ERRORS},
    by_alias=True,
    summary="下属基层工会的各项指标（每个单位一行）及合计",
)
def overview(request, query: Query[OverviewQuery]):
    union, period = _upper(request, query)
    keys = list(dict.fromkeys(k.strip() for k in query.metric if k.strip()))
    if len(keys) > MAX_METRICS:
        raise ValidationError({"metric": f"一次最多查询{MAX_METRICS}项指标"})
    for key in keys:
        try:
            registry.get(key)
        except KeyError:
            raise ValidationError({"metric": f"未登记的指标：{key}"}) from None
    keys = keys or figures.kpi_keys()
    units = figures.units(union)
    ids = [u.pk for u in units]
    values = figures.values_for_units(ids, period, keys)
    totals = figures.totals_for_units(ids, period, keys, values)
    return {
        "union": _ref(union),
        "from": period.start,
        "to": period.end,
        "metrics": [
            {"key": m.key, "label": m.label, "unit": m.unit} for m in map(registry.get, keys)
        ],
        "units": [
            {
                "id": u.pk,
                "code": u.code,
                "name": u.name,
                "parent_id": u.parent_id,
                "values": {k: _json(v) for k, v in values[u.pk].items()},
            }
            for u in units
        ],
        "totals": {k: _json(v) for k, v in totals.items()},
    }


@router.get(
    "/upper/kpis",
    response={200: KpisOut, **ERRORS},
    by_alias=True,
    summary="下属工会的入会率、职代会建制率、工资集体协商建制率等（含分子、分母）",
)
def kpis(request, query: Query[PeriodQuery]):
    union, period = _upper(request, query)
    ids = figures.unit_ids(union)
    return {
        "union": _ref(union),
        "from": period.start,
        "to": period.end,
        "units": len(ids),
        "kpis": [
            {
                "key": k.key,
                "label": k.label,
                "value": _json(k.value),
                "numerator": _json(k.numerator),
                "numerator_label": k.numerator_label,
                "denominator": _json(k.denominator),
                "denominator_label": k.denominator_label,
                "description": k.description,
                "lacking": list(k.lacking),
            }
            for k in figures.kpis_for_units(ids, period)
        ],
    }
