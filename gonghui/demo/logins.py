"""The demo sign-ins, and printing them for whoever just ran `gonghui setup`."""

from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from gonghui.demo import plans
from gonghui.members.models import Member, Status

DEMO_PASSWORD = "gonghui2026"
DISTRICT_USERNAME = "district"
ENTERPRISE_USERNAME = "enterprise"
CITY_USERNAME = "city"

ADMIN_URL = "http://127.0.0.1:8000/admin/"
PORTAL_URL = "http://127.0.0.1:8000/"

# username -> what the account is for
STAFF_ACCOUNTS = (
    ("chair", "学校工会主席"),
    ("liaison", "语文组组长（联络员）"),
    (DISTRICT_USERNAME, "北仑区总工会工作人员（看下级工会汇总）"),
    (ENTERPRISE_USERNAME, "企业工会主席（5万会员）"),
    (CITY_USERNAME, "市总工会工作人员（2000家工会）"),
)


def demo_member() -> Member | None:
    """The school member who signs in to the portal with their phone number."""
    with scopes_disabled():
        return (
            Member.objects.filter(
                union__code=plans.SCHOOL_CODE, status=Status.ACTIVE, user__isnull=False
            )
            .order_by("pk")
            .first()
        )


def print_logins(stdout) -> None:
    """Print the demo sign-ins that exist in this database; nothing if there are none."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[name for name, _ in STAFF_ACCOUNTS], is_active=True
        )
    }
    member = demo_member()
    if not users and member is None:
        return
    stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）")
    if users:
        from gonghui.mfa.queries import has_authenticator, second_factor_required

        stdout.write(f"  工会后台 {ADMIN_URL}")
        asked = False
        for username, purpose in STAFF_ACCOUNTS:
            if username in users:
                user = users[username]
                mark = ""
                if second_factor_required(user) and not has_authenticator(user):
                    mark, asked = " *", True
                stdout.write(f"    用户名 {username:<10} {purpose}，{user.display_name}{mark}")
        if asked:
            # The demo shows the real first sign-in rather than a shared secret
            # baked into the database (docs/decisions.md).
            stdout.write(
                "    * 首次进入后台时须绑定手机身份验证器（两步验证）：用腾讯身份验证器、"
                "Microsoft Authenticator 等应用扫描页面上的二维码，之后每次登录输入6位验证码；"
                "没有身份验证器时可用 liaison 账号浏览。"
            )
    if member is not None:
        stdout.write(f"  会员门户 {PORTAL_URL}")
        group = member.group.name if member.group_id else ""
        stdout.write(f"    手机号 {member.phone}  会员，{member.name}（{group}）")
    stdout.write("")
