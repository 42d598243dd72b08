"""gonghui export-members --union CODE -o FILE.xlsx [--reveal]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from gonghui.members.excel import export_members
from gonghui.members.models import Member
from gonghui.orgs.models import Union


class Command(BaseCommand):
    help = "把会员名册导出为Excel（.xlsx）；身份证号和手机号码默认打码"

    def add_arguments(self, parser):
        parser.add_argument("--union", required=True, help="工会编码")
        parser.add_argument("-o", "--output", required=True, help="导出的文件名（.xlsx）")
        parser.add_argument(
            "--reveal", action="store_true", help="导出完整的身份证号和手机号码（请妥善保管文件）"
        )

    def handle(self, *args, union, output, reveal, **options):
        with scopes_disabled():
            target = Union.objects.filter(code=union).first()
            if target is None:
                raise CommandError(f"找不到编码为“{union}”的工会（可用 gonghui unions 查看）")
            members = Member.objects.filter(union=target)
            count = members.count()
            Path(output).write_bytes(export_members(members, reveal=reveal))
        note = (
            "（含完整身份证号和手机号码，请妥善保管）" if reveal else "（身份证号和手机号码已打码）"
        )
        self.stdout.write(f"已导出{count}名会员到 {output}{note}")
