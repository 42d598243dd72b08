"""gonghui report --union CODE --from YYYY-MM-DD --to YYYY-MM-DD [--type annual]
--format docx|md|json -o FILE: draft a work summary from the records."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from gonghui.orgs.models import Union
from gonghui.periods import Period
from gonghui.reports.drafting import draft
from gonghui.reports.models import ReportKind
from gonghui.reports.officedoc import to_docx
from gonghui.reports.render import to_data, to_html, to_markdown


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} 的日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "根据台账记录起草工作总结报告，输出 Word、Markdown 或 JSON"

    def add_arguments(self, parser):
        parser.add_argument("--union", required=True, help="工会编码")
        parser.add_argument("--from", dest="start", required=True, help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="结束日期 YYYY-MM-DD")
        parser.add_argument("--type", dest="kind", default="annual", choices=ReportKind.values)
        parser.add_argument("--format", dest="fmt", default="json", choices=["docx", "md", "json"])
        parser.add_argument("-o", "--output", required=True, help="输出文件，- 表示标准输出")

    def handle(self, *args, union, start, end, kind, fmt, output, **options):
        start, end = _day(start, "--from"), _day(end, "--to")
        if start > end:
            raise CommandError("--to 的日期不能早于 --from")
        with scopes_disabled():
            found = Union.objects.filter(code=union).first()
            if found is None:
                raise CommandError(f"没有编码为“{union}”的工会")
            d = draft(union=found, period=Period(start, end), kind=kind)
            if fmt == "json":
                content = json.dumps(to_data(d), ensure_ascii=False, indent=2).encode()
            elif fmt == "md":
                content = to_markdown(to_html(d)).encode()
            else:
                content = to_docx(to_html(d))
        if output == "-":
            self.stdout.write(content.decode() if fmt != "docx" else "")
            if fmt == "docx":
                raise CommandError("Word 文件请用 -o 指定输出文件")
            return
        with open(output, "wb") as f:
            f.write(content)
        self.stderr.write(f"已写入 {output}（{len(d.figures)} 个数字）")
