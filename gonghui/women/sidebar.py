"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "女职工工作",
    "items": [
        area_item("女职工委员会", "diversity_3", "women:committee", Perm.VIEW_WOMEN),
        area_item(
            "四期保护",
            "pregnant_woman",
            "admin:women_protectionrecord_changelist",
            Perm.REVEAL_WOMEN,
        ),
        area_item(
            "女职工体检",
            "health_and_safety",
            "admin:women_checkupcampaign_changelist",
            Perm.VIEW_WOMEN,
        ),
        area_item("女职工保险", "shield", "admin:women_insuranceplan_changelist", Perm.VIEW_WOMEN),
    ],
}
