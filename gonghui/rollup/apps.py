from django.apps import AppConfig


class RollupConfig(AppConfig):
    name = "gonghui.rollup"
    label = "rollup"
    verbose_name = "统计汇总表"

    def ready(self):
        from gonghui.rollup import signals

        signals.connect()
