"""Back office of the roster: the member list, the member page, applications,
status changes.

The list is built for 50,000 members: it never counts past a few pages ahead,
never searches or sorts an encrypted column (ID numbers and phones are found
through their keyed digests), and joins the group and department in the one
query that fetches the page.
"""

from datetime import date

from auditlog.models import LogEntry
from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from unfold.templatetags.unfold_list import result_headers
from unfold.views import ChangeList

from gonghui import encryption, idcard, phone
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.members import admin_views, services, transfer_views, transfers
from gonghui.members.forms import MemberForm
from gonghui.members.models import (
    Application,
    ApplicationState,
    Gender,
    Member,
    Status,
    StatusChange,
    Transfer,
    TransferSide,
    TransferState,
)
from gonghui.orgs.admin import UnionScopedAdmin
from gonghui.orgs.roles import Perm

# The list ----------------------------------------------------------------------

GENDER_LABELS = dict(Gender.choices)
STATUS_LABELS = dict(Status.choices)

_CELL = (
    "align-middle flex border-t border-base-200 font-normal gap-4 items-center min-w-0 "
    "overflow-hidden px-3 py-1.5 h-[45px] text-left before:flex before:capitalize "
    "before:content-[attr(data-label)] before:items-center before:font-semibold "
    "before:text-font-important-light before:mr-auto first:border-t-0 lg:before:hidden "
    "lg:first:border-t lg:table-cell dark:border-base-800 dark:before:text-font-important-dark"
)
_CHECKBOX_CELL = (
    "action-checkbox align-middle flex items-center px-3 py-2 text-left before:block "
    "before:capitalize before:content-[attr(data-label)] before:font-semibold before:mr-auto "
    "before:text-font-important-light lg:before:hidden lg:border-t lg:border-base-200 "
    "lg:table-cell dark:lg:border-base-800 dark:before:text-font-important-dark"
)
_CHECKBOX = (
    "appearance-none bg-white block border border-base-300 h-4 min-w-4 relative rounded-[4px] "
    "shadow-xs w-4 dark:bg-base-900 dark:border-base-700 dark:checked:after:text-white "
    "after:absolute after:content-[&#x27;check\\_small&#x27;] after:flex! after:h-4 "
    "after:items-center after:justify-center after:leading-none after:material-symbols-outlined "
    "after:-ml-px after:-mt-px after:text-white after:w-4 dark:after:text-transparent "
    "checked:bg-primary-600 dark:checked:bg-primary-600 checked:border-primary-600 "
    "dark:checked:border-primary-600 action-select"
)


class RosterChangeList(ChangeList):
    """Renders the page's rows in one pass.

    The generic admin list looks every cell up through the column machinery
    (and unfold recomputes all headers for every cell); for 100 rows of nine
    columns that costs more than the database. The markup is unfold's own.
    """

    @cached_property
    def roster_headers(self):
        return list(result_headers(self))

    @cached_property
    def roster_sorted(self):
        return sum(1 for h in self.roster_headers if h["sortable"] and h["sorted"])

    @cached_property
    def roster_rows(self):
        labels = {
            name: str(h["text"])
            for name, h in zip(self.list_display, self.roster_headers, strict=True)
        }
        with_checkbox = "action_checkbox" in self.list_display
        preserved = f"?{self.preserved_filters}" if self.preserved_filters else ""
        today = timezone.localdate()
        return [self._row(m, labels, with_checkbox, preserved, today) for m in self.result_list]

    def _row(self, member, labels, with_checkbox, preserved, today):
        url = f"{self.url_for_result(member)}{preserved}"
        cells = []
        if with_checkbox:
            cells.append(
                f'<td class="{_CHECKBOX_CELL}" data-label="选择"><input type="checkbox" '
                f'name="_selected_action" value="{member.pk}" class="{_CHECKBOX}" '
                f'aria-label="选择"></td>'
            )
        for name, value in self.model_admin.row_values(member, today):
            text = escape(value) if value not in (None, "") else "-"
            label = escape(labels[name])
            if name == "name":
                cells.append(
                    f'<th class="field-name {_CELL}" data-label="{label}"><a href="{escape(url)}" '
                    f'class="text-font-important-light dark:text-font-important-dark">{text}</a></th>'
                )
            else:
                cells.append(f'<td class="field-{name} {_CELL}" data-label="{label}">{text}</td>')
        return mark_safe("".join(cells))


