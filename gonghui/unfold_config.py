"""The back office's look and sidebar (django-unfold).

Each sidebar entry is shown only to users whose roles allow the screen
behind it (orgs.access), so a liaison does not see account management and a
superuser without roles sees no union screens.
"""

from django.templatetags.static import static
from django.urls import reverse_lazy

from gonghui.orgs.roles import Perm, Role


def _access(request):
    from gonghui.orgs.access import Access

    return getattr(request, "access", None) or Access()


def can_view_dashboard(request) -> bool:
    return bool(_access(request).unions_with(Perm.VIEW_DASHBOARD))


def can_view_roster(request) -> bool:
    return bool(_access(request).unions_with(Perm.VIEW_ROSTER))


def can_import_roster(request) -> bool:
    return bool(_access(request).unions_with(Perm.IMPORT_ROSTER))


def can_decide_applications(request) -> bool:
    return bool(_access(request).unions_with(Perm.DECIDE_APPLICATIONS))


def can_manage_accounts(request) -> bool:
    return bool(_access(request).unions_with(Perm.MANAGE_ACCOUNTS))


def can_view_orgs(request) -> bool:
    access = _access(request)
    return bool(access.unions_with(Perm.VIEW_ROSTER) or access.unions_with(Perm.MANAGE_ORGS))


def can_view_finance(request) -> bool:
    return bool(_access(request).unions_with(Perm.VIEW_FINANCE))


def can_view_activities(request) -> bool:
    return bool(_access(request).unions_with(Perm.VIEW_ACTIVITIES))


def can_change_finance(request) -> bool:
    return bool(_access(request).unions_with(Perm.CHANGE_FINANCE))


def can_read_audit_reports(request) -> bool:
    from gonghui.finance.queries import audit_unions

    return bool(audit_unions(_access(request)))


def can_view_care(request) -> bool:
    return bool(_access(request).unions_with(Perm.VIEW_CARE))


def is_staff(request) -> bool:
    return _access(request).is_staff


def is_chair(request) -> bool:
    access = _access(request)
    return any(access.has_role(Role.CHAIR, u) for u in access.roles)


def _item(title, icon, url_name, permission):
    return {
        "title": title,
        "icon": icon,
        "link": reverse_lazy(url_name),
        "permission": f"gonghui.unfold_config.{permission.__name__}",
    }


def area_item(title: str, icon: str, url_name: str, perm: str) -> dict:
    """A sidebar entry shown to users who hold `perm` (a Perm code) in some union.
    Unfold wants a dotted path to a callable, so one checker per code is kept here."""
    name = "can_" + perm.replace(".", "_")
    if name not in globals():

        def check(request, perm=perm):
            return bool(_access(request).unions_with(perm))

        check.__name__ = name
        globals()[name] = check
    return _item(title, icon, url_name, globals()[name])


AREAS = (
    "reports",
    "upper",
    "collection",
    "democracy",
    "disclosure",
    "voice",
    "safety",
    "women",
    "learning",
    "honors",
    "rights",
    "privacy",
)


def _area_sections():
    """Each later area keeps its own section in gonghui/<area>/sidebar.py, so
    the areas are built side by side without editing this file."""
    import importlib

    for area in AREAS:
        section = importlib.import_module(f"gonghui.{area}.sidebar").SECTION
        if section["items"]:
            yield section


