from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "gonghui.safety"
    label = "safety"
    verbose_name = "安全生产"

    def ready(self):
        from gonghui.orgs.history import keep_history
        from gonghui.safety import queries  # noqa: F401  registers metrics

        keep_history(self.label)