class CappedPaginator(Paginator):
    """Pages a large roster with one scan and without COUNT(*).

    Asked for page n, it reads the ids of the rows from that page on, up to
    `pages_ahead` pages (one query that stops early), and fetches the page's
    rows by id. The count it reports is exact when the end of the list is
    within reach, and otherwise "more than" (the list says 超过 N 名).
    """

    template_name = "admin/members/member/pagination.html"
    pages_ahead = 10

    def __init__(self, object_list, per_page, *, wanted_page: int = 1, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.wanted_page = max(wanted_page, 1)
        self.capped = False
        self._page_ids = None

    @cached_property
    def count(self):
        start = (self.wanted_page - 1) * self.per_page
        window = self.per_page * self.pages_ahead
        ids = list(self.object_list[start : start + window + 1].values_list("pk", flat=True))
        self.capped = len(ids) > window
        self._page_ids = ids[: self.per_page]
        return start + min(len(ids), window)

    def page(self, number):
        number = self.validate_number(number)
        if number != self.wanted_page or self._page_ids is None:
            return super().page(number)
        rows = self.object_list.filter(pk__in=self._page_ids)
        return self._get_page(rows, number, self)


class UnionRelatedFilter(admin.RelatedFieldListFilter):
    """A group or department filter listing only the user's unions' rows, as a
    select (a union has hundreds of groups; a list of links is a long page)."""

    template = "admin/members/member/select_filter.html"

    def choices(self, changelist):
        # One query string for the rest of the filters, then one parameter per
        # choice: the stock filter re-encodes the whole query for every group.
        base = changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull])
        joiner = "&" if base != "?" else ""
        chosen = {str(v) for v in (self.lookup_val or [])}
        yield {
            "selected": not chosen and not self.lookup_val_isnull,
            "query_string": base,
            "display": "全部",
        }
        for pk, title in self.lookup_choices:
            yield {
                "selected": str(pk) in chosen,
                "query_string": f"{base}{joiner}{self.lookup_kwarg}={pk}",
                "display": title,
            }
        if self.include_empty_choice:
            yield {
                "selected": bool(self.lookup_val_isnull),
                "query_string": f"{base}{joiner}{self.lookup_kwarg_isnull}=True",
                "display": "（未填）",
            }

    def field_choices(self, field, request, model_admin):
        unions = model_admin.viewable_unions(request)
        rows = field.related_model.objects.filter(union__in=unions)
        if len(unions) == 1:
            return list(rows.order_by("name").values_list("pk", "name"))
        return [
            (pk, f"{union} · {name}")
            for pk, name, union in rows.order_by("union__path", "name").values_list(
                "pk", "name", "union__name"
            )
        ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class AgeBandFilter(admin.SimpleListFilter):
    title = "年龄段"
    parameter_name = "age"
    BANDS = {"lt30": (0, 30), "30s": (30, 40), "40s": (40, 50), "50plus": (50, None)}

    def lookups(self, request, model_admin):
        return [
            ("lt30", "30岁以下"),
            ("30s", "30–39岁"),
            ("40s", "40–49岁"),
            ("50plus", "50岁及以上"),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        if band is None:
            return queryset
        today = timezone.localdate()
        low, high = band
        # Age >= low  <=> born on or before today minus `low` years.
        queryset = queryset.filter(birth_date__lte=_years_before(today, low))
        if high is not None:
            queryset = queryset.filter(birth_date__gt=_years_before(today, high))
        return queryset


class JoinYearFilter(admin.SimpleListFilter):
    title = "入会年份"
    parameter_name = "joined"

    def lookups(self, request, model_admin):
        # Ordered by the (union, joined_on) index: reads one row, not the roster.
        first = (
            Member.objects.filter(union__in=model_admin.viewable_unions(request))
            .order_by("joined_on")
            .values_list("joined_on", flat=True)
            .first()
        )
        this_year = timezone.localdate().year
        start = first.year if first else this_year
        return [(str(y), f"{y}年") for y in range(this_year, start - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            year = int(value)
            return queryset.filter(
                joined_on__gte=date(year, 1, 1), joined_on__lt=date(year + 1, 1, 1)
            )
        return queryset


AUDITED_FIELDS = {
    str(f.verbose_name)
    for f in Member._meta.concrete_fields
    if f.name in (*services.EDITABLE_FIELDS, "status", "status_since", "left_on", "user")
}
ACTIONS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
}


def _history(member, limit: int = 50) -> list[dict]:
    """The audit log of one member: who changed which roster field, from what to what.

    The log stores ID numbers and phones masked (see apps.py)."""
    entries = LogEntry.objects.get_for_object(member).select_related("actor").order_by("-timestamp")
    history = []
    for entry in entries[:limit]:
        changes = []
        for label, (old, new) in entry.changes_display_dict.items():
            if label not in AUDITED_FIELDS:
                continue
            old, new = ("" if v in (None, "None") else v for v in (old, new))
            if old or new:
                changes.append({"field": label, "old": old, "new": new})
        history.append(
            {
                "at": entry.timestamp,
                "actor": entry.actor,
                "action": ACTIONS.get(entry.action, entry.get_action_display()),
                "changes": changes,
            }
        )
    return history


@admin.register(Member)
class MemberAdmin(AttachmentsMixin, UnionScopedAdmin):
    attachments_title = "会员材料（证件、表格扫描件等）"
    form = MemberForm
    view_perm = Perm.VIEW_ROSTER
    change_perm = Perm.CHANGE_ROSTER
    # Members leave through a status change (退会, 调出…), keeping their history.
    can_delete = False

    list_display = [
        "name",
        "gender",
        "age",
        "group",
        "department",
        "phone_masked_column",
        "id_number_masked_column",
        "status",
        "joined_on",
    ]
    list_display_links = ["name"]
    list_select_related = ["group", "department"]
    list_filter = [
        ("group", UnionRelatedFilter),
        ("department", UnionRelatedFilter),
        "status",
        "gender",
        AgeBandFilter,
        JoinYearFilter,
    ]
    # Only to show the search box; get_search_results decides what matches.
    search_fields = ["name"]
    search_help_text = "姓名、拼音首字母（如 zs）或全拼、工号，或完整的身份证号、手机号码"
    list_per_page = 100
    list_max_show_all = 200
    show_full_result_count = False
    paginator = CappedPaginator
    sortable_by = ["name", "age", "status", "joined_on"]
    actions = ["export_excel"]
    change_form_after_template = "admin/members/member/history.html"

    # Columns -----------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return RosterChangeList

    def row_values(self, obj, today):
        """One roster row, in list_display order (RosterChangeList renders it)."""
        return [
            ("name", obj.name),
            ("gender", GENDER_LABELS.get(obj.gender, obj.gender)),
            ("age", obj.age_on(today)),
            ("group", obj.group.name if obj.group_id else None),
            ("department", obj.department.name if obj.department_id else None),
            ("phone_masked_column", obj.phone_masked),
            ("id_number_masked_column", obj.id_number_masked),
            ("status", STATUS_LABELS.get(obj.status, obj.status)),
            ("joined_on", f"{obj.joined_on.year}年{obj.joined_on.month}月{obj.joined_on.day}日"),
        ]

    @admin.display(description="年龄", ordering="-birth_date")
    def age(self, obj):
        return obj.age_on(timezone.localdate())

    @admin.display(description="手机号")
    def phone_masked_column(self, obj):
        return obj.phone_masked

    @admin.display(description="身份证号")
    def id_number_masked_column(self, obj):
        return obj.id_number_masked

    # Search and paging -----------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        queryset = self._limit_autocomplete(request, queryset)
        term = "".join(search_term.split())
        if not term:
            return queryset, False
        if len(term) == 18 and term[:17].isdigit():
            return queryset.filter(
                id_number_digest=encryption.digest(idcard.normalise(term))
            ), False
        if len(term) == 11 and term.isdigit():
            digest = encryption.digest(phone.normalise(term))
            return queryset.filter(Q(phone_digest=digest) | Q(employee_number=term)), False
        if term.isascii():
            # search_text holds the name, its initials and its full pinyin.
            return queryset.filter(
                Q(search_text__contains=term.lower()) | Q(employee_number=term)
            ), False
        return queryset.filter(name__contains=term), False

    def _limit_autocomplete(self, request, queryset):
        # Choosing a group leader or a committee post offers only members of
        # unions the user may organise.
        if request.path.endswith("/autocomplete/") and request.GET.get("app_label") == "orgs":
            return queryset.filter(union__in=request.access.unions_with(Perm.MANAGE_ORGS))
        return queryset

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        wanted = request.GET.get("p", "1")
        return self.paginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            wanted_page=int(wanted) if wanted.isdigit() else 1,
        )

    # The member page ---------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        revealable = obj is not None and request.access.can(Perm.REVEAL_SENSITIVE, obj.union_id)
        suffix = "_with_reveal" if revealable else ""
        identity = ["name", "gender", "birth_date"]
        if obj is not None:
            identity += [f"id_number_shown{suffix}", f"phone_shown{suffix}"]
        if editable:
            identity += ["id_number", "phone"]
        basics = (["union"] if obj is None else []) + identity
        fieldsets = [
            (None, {"fields": basics}),
            ("组织关系", {"fields": ["department", "group", "employee_number", "position"]}),
            ("其他信息", {"fields": ["education", "political_status", "ethnicity", "joined_on"]}),
        ]
        if obj is not None:
            standing = ["status", "status_since", "left_on", "portal_account"]
            if obj.transferred_in:
                # joined_on is the day the member came onto this roll by transfer.
                standing.insert(0, "first_joined_on")
            fieldsets.append(("会籍", {"fields": standing}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "id_number_shown",
            "phone_shown",
            "id_number_shown_with_reveal",
            "phone_shown_with_reveal",
            "status",
            "status_since",
            "left_on",
            "portal_account",
            "first_joined_on",
        ]

    @admin.display(description="身份证号")
    def id_number_shown(self, obj):
        return obj.id_number_masked

    @admin.display(description="手机号码")
    def phone_shown(self, obj):
        return obj.phone_masked or "-"

    def _with_reveal(self, obj, field, masked):
        if not masked:
            return "-"
        url = reverse("admin:members_member_reveal", args=[obj.pk, field])
        return format_html(
            '<span style="font-family: ui-monospace, monospace">{}</span> <a href="{}" class="ml-3 text-primary-600 '
            'underline" data-reveal="{}">查看完整号码</a>',
            masked,
            url,
            field,
        )

    @admin.display(description="身份证号")
    def id_number_shown_with_reveal(self, obj):
        return self._with_reveal(obj, "id_number", obj.id_number_masked)

    @admin.display(description="手机号码")
    def phone_shown_with_reveal(self, obj):
        return self._with_reveal(obj, "phone", obj.phone_masked)

    @admin.display(description="门户账号")
    def portal_account(self, obj):
        return "已开通" if obj.user_id else "未开通"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        # MemberForm.save() already wrote through members.services.
        pass

    def has_change_permission(self, request, obj=None):
        # A row closed by a transfer is the old union's read-only history.
        if obj is not None and obj.transferred_out:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        member = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if member is None:
            raise Http404("没有找到该会员")
        changeable = self.has_change_permission(request, member)
        member_transfers = list(
            Transfer.objects.filter(Q(member=member) | Q(new_member=member))
            .select_related("union", "to_union")
            .order_by("-started_at", "-id")
        )
        extra_context = {
            **(extra_context or {}),
            "status_changes": member.status_changes.select_related("actor").order_by("-on", "-id"),
            "log_entries": _history(member),
            "can_change_status": changeable,
            "status_url": reverse("admin:members_member_status", args=[member.pk]),
            "member_transfers": member_transfers,
            "can_start_transfer": changeable
            and member.status == Status.ACTIVE
            and not any(t.state == TransferState.PENDING for t in member_transfers),
            "transfer_url": reverse("admin:members_member_transfer", args=[member.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/reveal/<str:field>/",
                self.admin_site.admin_view(admin_views.reveal_view),
                {"model_admin": self},
                name="members_member_reveal",
            ),
            path(
                "<int:pk>/status/",
                self.admin_site.admin_view(admin_views.status_view),
                {"model_admin": self},
                name="members_member_status",
            ),
            path(
                "<int:pk>/transfer/",
                self.admin_site.admin_view(transfer_views.start_view),
                {"model_admin": self},
                name="members_member_transfer",
            ),
            *super().get_urls(),
        ]

    # Export ---------------------------------------------------------------------

    @admin.action(description="导出所选/筛选结果为Excel")
    def export_excel(self, request, queryset):
        return admin_views.export_action(self, request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.access.unions_with(Perm.EXPORT_ROSTER):
            actions.pop("export_excel", None)
        return actions


# Applications ---------------------------------------------------------------------


class ApplicationStateFilter(admin.SimpleListFilter):
    """Pending applications first: the list a cadre works through."""

    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*ApplicationState.choices, ("all", "全部")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            selected = self.value() == value or (
                self.value() is None and value == ApplicationState.PENDING
            )
            yield {
                "selected": selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or ApplicationState.PENDING
        return queryset if value == "all" else queryset.filter(state=value)


@admin.register(Application)
class ApplicationAdmin(UnionScopedAdmin):
    view_perm = Perm.DECIDE_APPLICATIONS
    change_perm = Perm.DECIDE_APPLICATIONS
    list_display = ["name", "phone_masked", "department", "state", "submitted_at", "decided_at"]
    list_select_related = ["department"]
    list_filter = [ApplicationStateFilter]
    search_fields = ["name"]
    fields = [
        "name",
        "id_number_masked",
        "phone_masked",
        "department",
        "consent",
        "state",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decline_reason",
        "member",
    ]
    readonly_fields = fields
    change_form_after_template = "admin/members/application/actions.html"

    @admin.display(description="身份证号")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description="手机号码")
    def phone_masked(self, obj):
        return obj.phone_masked

    # Applications arrive from the portal and are decided on their own pages.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if application is None:
            raise Http404("没有找到该申请")
        extra_context = {
            **(extra_context or {}),
            "can_decide": application.state == ApplicationState.PENDING
            and request.access.can(Perm.DECIDE_APPLICATIONS, application.union_id),
            "approve_url": reverse("admin:members_application_approve", args=[application.pk]),
            "decline_url": reverse("admin:members_application_decline", args=[application.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(admin_views.approve_view),
                {"model_admin": self},
                name="members_application_approve",
            ),
            path(
                "<int:pk>/decline/",
                self.admin_site.admin_view(admin_views.decline_view),
                {"model_admin": self},
                name="members_application_decline",
            ),
            *super().get_urls(),
        ]


@admin.register(StatusChange)
class StatusChangeAdmin(UnionScopedAdmin):
    """The dated history of joins and departures; written from the member page."""

    view_perm = Perm.VIEW_ROSTER
    change_perm = Perm.CHANGE_ROSTER
    list_display = ["member", "from_status", "to_status", "on", "reason", "actor"]
    list_select_related = ["member", "actor"]
    list_filter = ["to_status"]
    search_fields = ["member__name"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Transfers (会员关系转移接续) -------------------------------------------------------------


class TransferStateFilter(admin.SimpleListFilter):
    """Waiting transfers first: the list a cadre works through."""

    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*TransferState.choices, ("all", "全部")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            selected = self.value() == value or (self.value() is None and value == "all")
            yield {
                "selected": selected,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or "all"
        return queryset if value == "all" else queryset.filter(state=value)


class TransferDirectionFilter(admin.SimpleListFilter):
    title = "方向"
    parameter_name = "direction"

    def lookups(self, request, model_admin):
        return [("out", "转出"), ("in", "转入"), ("waiting", "待本工会处理")]

    def queryset(self, request, queryset):
        own = request.access.unions_with(Perm.CHANGE_ROSTER)
        if self.value() == "out":
            return queryset.filter(union__in=own)
        if self.value() == "in":
            return queryset.filter(to_union__in=own)
        if self.value() == "waiting":
            pending = queryset.filter(state=TransferState.PENDING).exclude(
                started_by=TransferSide.UPPER
            )
            return pending.filter(
                Q(started_by=TransferSide.SOURCE, to_union__in=own)
                | Q(started_by=TransferSide.TARGET, union__in=own)
            )
        return queryset


@admin.register(Transfer)
class TransferAdmin(UnionScopedAdmin):
    """Transfers from or to the user's unions (an upper union: its subtree),
    started from a member's page or requested here; decided on their own pages."""

    view_perm = Perm.VIEW_ROSTER
    change_perm = Perm.CHANGE_ROSTER
    list_display = [
        "member_name",
        "union",
        "to_union",
        "on",
        "state",
        "started_by",
        "started_at",
    ]
    list_select_related = ["member", "union", "to_union"]
    list_filter = [TransferStateFilter, TransferDirectionFilter]
    search_fields = ["member__name"]
    show_full_result_count = False
    fields = [
        "member_name",
        "union",
        "to_union",
        "on",
        "reason",
        "state",
        "started_by",
        "started_by_user",
        "started_at",
        "decided_by",
        "decided_at",
        "decline_reason",
        "dues_status",
    ]
    readonly_fields = fields
    change_form_after_template = "admin/members/transfer/actions.html"
    list_before_template = "admin/members/transfer/list_before.html"

    def get_queryset(self, request):
        unions = self.viewable_unions(request)
        return (
            Transfer.objects.filter(Q(union__in=unions) | Q(to_union__in=unions))
            .select_related("member", "union", "to_union", "new_member")
            .order_by("-started_at", "-id")
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self.viewable_unions(request))
        unions = self.viewable_unions(request)
        return obj.union_id in unions or obj.to_union_id in unions

    @admin.display(description="会员")
    def member_name(self, obj):
        return obj.member.name

    @admin.display(description="会费情况")
    def dues_status(self, obj):
        if obj.state != TransferState.ACCEPTED:
            return "接收后记录"
        through = f"{obj.dues_paid_through:%Y年%-m月}" if obj.dues_paid_through else "无缴费记录"
        owed = f"，原工会尚有{obj.dues_unpaid_months}个月未缴" if obj.dues_unpaid_months else ""
        return f"原工会会费缴至{through}{owed}"

    # Transfers are started from a member's page or requested, and decided on
    # their own pages; nothing is edited or deleted in place.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_request": bool(request.access.unions_with(Perm.CHANGE_ROSTER)),
            "request_url": reverse("admin:members_transfer_request"),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transfer = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if transfer is None:
            raise Http404("没有找到该转移")
        allowed = transfers.acting_side(transfer, request.access, Perm.CHANGE_ROSTER)
        rows = self.viewable_unions(request)
        extra_context = {
            **(extra_context or {}),
            "transfer": transfer,
            "allowed": allowed,
            "accept_url": reverse("admin:members_transfer_accept", args=[transfer.pk]),
            "decline_url": reverse("admin:members_transfer_decline", args=[transfer.pk]),
            "cancel_url": reverse("admin:members_transfer_cancel", args=[transfer.pk]),
            "old_row_url": reverse("admin:members_member_change", args=[transfer.member_id])
            if transfer.union_id in rows
            else "",
            "new_row_url": reverse("admin:members_member_change", args=[transfer.new_member_id])
            if transfer.new_member_id and transfer.to_union_id in rows
            else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        views = [
            ("request/", transfer_views.request_view, "members_transfer_request"),
            ("<int:pk>/accept/", transfer_views.accept_view, "members_transfer_accept"),
            ("<int:pk>/decline/", transfer_views.decline_view, "members_transfer_decline"),
            ("<int:pk>/cancel/", transfer_views.cancel_view, "members_transfer_cancel"),
        ]
        return [
            *(
                path(route, self.admin_site.admin_view(view), {"model_admin": self}, name=name)
                for route, view, name in views
            ),
            *super().get_urls(),
        ]
