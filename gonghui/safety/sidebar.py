"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "安全生产",
    "items": [
        area_item("隐患卡", "report", "admin:safety_hazard_changelist", Perm.VIEW_SAFETY),
        area_item("逾期督办", "alarm", "safety:overdue", Perm.VIEW_SAFETY),
        area_item("安全检查", "fact_check", "admin:safety_inspection_changelist", Perm.VIEW_SAFETY),
        area_item(
            "安全演练", "local_fire_department", "admin:safety_drill_changelist", Perm.VIEW_SAFETY
        ),
        area_item("安全知识竞赛", "quiz", "admin:safety_contest_changelist", Perm.VIEW_SAFETY),
        area_item("违章记录", "gpp_bad", "admin:safety_violation_changelist", Perm.VIEW_SAFETY),
        area_item("安全摸大奖", "redeem", "admin:safety_draw_changelist", Perm.VIEW_SAFETY),
    ],
}
