"""The back office's look and sidebar (django-unfold)."""

from django.urls import reverse_lazy

UNFOLD = {
    "SITE_TITLE": "工会工作系统",
    "SITE_HEADER": "工会工作系统",
    "SITE_SYMBOL": "groups",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": [
            {
                "title": "工作台",
                "items": [
                    {
                        "title": "统计看板",
                        "icon": "monitoring",
                        "link": reverse_lazy("reports:dashboard"),
                    },
                ],
            },
            {
                "title": "组织建设",
                "items": [
                    {
                        "title": "工会",
                        "icon": "account_tree",
                        "link": reverse_lazy("admin:orgs_union_changelist"),
                    },
                    {
                        "title": "部门",
                        "icon": "apartment",
                        "link": reverse_lazy("admin:orgs_department_changelist"),
                    },
                    {
                        "title": "工会小组",
                        "icon": "groups",
                        "link": reverse_lazy("admin:orgs_group_changelist"),
                    },
                    {
                        "title": "委员会届次",
                        "icon": "how_to_vote",
                        "link": reverse_lazy("admin:orgs_term_changelist"),
                    },
                    {
                        "title": "账号与角色",
                        "icon": "badge",
                        "link": reverse_lazy("admin:orgs_user_changelist"),
                    },
                ],
            },
            {
                "title": "会员管理",
                "items": [
                    {
                        "title": "会员名册",
                        "icon": "person",
                        "link": reverse_lazy("admin:members_member_changelist"),
                    },
                    {
                        "title": "入会申请",
                        "icon": "how_to_reg",
                        "link": reverse_lazy("admin:members_application_changelist"),
                    },
                    {
                        "title": "会籍变动",
                        "icon": "swap_horiz",
                        "link": reverse_lazy("admin:members_statuschange_changelist"),
                    },
                    {
                        "title": "敏感信息查看记录",
                        "icon": "visibility",
                        "link": reverse_lazy("admin:orgs_accesslog_changelist"),
                    },
                ],
            },
        ],
    },
}
