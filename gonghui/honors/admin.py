"""Back-office screens of 评先评优. Lists show the unions where the user holds
honors.view; every write needs honors.change and goes through
honors.services via the pages in views.py ("add" opens the area's own form,
each further step is a button on the record). Records are never edited in
place."""

from urllib.parse import urlencode

import nh3
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui import backoffice
from gonghui.honors import queries, services, views
from gonghui.honors.models import (
    Announcement,
    Assessment,
    AssessmentItem,
    AssessmentRule,
    AwardKind,
    GroupResult,
    ModelWorker,
    Nomination,
)
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class HonorsAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_HONORS
    change_perm = Perm.CHANGE_HONORS

    def has_decide_permission(self, request, object_id=None):
        """May write: in some union, or in the union of the record shown."""
        if object_id is None:
            return bool(self._unions(request, Perm.CHANGE_HONORS))
        union_id = (
            self.get_queryset(request).filter(pk=object_id).values_list("union_id", flat=True)
        ).first()
        return union_id is not None and request.access.can(Perm.CHANGE_HONORS, union_id)


@admin.register(AwardKind)
class AwardKindAdmin(HonorsAccess, ModelAdmin):
    list_display = ["name", "scope", "cadence", "description", "active"]
    list_filter = ["scope", "cadence", "active"]
    fields = ["union", "name", "scope", "cadence", "description", "active"]
    readonly_fields = fields
    actions_detail = ["edit"]
    actions_list = ["defaults"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_kind(request)

    @action(description="修改", url_path="edit", icon="edit", permissions=["decide"])
    def edit(self, request, object_id):
        return redirect("honors:edit_kind", self._changeable(request, object_id).pk)

    @action(
        description="补齐默认荣誉类别",
        url_path="defaults",
        icon="playlist_add",
        permissions=["decide"],
    )
    def defaults(self, request):
        return redirect("honors:default_kinds")


@admin.register(Nomination)
class NominationAdmin(HonorsAccess, ModelAdmin):
    list_display = [
        "kind",
        "period_shown",
        "nominee",
        "state",
        "nominated_on",
        "decided_on",
        "announced",
    ]
    list_filter = ["state", "kind__name", "year"]
    search_fields = ["member__name", "group__name", "team_name", "reasons"]
    list_select_related = ["kind", "member", "group", "announcement"]
    date_hierarchy = "nominated_on"
    fields = [
        "union",
        "kind",
        "period_shown",
        "nominee",
        "reasons",
        "nominated_on",
        "nominated_by",
        "state",
        "decided_on",
        "decision_note",
        "announcement",
    ]
    readonly_fields = fields
    actions = ["grant", "announce"]
    actions_detail = ["decide"]
    actions_list = ["announce_page"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_nomination(request)

    @action(description="评定", url_path="decide", icon="gavel", permissions=["decide"])
    def decide(self, request, object_id):
        return redirect("honors:decide", self._changeable(request, object_id).pk)

    @action(
        description="公示获奖名单", url_path="announce", icon="campaign", permissions=["decide"]
    )
    def announce_page(self, request):
        return redirect("honors:announce")

    @admin.display(description="期间")
    def period_shown(self, obj):
        return obj.period_label

    @admin.display(description="被推荐人/集体")
    def nominee(self, obj):
        return obj.nominee_label

    @admin.display(description="公示", boolean=True)
    def announced(self, obj):
        return obj.announcement_id is not None

    def _allowed(self, request, rows):
        unions = set(request.access.unions_with(Perm.CHANGE_HONORS))
        return [r for r in rows if r.union_id in unions]

    @action(description="授予所选推荐（委员会评定通过）", permissions=["decide"])
    def grant(self, request, queryset):
        done = 0
        for nomination in self._allowed(request, queryset):
            try:
                services.decide(
                    nomination=nomination, granted=True, on=timezone.localdate(), actor=request.user
                )
                done += 1
            except ValidationError as e:
                messages.error(request, f"{nomination}：{e.messages[0]}")
        if done:
            messages.success(request, f"已授予 {done} 项")

    @action(description="公示所选获奖（发布到厂务公开）", permissions=["decide"])
    def announce(self, request, queryset):
        chosen = [r.pk for r in self._allowed(request, queryset)]
        return redirect(f"{reverse('honors:announce')}?{urlencode({'awards': chosen}, doseq=True)}")


@admin.register(Announcement)
class AnnouncementAdmin(HonorsAccess, ModelAdmin):
    list_display = ["title", "published_on"]
    fields = ["union", "title", "published_on", "shown_body"]
    readonly_fields = fields

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("honors:announce")

    @admin.display(description="公示内容")
    def shown_body(self, obj):
        # Built from escaped text by honors.services; cleaned again on the way out.
        body = mark_safe(nh3.clean(obj.body))  # noqa: S308
        return format_html("<div class='prose max-w-none'>{}</div>", body)


@admin.register(ModelWorker)
class ModelWorkerAdmin(HonorsAccess, ModelAdmin):
    list_display = ["member", "level", "title", "year", "conferred_by", "monthly_allowance"]
    list_filter = ["level", "title"]
    search_fields = ["member__name", "title"]
    list_select_related = ["member"]
    fields = [
        "union",
        "member",
        "level",
        "title",
        "year",
        "conferred_by",
        "monthly_allowance",
        "benefits",
        "notes",
        "visits",
    ]
    readonly_fields = fields
    actions_detail = ["edit"]

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_model_worker(request)

    @action(description="修改", url_path="edit", icon="edit", permissions=["decide"])
    def edit(self, request, object_id):
        return redirect("honors:edit_model_worker", self._changeable(request, object_id).pk)

    @admin.display(description="慰问记录")
    def visits(self, obj):
        rows = list(queries.care_visits_of(obj)[:20])
        if not rows:
            return format_html(
                '— <a class="text-primary-600 underline ml-2" href="{}">记录慰问</a>',
                reverse("admin:care_visit_add"),
            )
        return format_html_join(
            "",
            '<div><a class="text-primary-600 underline" href="{}">{} {}</a></div>',
            (
                (reverse("admin:care_visit_change", args=[v.pk]), v.on, v.get_kind_display())
                for v in rows
            ),
        )


class ItemInline(backoffice.ReadOnlyInline):
    model = AssessmentItem
    fields = ["position", "name", "max_points", "deduction_guide"]
    readonly_fields = fields
    view_perm = Perm.VIEW_HONORS


@admin.register(AssessmentRule)
class AssessmentRuleAdmin(HonorsAccess, ModelAdmin):
    list_display = ["name", "effective_from", "active", "total_shown"]
    fields = ["union", "name", "effective_from", "active", "total_shown"]
    readonly_fields = fields
    inlines = [ItemInline]
    actions_detail = ["revise"]

    @admin.display(description="满分合计")
    def total_shown(self, obj):
        return obj.total_points

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_rule(request)

    @action(
        description="以此为底稿修订", url_path="revise", icon="edit_note", permissions=["decide"]
    )
    def revise(self, request, object_id):
        return redirect("honors:revise_rule", self._changeable(request, object_id).pk)


@admin.register(Assessment)
class AssessmentAdmin(HonorsAccess, ModelAdmin):
    list_display = ["__str__", "rule", "published_on", "sheet"]
    list_select_related = ["rule"]
    fields = ["union", "rule", "month", "published_on", "sheet"]
    readonly_fields = fields
    actions_detail = ["open_sheet"]
    actions_list = ["ranking"]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("honors:open_month")

    @action(description="打分与排名", url_path="sheet", icon="table_chart")
    def open_sheet(self, request, object_id):
        return redirect("honors:sheet", self.get_object(request, object_id).pk)

    @action(description="排名与趋势", url_path="ranking", icon="trending_up")
    def ranking(self, request):
        return redirect("honors:ranking")

    @admin.display(description="打分与排名")
    def sheet(self, obj):
        return format_html(
            '<a class="text-primary-600 underline" href="{}">{}</a>',
            reverse("honors:sheet", args=[obj.pk]),
            "查看排名" if obj.is_published else "打分",
        )


@admin.register(GroupResult)
class GroupResultAdmin(HonorsAccess, ModelAdmin):
    """Frozen at publication; written only by publishing a month."""

    list_display = ["month", "rank", "group", "total"]
    list_filter = ["month"]
    list_select_related = ["group"]
    readonly_fields = ["union", "assessment", "group", "month", "total", "rank"]
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False
