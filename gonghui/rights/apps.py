from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "gonghui.rights"
    label = "rights"
    verbose_name = "维权"

    def ready(self):
        from gonghui.orgs.history import keep_history
        from gonghui.rights import queries  # noqa: F401  registers metrics

        keep_history(self.label)
