from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "gonghui.attachments"
    label = "attachments"
    verbose_name = "附件"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.attachments.models import Attachment

        auditlog.register(Attachment)
