"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "评先评优",
    "items": [
        area_item(
            "评选推荐", "military_tech", "admin:honors_nomination_changelist", Perm.VIEW_HONORS
        ),
        area_item("公示获奖名单", "campaign", "honors:announce", Perm.CHANGE_HONORS),
        area_item("评选公示", "feed", "admin:honors_announcement_changelist", Perm.VIEW_HONORS),
        area_item(
            "荣誉类别", "workspace_premium", "admin:honors_awardkind_changelist", Perm.VIEW_HONORS
        ),
        area_item("劳模", "star", "admin:honors_modelworker_changelist", Perm.VIEW_HONORS),
        area_item("考核细则", "rule", "admin:honors_assessmentrule_changelist", Perm.VIEW_HONORS),
        area_item(
            "月度班组考核", "leaderboard", "admin:honors_assessment_changelist", Perm.VIEW_HONORS
        ),
        area_item("建立月度考核", "add_chart", "honors:open_month", Perm.CHANGE_HONORS),
        area_item("排名与趋势", "trending_up", "honors:ranking", Perm.VIEW_HONORS),
    ],
}
