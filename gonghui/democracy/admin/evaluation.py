"""Back-office list of democratic evaluations; each opens its own page with the
results, closing and publishing (elections_views.py)."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from gonghui.democracy import elections_views as views
from gonghui.democracy.admin.elections import DemocracyAccess
from gonghui.democracy.models.evaluation import Evaluation


@admin.register(Evaluation)
class EvaluationAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["title", "year", "opens_at", "closes_at", "closed"]
    list_filter = ["year", "closed"]
    search_fields = ["title"]
    list_per_page = 50

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_evaluation(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        return views.manage_evaluation(request, obj.pk)
