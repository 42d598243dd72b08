from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "gonghui.mfa"
    label = "mfa"
    verbose_name = "两步验证"

    def ready(self):
        from gonghui.mfa import throttling  # noqa: F401 - connects the sign-in failure counter
