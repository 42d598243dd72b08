"""Reset an account's two-step sign-in after a lost phone: the next sign-in
asks the person to bind a new authenticator."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gonghui.mfa import services


class Command(BaseCommand):
    help = "重置账号的两步验证（手机丢失时）：删除身份验证器和恢复码，下次登录重新绑定"

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号用户名")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到账号“{username}”")
        removed = services.reset(user=user)
        self.stdout.write(
            f"已重置“{username}”的两步验证（删除{removed}个设备），下次登录时重新绑定。"
        )
