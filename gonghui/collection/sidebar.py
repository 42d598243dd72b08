"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "上报与汇总",
    "items": [
        area_item("上报通知与报送", "outbox", "collection:index", Perm.VIEW_DASHBOARD),
    ],
}
