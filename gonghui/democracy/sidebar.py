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

# Elections and evaluation (the elections engineer's part).
ELECTIONS_ITEMS = [
    area_item("选举", "how_to_vote", "admin:democracy_election_changelist", Perm.VIEW_DEMOCRACY),
    area_item(
        "民主评议", "fact_check", "admin:democracy_evaluation_changelist", Perm.VIEW_DEMOCRACY
    ),
]

SECTION = {"title": "民主管理", "items": [*CONGRESS_ITEMS, *ELECTIONS_ITEMS]}
