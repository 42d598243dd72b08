"""This area's section of the back-office sidebar (gonghui.unfold_config).

Items are made with gonghui.unfold_config's `area_item(title, icon, url_name,
perm_code)`: shown to users holding `perm_code` in some union.
"""

from gonghui.orgs.roles import Perm
from gonghui.unfold_config import area_item

# Congresses and proposals (the congress engineer's part).
CONGRESS_ITEMS = [
    area_item(
        "代表大会", "account_balance", "admin:democracy_congress_changelist", Perm.VIEW_DEMOCRACY
    ),
    area_item("代表", "groups", "admin:democracy_representative_changelist", Perm.VIEW_DEMOCRACY),
    area_item(
        "大会会议", "event_seat", "admin:democracy_congresssession_changelist", Perm.VIEW_DEMOCRACY
    ),
    area_item("提案", "description", "admin:democracy_proposal_changelist", Perm.VIEW_DEMOCRACY),
    area_item("逾期提案", "alarm", "democracy:overdue", Perm.VIEW_DEMOCRACY),
]

# Plans and drafted reports (the reports engineer's part).
REPORT_ITEMS = [
    area_item("工作计划", "flag", "reports:plans", Perm.VIEW_DASHBOARD),
    area_item("工作总结", "summarize", "reports:summaries", Perm.VIEW_DASHBOARD),
]

SECTION = {"title": "工作计划与总结", "items": [*REPORT_ITEMS, *CONGRESS_ITEMS]}
