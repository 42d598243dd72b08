"""Back-office screens for activities. Lists show the unions where the user
holds activities.view; writes need activities.change and go through
activities.services. The sign-ups, attendance list, QR page and results live
on the activity's own page (views.py), linked from the list."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin

from gonghui.activities import services
from gonghui.activities.forms import ACTIVITY_FORM_FIELDS, ActivityForm
from gonghui.activities.models import Activity, Club, Result
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine
from gonghui.members.models import Member
from gonghui.orgs.models import Group, Union
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class ActivitiesAccess(AreaAccess):
    view_perm = Perm.VIEW_ACTIVITIES
    change_perm = Perm.CHANGE_ACTIVITIES
    edit_in_place = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = self._limited(db_field.related_model, request)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limited = self._limited(db_field.related_model, request)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _limited(self, model, request):
        unions = self._unions(request, Perm.CHANGE_ACTIVITIES)
        if model is Union:
            return Union.objects.filter(pk__in=unions)
        if model in (Group, Club):
            return model.objects.filter(union__in=unions)
        if model is Member:
            return Member.objects.filter(union__in=unions).order_by("name_initials", "id")
        if model is BudgetLine:
            return (
                BudgetLine.objects.filter(
                    union__in=unions,
                    fiscal_year__closed=False,
                    category__in=EXPENDITURE_CATEGORIES,
                )
                .select_related("fiscal_year")
                .order_by("-fiscal_year__year", "category", "name")
            )
        return None


@admin.register(Activity)
class ActivityAdmin(AttachmentsMixin, ActivitiesAccess, ModelAdmin):
    attachments_title = "活动照片和附件"
    form = ActivityForm
    list_display = ["title", "type", "starts_at", "place", "seats", "workbench"]
    list_filter = ["type", "audience"]
    search_fields = ["title", "place", "organiser"]
    date_hierarchy = "starts_at"
    list_per_page = 50

    @admin.display(description="报名/名额")
    def seats(self, obj):
        return f"{obj.admitted} / {obj.capacity}" if obj.capacity else f"{obj.admitted} / 不限"

    @admin.display(description="活动页")
    def workbench(self, obj):
        return format_html(
            '<a href="{}">报名·签到·结果</a>', reverse("activities:detail", args=[obj.pk])
        )

    def get_fields(self, request, obj=None):
        return ACTIVITY_FORM_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ["union"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        fields = {k: form.cleaned_data.get(k) for k in ACTIVITY_FORM_FIELDS if k != "union"}
        # The form ran the service's checks already (services.clean_activity).
        if change:
            saved = services.update_activity(activity=obj, actor=request.user, **fields)
        else:
            saved = services.create_activity(
                union=form.cleaned_data["union"], actor=request.user, **fields
            )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The service already set the audience groups."""

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect("activities:detail", pk=obj.pk)


@admin.register(Club)
class ClubAdmin(ActivitiesAccess, ModelAdmin):
    fields = ["union", "name", "description", "leader", "members"]
    list_display = ["name", "leader", "member_count", "session_count"]
    search_fields = ["name"]

    @admin.display(description="成员数")
    def member_count(self, obj):
        return obj.members.count()

    @admin.display(description="活动次数")
    def session_count(self, obj):
        return obj.sessions.count()

    def get_readonly_fields(self, request, obj=None):
        return ["union"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.save_club(
            union=obj.union if change else data["union"],
            name=data["name"],
            description=data.get("description", ""),
            leader=data.get("leader"),
            members=data.get("members") or [],
            club=obj if change else None,
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The service already set the members."""


@admin.register(Result)
class ResultAdmin(ActivitiesAccess, ModelAdmin):
    list_display = ["activity", "winner", "rank", "award_level", "prize", "cost"]
    list_filter = ["award_level"]
    list_select_related = ["activity", "group", "member"]

    def has_add_permission(self, request, *args):
        return False  # results are recorded on the activity's page

    def has_change_permission(self, request, obj=None):
        return False
