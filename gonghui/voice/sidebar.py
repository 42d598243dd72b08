"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "职工意见",
    "items": [
        area_item("意见建议", "lightbulb", "admin:voice_opinion_changelist", Perm.VIEW_VOICE),
    ],
}
