from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "gonghui.finance"
    label = "finance"
    verbose_name = "经费管理"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.finance import (
            models,
            queries,  # noqa: F401  registers metrics
        )

        for model in (
            models.FiscalYear,
            models.BudgetLine,
            models.BudgetAdjustment,
            models.Payment,
            models.Income,
            models.FinanceSettings,
            models.DuesBase,
            models.DuesExemption,
            models.DuesImport,
            models.DuesPayment,
            models.Allocation,
            models.UpwardTransfer,
            models.AuditReport,
        ):
            auditlog.register(model)
