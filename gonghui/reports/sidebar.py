"""This area's section of the back-office sidebar (gonghui.unfold_config).

Items are made with gonghui.unfold_config's `area_item(title, icon, url_name,
perm_code)`: shown to users holding `perm_code` in some union.
"""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "工作计划与总结",
    "items": [
        area_item("工作计划", "flag", "reports:plans", Perm.VIEW_DASHBOARD),
        area_item("工作总结", "summarize", "reports:summaries", Perm.VIEW_DASHBOARD),
        area_item("工会简报", "newspaper", "reports:newsletters", Perm.VIEW_DASHBOARD),
    ],
}
