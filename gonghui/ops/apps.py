from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "gonghui.ops"
    label = "ops"
    verbose_name = "运维"
