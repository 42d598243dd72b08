from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "gonghui.finance"
    label = "finance"
    verbose_name = "经费管理"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.finance import queries  # noqa: F401  registers metrics
        from gonghui.finance.models import BudgetAdjustment, BudgetLine, FiscalYear, Income, Payment

        for model in (FiscalYear, BudgetLine, BudgetAdjustment, Payment, Income):
            auditlog.register(model)
