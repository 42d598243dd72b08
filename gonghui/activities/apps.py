from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "gonghui.activities"
    label = "activities"
    verbose_name = "文体活动"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.activities import queries  # noqa: F401  registers metrics
        from gonghui.activities.models import Activity, Attendance, Club, Result, SignUp

        for model in (Activity, SignUp, Attendance, Result, Club):
            auditlog.register(model)
