"""gonghui member-template -o FILE.xlsx [--union CODE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from gonghui.members import excel
from gonghui.orgs.models import Department, Group, Union


class Command(BaseCommand):
    help = "生成会员名册导入模板（.xlsx）"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="保存模板的文件名（.xlsx）")
        parser.add_argument("--union", help="工会编码：把该工会的部门和小组放进下拉列表")

    def handle(self, *args, output, union=None, **options):
        departments = groups = ()
        with scopes_disabled():
            if union:
                found = Union.objects.filter(code=union).first()
                if found is None:
                    raise CommandError(f"找不到编码为“{union}”的工会（可用 gonghui unions 查看）")
                departments = list(
                    Department.objects.filter(union=found).values_list("name", flat=True)
                )
                groups = list(Group.objects.filter(union=found).values_list("name", flat=True))
        Path(output).write_bytes(excel.member_template(departments=departments, groups=groups))
        self.stdout.write(f"已生成导入模板：{output}")
