from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gonghui.privacy"
    label = "privacy"
    verbose_name = "个人信息保护"

    def ready(self):
        from gonghui.orgs.history import keep_history

        keep_history(self.label)
