"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "厂务公开",
    "items": [
        area_item("公开事项", "campaign", "admin:disclosure_post_changelist", Perm.VIEW_DISCLOSURE),
        area_item(
            "提问与反馈", "forum", "admin:disclosure_feedback_changelist", Perm.VIEW_DISCLOSURE
        ),
        area_item(
            "公开经费预算", "account_balance", "disclosure:publish_budget", Perm.CHANGE_DISCLOSURE
        ),
    ],
}
