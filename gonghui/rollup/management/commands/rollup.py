"""gonghui rollup refresh [--union ID] [--year Y] [--stale]: recompute the
per-union summary tables (with --stale only the figures that read a table
changed since: see rollup.services); gonghui rollup status [--year Y]: when they were
computed and how many unions are stale. Meant to run from cron or a systemd
timer (every few minutes with --stale), and after a bulk load."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled
from tqdm import tqdm

from gonghui.orgs.models import Union
from gonghui.rollup import services


class Command(BaseCommand):
    help = "刷新或查看各工会指标月度汇总表"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="重新计算汇总表")
        refresh.add_argument(
            "--union", type=int, action="append", help="只算这个工会（工会ID），可重复"
        )
        refresh.add_argument("--year", type=int, help="年度，默认今年")
        refresh.add_argument("--stale", action="store_true", help="只算缺失或记录已变动的工会")
        refresh.add_argument("--no-progress", action="store_true", help="不显示进度条")
        status = sub.add_parser("status", help="查看汇总表的计算时间")
        status.add_argument("--year", type=int, help="年度，默认今年")

    def handle(self, *args, action, year=None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不在 2000–2100 之间")
        if action == "status":
            return self._status(year)
        return self._refresh(year, options)

    def _refresh(self, year, options):
        ids = options.get("union")
        if ids:
            with scopes_disabled():
                known = set(Union.objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = sorted(set(ids) - known)
            if unknown:
                raise CommandError(f"没有 ID 为 {', '.join(map(str, unknown))} 的工会")
        if options.get("stale"):
            stale = services.stale_union_ids(year)
            ids = sorted(set(ids) & set(stale)) if ids else stale
            if not ids:
                self.stdout.write(f"{year} 年汇总表均为最新，无需刷新")
                return
        unions = ids if ids is not None else services.all_union_ids()
        chunk = 500
        metrics = len(services.rolled_up())
        # With --stale the figures no change can have touched are skipped, so
        # the bar may end early.
        steps = metrics * ((len(unions) + chunk - 1) // chunk)
        started = time.perf_counter()
        progress = not options.get("no_progress") and options.get("verbosity", 1) > 0
        with tqdm(
            total=steps, desc=f"{year} 年汇总", unit="项", file=sys.stderr, disable=not progress
        ) as bar:
            computed: set[str] = set()

            def step(key):
                computed.add(key)
                bar.update(1)

            count = services.refresh(
                year=year,
                union_ids=unions,
                chunk=chunk,
                step=step,
                only_stale=bool(options.get("stale")),
            )
        self.stdout.write(
            f"已刷新 {count} 家工会 {year} 年的 {len(computed)} 项指标（共 {metrics} 项），"
            f"用时 {time.perf_counter() - started:.1f} 秒"
        )

    def _status(self, year):
        all_ids = services.all_union_ids()
        stale = services.stale_union_ids(year)
        at = services.as_of(all_ids, year)
        when = timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else "尚未全部计算"
        self.stdout.write(
            f"{year} 年：共 {len(all_ids)} 家工会，{len(stale)} 家待刷新；最早计算于 {when}"
        )
