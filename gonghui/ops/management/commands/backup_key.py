"""`gonghui backup-key`: show which backup key is in use, or make a new one."""

from django.core.management.base import BaseCommand, CommandError

from gonghui.ops import crypto
from gonghui.ops.errors import BackupError


class Command(BaseCommand):
    help = "显示当前备份密钥的编号；--new 生成一把新密钥（放入环境变量 GONGHUI_BACKUP_KEY）"

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="生成并打印一把新的备份密钥")

    def handle(self, *args, new=False, **options):
        if new:
            self.stdout.write(crypto.new_key())
            return
        try:
            keys = crypto.keys()
        except BackupError as e:
            raise CommandError(str(e)) from e
        ids = "、".join(crypto.key_id(k).hex() for k in keys)
        self.stdout.write(f"加密用密钥编号 {crypto.key_id(keys[0]).hex()}（可解密：{ids}）")
