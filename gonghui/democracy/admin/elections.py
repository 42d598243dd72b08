"""Back-office lists of elections. Lists show the unions where the user holds
democracy.view; every step (candidates, opening, the desk, codes, tellers,
closing, counting) is its own page in elections_views.py calling one service.
Ballots and the roll have no admin list of their own: ballots are shown only as
counts and sorted receipts on the results page."""

from django.contrib import admin
from django.http import Http404
from unfold.admin import ModelAdmin

from gonghui.democracy import elections_views as views
from gonghui.democracy.models.elections import Election
from gonghui.orgs.roles import Perm


class DemocracyAccess:
    """Access from request.access, in the record's own union; others are 404."""

    def _unions(self, request, perm):
        access = getattr(request, "access", None)
        return access.unions_with(perm) if access is not None else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(union__in=self._unions(request, Perm.VIEW_DEMOCRACY))
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("没有找到该记录")
        return obj

    def has_module_permission(self, request):
        return bool(self._unions(request, Perm.VIEW_DEMOCRACY))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self._unions(request, Perm.VIEW_DEMOCRACY))
        return request.access.can(Perm.VIEW_DEMOCRACY, obj.union_id)

    def has_add_permission(self, request, *args):
        return bool(self._unions(request, Perm.CHANGE_DEMOCRACY))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Election)
class ElectionAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["title", "kind", "seats", "channel", "state", "opens_at", "closes_at"]
    list_filter = ["kind", "state", "channel"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    list_per_page = 50

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_election(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        return views.manage_election(request, obj.pk)
