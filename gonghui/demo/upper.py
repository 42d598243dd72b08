"""The upper unions' demo targets (seed 五: a city federation's plan, "确保工资集体
协商建制率保持在建会企业的90%以上"), set through gonghui.upper.services."""

from gonghui.demo import plans
from gonghui.orgs.models import Union
from gonghui.upper import services

# (union code, figure key, comparison, value, note)
TARGETS = (
    (
        plans.CITY.code,
        "rights.wage_contract_coverage",
        "gte",
        "90",
        "市总工会年度工作要点：确保工资集体协商建制率保持在建会企业的90%以上",
    ),
    (plans.CITY.code, "members.membership_rate", "gte", "90", "职工入会率保持在90%以上"),
    (
        plans.DISTRICT.code,
        "upper.congress_rate",
        "gte",
        "95",
        "区总工会：企事业单位职代会建制率达到95%以上",
    ),
    (
        plans.DISTRICT.code,
        "care.hardship_review_coverage",
        "gte",
        "100",
        "在档困难职工每年至少复核一次",
    ),
)


def set_targets(actor=None) -> int:
    """Set the targets of the demo's upper unions that exist; the number set."""
    unions = {u.code: u for u in Union.objects.filter(code__in={t[0] for t in TARGETS})}
    count = 0
    for code, key, comparison, value, note in TARGETS:
        if code in unions:
            services.set_target(
                union=unions[code],
                metric=key,
                comparison=comparison,
                value=value,
                note=note,
                actor=actor,
            )
            count += 1
    return count
