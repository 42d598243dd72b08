from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "gonghui.disclosure"
    label = "disclosure"
    verbose_name = "厂务公开"

    def ready(self):
        from gonghui.disclosure import queries  # noqa: F401  registers metrics
        from gonghui.orgs.history import keep_history

        keep_history(self.label)
