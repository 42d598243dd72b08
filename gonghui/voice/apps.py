from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "gonghui.voice"
    label = "voice"
    verbose_name = "职工意见"

    def ready(self):
        from gonghui.orgs.history import keep_history
        from gonghui.voice import queries  # noqa: F401  registers metrics

        keep_history(self.label)
