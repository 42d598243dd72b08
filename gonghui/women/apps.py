from django.apps import AppConfig


class WomenConfig(AppConfig):
    name = "gonghui.women"
    label = "women"
    verbose_name = "女职工工作"

    def ready(self):
        from gonghui.orgs.history import keep_history
        from gonghui.women import queries  # noqa: F401  registers metrics

        keep_history(self.label, leave_out=("ProtectionRecord",))
