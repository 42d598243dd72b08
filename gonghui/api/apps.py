from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gonghui.api"
    label = "api"
    verbose_name = "接口"
