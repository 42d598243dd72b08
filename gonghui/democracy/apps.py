from django.apps import AppConfig


class DemocracyConfig(AppConfig):
    name = "gonghui.democracy"
    label = "democracy"
    verbose_name = "民主管理"

    def ready(self):
        from gonghui.democracy import queries  # noqa: F401  registers metrics
        from gonghui.orgs.history import keep_history

        keep_history(
            self.label,
            leave_out=(
                "RollEntry",
                "Ballot",
                "VotingCode",
                "TellerEntry",
                "EvaluationRoll",
                "EvaluationSheet",
                "SessionToken",
            ),
        )
