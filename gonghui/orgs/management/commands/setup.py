"""Prepare a development database: migrate, load the demo union when empty,
print the demo sign-ins. Safe to run again: existing data is kept."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from gonghui.orgs.models import Union


class Command(BaseCommand):
    help = "迁移数据库；数据库为空时生成演示工会；打印演示账号"

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0, interactive=False)
        with scopes_disabled():
            empty = not Union.objects.exists()
        if empty:
            self.stdout.write("数据库为空，正在生成演示数据（学校工会，约120名会员）…")
            call_command("demo", scale="s", seed=2026, stdout=self.stdout)
        from gonghui.demo.logins import print_logins

        print_logins(self.stdout)
