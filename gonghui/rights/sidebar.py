"""This area's section of the back-office sidebar (gonghui.unfold_config)."""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

SECTION = {
    "title": "维权",
    "items": [
        area_item("集体合同", "handshake", "admin:rights_contract_changelist", Perm.VIEW_RIGHTS),
        area_item("合同到期提醒", "event_busy", "rights:expiring", Perm.VIEW_RIGHTS),
        area_item(
            "协商会议", "forum", "admin:rights_negotiationround_changelist", Perm.VIEW_RIGHTS
        ),
        area_item("劳动争议调解", "gavel", "admin:rights_disputecase_changelist", Perm.VIEW_RIGHTS),
        area_item(
            "法律咨询与援助",
            "support_agent",
            "admin:rights_consultation_changelist",
            Perm.VIEW_RIGHTS,
        ),
        area_item(
            "劳动法律监督", "policy", "admin:rights_supervisioncheck_changelist", Perm.VIEW_RIGHTS
        ),
    ],
}
