"""gonghui privacy-due [--union CODE] [--today YYYY-MM-DD] [--json]: list the
members who left longer ago than their union's retention period and still
carry their identity. Meant to run daily from cron or a systemd timer; it
only lists, a cadre anonymises in the back office (待匿名化会员)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.orgs.models import Union
from gonghui.privacy import services


class Command(BaseCommand):
    help = "列出离会已超过本会保存期限、尚未匿名化的会员"

    def add_arguments(self, parser):
        parser.add_argument("--union", help="只列这个工会（工会编码）")
        parser.add_argument("--today", help="按这一天计算，YYYY-MM-DD；默认今天")
        parser.add_argument("--json", dest="as_json", action="store_true", help="输出 JSON")

    def handle(self, *args, union=None, today=None, as_json=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today 的日期“{today}”格式不正确，应为 YYYY-MM-DD") from None
        with scopes_disabled():
            unions = Union.objects.order_by("path")
            if union:
                unions = unions.filter(code=union)
                if not unions.exists():
                    raise CommandError(f"没有编码为“{union}”的工会")
            found = []
            for u in unions:
                years = services.settings_of(u).retention_years
                for m in services.due_members(union=u, today=day):
                    found.append(
                        {
                            "union": u.code,
                            "union_name": u.name,
                            "member_id": m.pk,
                            "status": m.get_status_display(),
                            "left_on": m.left_on.isoformat(),
                            "retention_years": years,
                        }
                    )
        if as_json:
            self.stdout.write(_dumps(found))
            return
        for row in found:
            self.stdout.write(
                f"{row['union']}\t{row['union_name']}\t会员{row['member_id']}\t"
                f"{row['status']}\t离会{row['left_on']}\t保存{row['retention_years']}年"
            )
        self.stdout.write(f"共{len(found)}人到期待匿名化（{day:%Y-%m-%d}）")


def _dumps(rows) -> str:
    return json.dumps({"count": len(rows), "members": rows}, ensure_ascii=False, indent=2)
