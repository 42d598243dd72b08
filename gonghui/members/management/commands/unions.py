"""gonghui unions: every union with its code and number of members on the roll."""

from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django_scopes import scopes_disabled

from gonghui.members.models import Status
from gonghui.orgs.models import Union


class Command(BaseCommand):
    help = "列出所有工会：编码、名称、在册会员数"

    def handle(self, *args, **options):
        with scopes_disabled():
            unions = Union.objects.annotate(
                members=Count("member", filter=Q(member__status=Status.ACTIVE))
            ).order_by("path")
            rows = [(u.code, "  " * (u.depth - 1) + u.name, u.members) for u in unions]
        if not rows:
            self.stdout.write("还没有工会（可运行 gonghui setup 生成演示数据）")
            return
        width = max(len(code) for code, _, _ in rows)
        self.stdout.write(f"{'编码'.ljust(width)}\t在册会员\t名称")
        for code, name, count in rows:
            self.stdout.write(f"{code.ljust(width)}\t{count:>8}\t{name}")
