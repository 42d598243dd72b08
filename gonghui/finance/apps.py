from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "gonghui.finance"
    label = "finance"
    verbose_name = "经费管理"
