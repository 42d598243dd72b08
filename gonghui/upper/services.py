"""Every write of the upper-union workspace: setting and removing targets."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from gonghui.orgs.models import Union
from gonghui.upper import queries
from gonghui.upper.models import Comparison, UnitTarget


@transaction.atomic
def set_target(
    *, union: Union, metric: str, comparison: str, value, note: str = "", actor=None
) -> UnitTarget:
    """Set (or change) the union's target on one figure."""
    errors: dict[str, str] = {}
    if not union.is_upper:
        errors["union"] = f"{union.name}不是上级工会，不能设定考核目标"
    figure = None
    try:
        figure = queries.figure((metric or "").strip())
    except KeyError:
        errors["metric"] = f"没有这个指标：{metric or '（未选择）'}"
    if comparison not in Comparison.values:
        errors["comparison"] = "请选择“不低于”或“不高于”"
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["value"] = f"目标值“{value}”不是数字"
    else:
        if amount < 0:
            errors["value"] = "目标值不能为负数"
        elif figure is not None and figure.unit == "%" and amount > 100:
            errors["value"] = f"{figure.label}是百分比，目标值不能超过100"
        elif amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
            errors["value"] = "目标值最多两位小数、十二位整数"
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = "依据或说明不能超过200字"
    if errors:
        raise ValidationError(errors)
    target, _ = UnitTarget.objects.update_or_create(
        union=union,
        metric=figure.key,
        defaults={"comparison": comparison, "value": amount, "note": note, "set_by": actor},
    )
    return target


@transaction.atomic
def remove_target(*, target: UnitTarget, actor=None) -> None:
    target.delete()
