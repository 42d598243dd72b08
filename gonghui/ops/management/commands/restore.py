"""`gonghui restore FILE`: restore a backup into an empty database and verify it."""

from django.core.management.base import BaseCommand, CommandError

from gonghui.ops import databases, services
from gonghui.ops.errors import BackupError


class Command(BaseCommand):
    help = "把备份恢复到一个空数据库，并核对每张表的行数、校验和与完整性"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件")
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="恢复到这个空数据库（数据库地址或 SQLite 文件路径），而不是当前配置的数据库；"
            "用于恢复演练",
        )
        parser.add_argument("--media-dir", help="上传文件恢复到此目录（默认 MEDIA_ROOT）")
        parser.add_argument(
            "--no-media", action="store_true", help="只恢复数据库，不写上传文件（仍会校验）"
        )

    def handle(self, *args, file, into=None, media_dir=None, no_media=False, **options):
        try:
            target = databases.from_url(into) if into else None
            # A drill into another database leaves the live uploads alone unless told.
            media = not no_media and (into is None or media_dir is not None)
            report = services.restore(file, into=target, media_dir=media_dir, media=media)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"已恢复到 {report['database']}：备份时间 {report['created_at']}，"
            f"{report['tables']} 张表共 {report['rows']} 行，行数和校验和与清单全部一致，"
            f"完整性检查通过；上传文件 {report['media_files']} 个已校验，"
            f"写入 {report['media_restored']} 个"
        )
