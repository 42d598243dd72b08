from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "gonghui.learning"
    label = "learning"
    verbose_name = "学习培训"

    def ready(self):
        from gonghui.learning import queries  # noqa: F401  registers metrics
        from gonghui.orgs.history import keep_history

        keep_history(self.label)
