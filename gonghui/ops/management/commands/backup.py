"""`gonghui backup -o FILE`: an encrypted, verified online backup."""

from django.core.management.base import BaseCommand, CommandError

from gonghui.ops import services
from gonghui.ops.errors import BackupError


class Command(BaseCommand):
    help = "在线备份数据库和上传文件，用备份密钥加密，附每张表的行数和校验和清单"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", required=True, help="备份文件路径（不会覆盖已有文件）"
        )

    def handle(self, *args, output, **options):
        try:
            manifest = services.backup(output)
        except BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(t["rows"] for t in manifest["tables"].values())
        size = sum(f["size"] for f in manifest["media"].values())
        self.stdout.write(
            f"已生成备份 {output}：{len(manifest['tables'])} 张表共 {rows} 行，"
            f"上传文件 {len(manifest['media'])} 个（{size / 1048576:.1f}MB），"
            f"密钥编号 {manifest['key_id']}"
        )
