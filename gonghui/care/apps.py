from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "gonghui.care"
    label = "care"
    verbose_name = "关怀帮扶"

    def ready(self):
        from auditlog.registry import auditlog

        from gonghui.care import (
            models,
            queries,  # noqa: F401  registers metrics
        )

        for model in (
            models.CareSettings,
            models.Visit,
            models.HardshipCase,
            models.CaseReview,
            models.Assistance,
            models.DonationCampaign,
            models.Donation,
            models.FundContribution,
            models.Handover,
            models.SchoolAid,
            models.FestivalDistribution,
            models.MutualAidEnrolment,
        ):
            auditlog.register(model, exclude_fields=["health_details"])
