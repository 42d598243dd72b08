from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = "会员管理"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.members import queries  # noqa: F401  registers metrics
        from gonghui.members.models import Member

        # The audit log keeps what changed; sensitive values are stored masked.
        auditlog.register(
            Member,
            exclude_fields=["id_number_digest", "phone_digest", "name_initials", "search_text"],
            mask_fields=["id_number", "phone"],
        )
