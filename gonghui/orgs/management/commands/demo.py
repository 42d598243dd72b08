"""`gonghui demo`: fill the database with a demo union at one of three scales."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.demo import plans, scales
from gonghui.orgs.models import Union

_WHAT = {
    "s": (plans.SCHOOL_CODE, "学校工会（约120名会员）"),
    "m": (plans.ENTERPRISE_CODE, "企业工会（5万名会员）"),
    "l": (plans.CITY_FEDERATION_CODE, "市级总工会（2000家工会、100万名会员）"),
}


class Command(BaseCommand):
    help = "生成演示数据：s 学校工会，m 5万人企业工会，l 2000家工会100万会员"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["s", "m", "l"], default="s")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="l 规模并行生成的进程数（PostgreSQL 默认为CPU核数；SQLite 只能为 1）",
        )

    def handle(self, *args, scale, seed, no_progress=False, jobs=None, **options):
        code, what = _WHAT[scale]
        if jobs is not None and jobs < 1:
            raise CommandError(f"--jobs 须为正整数，实际为 {jobs}")
        if jobs is not None and jobs > 1 and scale != "l":
            raise CommandError("--jobs 只用于 l 规模（s、m 规模各只有一家基层工会）")
        # A school builds in a second; only the large scales show a progress bar.
        progress = scale != "s" and not no_progress and options.get("verbosity", 1) > 0
        with scopes_disabled():
            if Union.objects.filter(code=code).exists():
                raise CommandError(f"演示数据“{what}”已存在（工会编码 {code}），未重复生成")
            build = {"s": scales.build_small, "m": scales.build_medium, "l": scales.build_large}
            # The city's upper-union pages read the summary tables: fill them too.
            extra = {}
            if scale == "l":
                extra = {"rollup": True, "jobs": jobs or scales.default_jobs()}
            try:
                union = build[scale](
                    seed=seed, today=timezone.localdate(), progress=progress, **extra
                )
            except scales.BuildError as e:
                raise CommandError(str(e)) from e
        self.stdout.write(f"已生成演示数据：{union.name}")
