from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "gonghui.safety"
    label = "safety"
    verbose_name = "安全生产"

    def ready(self):
        from gonghui.safety import queries  # noqa: F401  registers metrics