UNFOLD = {
    "SITE_TITLE": "工会工作系统",
    "SITE_HEADER": "工会工作系统",
    "SITE_SYMBOL": "groups",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    # Shared behaviour for every back-office page, from a static file (CSP).
    "SCRIPTS": [lambda request: static("gonghui/back_office.js")],
    "ACCOUNT": {
        "navigation": [{"title": "两步验证", "link": reverse_lazy("mfa:manage")}],
    },
    "SIDEBAR": {
        "show_search": False,
        "show_all_applications": False,
        "navigation": [
            {
                "title": "工作台",
                "items": [
                    _item("统计看板", "monitoring", "reports:dashboard", can_view_dashboard),
                ],
            },
            {
                "title": "组织建设",
                "items": [
                    _item(
                        "工会", "account_tree", "admin:orgs_union_changelist", can_view_dashboard
                    ),
                    _item("部门", "apartment", "admin:orgs_department_changelist", can_view_orgs),
                    _item("工会小组", "groups", "admin:orgs_group_changelist", can_view_orgs),
                    _item("委员会届次", "how_to_vote", "admin:orgs_term_changelist", can_view_orgs),
                    area_item(
                        "组织调整记录",
                        "account_tree",
                        "admin:orgs_restructuringevent_changelist",
                        Perm.RESTRUCTURE,
                    ),
                    _item("账号与角色", "badge", "admin:orgs_user_changelist", can_manage_accounts),
                ],
            },
            {
                "title": "会员管理",
                "items": [
                    _item("会员名册", "person", "admin:members_member_changelist", can_view_roster),
                    _item("导入会员", "upload_file", "members:import", can_import_roster),
                    _item(
                        "入会申请",
                        "how_to_reg",
                        "admin:members_application_changelist",
                        can_decide_applications,
                    ),
                    _item(
                        "会籍变动",
                        "swap_horiz",
                        "admin:members_statuschange_changelist",
                        can_view_roster,
                    ),
                    _item(
                        "会员关系转移",
                        "move_up",
                        "admin:members_transfer_changelist",
                        can_view_roster,
                    ),
                    _item(
                        "敏感信息查看记录",
                        "visibility",
                        "admin:orgs_accesslog_changelist",
                        is_chair,
                    ),
                ],
            },
            {
                "title": "文体活动",
                "items": [
                    _item(
                        "活动",
                        "celebration",
                        "admin:activities_activity_changelist",
                        can_view_activities,
                    ),
                    _item(
                        "社团",
                        "diversity_3",
                        "admin:activities_club_changelist",
                        can_view_activities,
                    ),
                    _item(
                        "比赛结果",
                        "emoji_events",
                        "admin:activities_result_changelist",
                        can_view_activities,
                    ),
                ],
            },
            {
                "title": "关怀帮扶",
                "items": [
                    _item(
                        "慰问", "volunteer_activism", "admin:care_visit_changelist", can_view_care
                    ),
                    _item(
                        "困难职工档案",
                        "folder_shared",
                        "admin:care_hardshipcase_changelist",
                        can_view_care,
                    ),
                    _item("帮扶", "handshake", "admin:care_assistance_changelist", can_view_care),
                    _item(
                        "爱心捐款",
                        "favorite",
                        "admin:care_donationcampaign_changelist",
                        can_view_care,
                    ),
                    _item("金秋助学", "school", "admin:care_schoolaid_changelist", can_view_care),
                    _item(
                        "节日慰问发放",
                        "redeem",
                        "admin:care_festivaldistribution_changelist",
                        can_view_care,
                    ),
                    _item(
                        "医疗互助",
                        "medical_services",
                        "admin:care_mutualaidenrolment_changelist",
                        can_view_care,
                    ),
                    _item(
                        "关怀帮扶设置",
                        "settings",
                        "admin:care_caresettings_changelist",
                        can_view_care,
                    ),
                ],
            },
            {
                "title": "经费管理",
                "items": [
                    _item(
                        "预算年度",
                        "account_balance",
                        "admin:finance_fiscalyear_changelist",
                        can_view_finance,
                    ),
                    _item("支出", "payments", "admin:finance_payment_changelist", can_view_finance),
                    _item("收入", "savings", "admin:finance_income_changelist", can_view_finance),
                    _item(
                        "预算调整",
                        "tune",
                        "admin:finance_budgetadjustment_changelist",
                        can_view_finance,
                    ),
                    _item("预算执行情况", "monitoring", "finance:execution", can_view_finance),
                    _item("收支报表", "table_view", "finance:statement", can_view_finance),
                    _item(
                        "会费缴纳",
                        "receipt_long",
                        "admin:finance_duespayment_changelist",
                        can_view_finance,
                    ),
                    _item("会费欠缴名单", "pending_actions", "finance:arrears", can_view_finance),
                    _item(
                        "导入工资代扣会费",
                        "upload_file",
                        "finance:deductions_import",
                        can_change_finance,
                    ),
                    _item(
                        "会费基数",
                        "calculate",
                        "admin:finance_duesbase_changelist",
                        can_view_finance,
                    ),
                    _item(
                        "会费免缴",
                        "money_off",
                        "admin:finance_duesexemption_changelist",
                        can_view_finance,
                    ),
                    _item(
                        "拨缴经费",
                        "account_balance_wallet",
                        "admin:finance_allocation_changelist",
                        can_view_finance,
                    ),
                    _item("会费与拨缴设置", "settings", "finance:settings", can_change_finance),
                    _item(
                        "经审报告",
                        "fact_check",
                        "admin:finance_auditreport_changelist",
                        can_read_audit_reports,
                    ),
                ],
            },
            *_area_sections(),
            {
                "title": "系统",
                "items": [
                    _item("接口令牌", "key", "admin:api_apitoken_changelist", is_staff),
                ],
            },
        ],
    },
}
