"""Back-office lists of elections. Lists show the unions where the user holds
democracy.view; every step (candidates, opening, the desk, codes, tellers,
closing, counting) is its own page in elections_views.py calling one service.
Ballots and the roll have no admin list of their own: ballots are shown only as
counts and sorted receipts on the results page."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from gonghui.democracy import elections_views as views
from gonghui.democracy.models.elections import Election
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class DemocracyAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_DEMOCRACY
    change_perm = Perm.CHANGE_DEMOCRACY


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
