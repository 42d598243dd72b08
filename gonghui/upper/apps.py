from django.apps import AppConfig


class UpperConfig(AppConfig):
    name = "gonghui.upper"
    label = "upper"
    verbose_name = "上级工会工作台"
