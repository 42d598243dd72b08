from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "gonghui.honors"
    label = "honors"
    verbose_name = "评先评优"

    def ready(self):
        from gonghui.honors import queries  # noqa: F401  registers metrics
        from gonghui.orgs.history import keep_history

        keep_history(self.label)
