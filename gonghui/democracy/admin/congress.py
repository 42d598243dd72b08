"""Back-office lists of congresses, representatives and sessions. Lists show
the unions where the user holds democracy.view; adding needs democracy.change
and goes through democracy.services.congress. The congress day itself (sign-in,
quorum, votes, publication) is the custom page in congress_views.py."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from gonghui.democracy.models import (
    AgendaItem,
    Congress,
    CongressSession,
    Representative,
    RepresentativeQuota,
)
from gonghui.democracy.queries import congress as queries
from gonghui.democracy.services import congress as services
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class DemocracyAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_DEMOCRACY
    change_perm = Perm.CHANGE_DEMOCRACY

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        allowed = self._unions(request, Perm.CHANGE_DEMOCRACY)
        if db_field.name == "union":
            field.queryset = field.queryset.filter(pk__in=allowed)
        elif hasattr(field.queryset.model, "union"):
            field.queryset = field.queryset.filter(union__in=allowed)
        return field

    def add_view(self, request, form_url="", extra_context=None):
        # Services raise ValidationError with Chinese messages: show them, write nothing.
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def _check_change(self, request, union_id):
        if not request.access.can(Perm.CHANGE_DEMOCRACY, union_id):
            raise ValidationError({"union": "您没有该工会民主管理的修改权限"})


class ReadOnlyInline(TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None or request.access.can(Perm.VIEW_DEMOCRACY, obj.union_id)


class QuotaInline(ReadOnlyInline):
    model = RepresentativeQuota
    fields = ["group", "seats"]
    readonly_fields = fields
    verbose_name_plural = "各选举单位代表名额"


@admin.register(Congress)
class CongressAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["__str__", "union", "starts_on", "representative_count", "composition_link"]
    list_filter = ["kind"]
    fields = [
        "union",
        "kind",
        "term",
        "starts_on",
        "ends_on",
        "front_line_min_percent",
        "women_at_least_workforce",
        "managers_max_percent",
        "quorum_numerator",
        "quorum_denominator",
        "pass_basis",
        "pass_numerator",
        "pass_denominator",
        "co_signers_min",
        "reopen_days",
    ]
    inlines = [QuotaInline]
    actions_detail = ["composition"]

    @admin.display(description="在任代表")
    def representative_count(self, obj):
        return obj.representatives.filter(left_on__isnull=True).count()

    @admin.display(description="代表构成")
    def composition_link(self, obj):
        problems = queries.composition(obj)["problems"]
        label = f"⚠ {len(problems)}项不符合" if problems else "符合规定"
        return format_html(
            '<a class="underline" href="{}">{}</a>',
            reverse("democracy:congress_composition", args=[obj.pk]),
            label,
        )

    def save_model(self, request, obj, form, change):
        self._check_change(request, obj.union_id)
        data = {f: form.cleaned_data[f] for f in services.RULE_FIELDS}
        created = services.create_congress(
            union=obj.union,
            kind=obj.kind,
            term=obj.term,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            actor=request.user,
            **data,
        )
        obj.pk = created.pk

    @action(description="代表构成与名额", url_path="composition", icon="groups")
    def composition(self, request, object_id):
        return redirect("democracy:congress_composition", self.get_object(request, object_id).pk)


@admin.register(Representative)
class RepresentativeAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["member", "congress", "group", "category", "elected_on", "left_on"]
    list_filter = ["category", "congress"]
    search_fields = ["member__name", "member__name_initials"]
    list_select_related = ["member", "congress", "group"]
    fields = ["union", "congress", "member", "group", "category", "elected_on"]
    autocomplete_fields = []
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        self._check_change(request, obj.congress.union_id)
        created = services.elect_representative(
            congress=obj.congress,
            member=obj.member,
            group=obj.group,
            category=obj.category,
            elected_on=obj.elected_on,
            actor=request.user,
        )
        obj.pk = created.pk


@admin.register(RepresentativeQuota)
class RepresentativeQuotaAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["congress", "group", "seats"]
    fields = ["union", "congress", "group", "seats"]
    list_select_related = ["congress", "group"]

    def save_model(self, request, obj, form, change):
        self._check_change(request, obj.congress.union_id)
        created = services.set_quota(congress=obj.congress, group=obj.group, seats=obj.seats)
        obj.pk = created.pk


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "kind", "title", "presenter"]
    readonly_fields = fields
    verbose_name_plural = "议程"


@admin.register(CongressSession)
class CongressSessionAdmin(DemocracyAccess, ModelAdmin):
    list_display = ["__str__", "date", "place", "state", "quorum_shown", "day_link"]
    list_filter = ["state"]
    date_hierarchy = "date"
    list_select_related = ["congress"]
    fields = ["union", "congress", "date", "place", "proposals_open_on", "proposals_close_on"]
    inlines = [AgendaInline]
    actions_detail = ["day", "board"]

    @admin.display(description="出席")
    def quorum_shown(self, obj):
        q = queries.quorum(obj)
        return f"{q['present']}/{q['total']}"

    @admin.display(description="会议")
    def day_link(self, obj):
        return format_html(
            '<a class="underline" href="{}">会务</a> · <a class="underline" href="{}">提案</a>',
            reverse("democracy:day", args=[obj.pk]),
            reverse("democracy:board", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        self._check_change(request, obj.congress.union_id)
        created = services.create_session(
            congress=obj.congress,
            date=obj.date,
            place=obj.place,
            proposals_open_on=obj.proposals_open_on,
            proposals_close_on=obj.proposals_close_on,
            actor=request.user,
        )
        obj.pk = created.pk

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("democracy:day", obj.pk)

    @action(description="会务（签到、表决）", url_path="day", icon="how_to_reg")
    def day(self, request, object_id):
        return redirect("democracy:day", self.get_object(request, object_id).pk)

    @action(description="提案看板", url_path="board", icon="view_kanban")
    def board(self, request, object_id):
        return redirect("democracy:board", self.get_object(request, object_id).pk)
