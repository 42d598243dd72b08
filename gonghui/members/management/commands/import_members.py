"""gonghui import-members --union CODE FILE.xlsx [--dry-run] [--update] [--valid-only]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from gonghui.members.imports import import_members
from gonghui.orgs.models import Union


class Command(BaseCommand):
    help = "从Excel（.xlsx）导入会员名册；有任何错误时不写入并以非零状态退出"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument("--union", required=True, help="工会编码")
        parser.add_argument("--dry-run", action="store_true", help="仅校验，不写入")
        parser.add_argument("--update", action="store_true", help="按身份证号更新已有会员")
        parser.add_argument("--valid-only", action="store_true", help="仅导入有效行，跳过有误的行")

    def handle(self, *args, file, union, dry_run, update, valid_only, **options):
        if not Path(file).is_file():
            raise CommandError(f"找不到文件：{file}")
        with scopes_disabled():
            target = Union.objects.filter(code=union).first()
            if target is None:
                raise CommandError(f"找不到编码为“{union}”的工会（可用 gonghui unions 查看）")
            outcome = import_members(
                union=target, path=file, update=update, valid_only=valid_only, dry_run=dry_run
            )
        for error in outcome.errors:
            self.stderr.write(str(error))
        if outcome.written:
            line = f"成功导入{outcome.created}名会员"
            if outcome.updated:
                line += f"，更新{outcome.updated}名会员"
            self.stdout.write(line)
        elif dry_run and not outcome.errors:
            self.stdout.write(f"校验通过：共{outcome.total}行数据全部有效（仅校验，未写入）")
        elif outcome.errors and not outcome.rejected:
            rows = len({e.row for e in outcome.errors})
            self.stderr.write(f"有{rows}行数据有误（共{len(outcome.errors)}处），没有导入任何数据")
        if outcome.errors:
            sys.exit(1)
