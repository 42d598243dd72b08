"""Back office for the union tree, its departments, groups, terms and accounts.

Every screen finds rows through the scoped managers (the request runs inside a
scope of the unions the user may read) and asks request.access what the user
may do; Django's own model permissions and the superuser flag grant nothing
here, so an account without a role sees no union data.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from unfold.admin import ModelAdmin, TabularInline
from unfold.widgets import UnfoldAdminPasswordWidget

from gonghui.members import services as member_services
from gonghui.orgs import services
from gonghui.orgs.models import (
    AccessLog,
    Department,
    Group,
    Post,
    RestructuringEvent,
    RoleAssignment,
    Term,
    Union,
    User,
)
from gonghui.orgs.roles import Perm, Role


def _limit_foreign_keys(request, db_field, kwargs, union_ids) -> None:
    """Offer only rows of `union_ids` in a foreign-key select, so a form never
    lists another union's groups, departments or members."""
    model = db_field.related_model
    if model is Union:
        kwargs["queryset"] = Union.objects.filter(pk__in=union_ids)
    elif any(f.name == "union" for f in model._meta.fields):
        kwargs["queryset"] = model.objects.filter(union__in=union_ids)


class UnionScopedAdmin(ModelAdmin):
    """Admin for a union-owned model.

    Reading needs `view_perm` in the row's union, writing needs `change_perm`
    there; upper-union staff hold only read permissions below them, so their
    subtree is read-only.
    """

    view_perm = Perm.VIEW_ROSTER
    change_perm = Perm.MANAGE_ORGS
    can_delete = True

    # Unions ------------------------------------------------------------------

    def viewable_unions(self, request) -> list[int]:
        return sorted(
            set(request.access.unions_with(self.view_perm))
            | set(request.access.unions_with(self.change_perm))
        )

    def writable_unions(self, request) -> list[int]:
        return request.access.unions_with(self.change_perm)

    def union_of(self, obj) -> int | None:
        return obj.union_id

    def get_queryset(self, request):
        return super().get_queryset(request).filter(union__in=self.viewable_unions(request))

    # Permissions ---------------------------------------------------------------

    def has_module_permission(self, request):
        return bool(self.viewable_unions(request))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(self.viewable_unions(request))
        return self.union_of(obj) in self.viewable_unions(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return bool(self.writable_unions(request))
        return request.access.can(self.change_perm, self.union_of(obj))

    def has_add_permission(self, request):
        return bool(self.writable_unions(request))

    def has_delete_permission(self, request, obj=None):
        return self.can_delete and self.has_change_permission(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with a message; a row of another union
        # must look exactly like a row that does not exist.
        raise Http404("没有找到该记录")

    # Forms ---------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._gonghui_form_unions = (
            [self.union_of(obj)] if obj is not None else self.writable_unions(request)
        )
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        unions = getattr(request, "_gonghui_form_unions", None)
        if unions is None:
            unions = self.writable_unions(request)
        _limit_foreign_keys(request, db_field, kwargs, unions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnionScopedInline(TabularInline):
    """An inline whose selects only list rows of the parent's union, editable
    by whoever may change the parent (`obj` is the parent here)."""

    change_perm = Perm.MANAGE_ORGS

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return bool(request.access.unions_with(self.change_perm))
        return request.access.can(self.change_perm, obj.union_id)

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return bool(request.access.read)
        return obj.union_id in request.access.read

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _limit_foreign_keys(request, db_field, kwargs, getattr(request, "_gonghui_form_unions", []))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The union tree ----------------------------------------------------------------


class UnionForm(forms.ModelForm):
    class Meta:
        model = Union
        fields = [
            "name",
            "code",
            "kind",
            "parent",
            "credit_code",
            "established_on",
            "headcount",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


@admin.register(Union)
class UnionAdmin(UnionScopedAdmin):
    form = UnionForm
    list_display = ["indented_name", "code", "kind", "headcount", "contact_name"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    view_perm = Perm.VIEW_DASHBOARD
    can_delete = False
    fieldsets = [
        (None, {"fields": ["name", "code", "kind", "parent"]}),
        ("基本情况", {"fields": ["credit_code", "established_on", "headcount"]}),
        ("联系方式", {"fields": ["address", "contact_name", "contact_phone"]}),
    ]

    change_form_after_template = "admin/orgs/union/actions.html"

    def union_of(self, obj):
        return obj.pk

    def get_queryset(self, request):
        return Union.objects.filter(pk__in=self.viewable_unions(request))

    def has_change_permission(self, request, obj=None):
        # A merged union is kept as history: its details are read-only.
        if obj is not None and obj.archived_on is not None:
            return False
        return super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from gonghui.orgs.restructuring_views import deciding_union

        union = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if union is None:
            raise Http404("没有找到该工会")
        by = deciding_union(request, union) if union.archived_on is None else None
        extra_context = {
            **(extra_context or {}),
            "restructure_by": by,
            "move_url": reverse("admin:orgs_union_move", args=[union.pk]),
            "merge_url": reverse("admin:orgs_union_merge", args=[union.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        from gonghui.orgs import restructuring_views

        return [
            path(
                "<int:pk>/move/",
                self.admin_site.admin_view(restructuring_views.move_view),
                {"model_admin": self},
                name="orgs_union_move",
            ),
            path(
                "<int:pk>/merge/",
                self.admin_site.admin_view(restructuring_views.merge_view),
                {"model_admin": self},
                name="orgs_union_merge",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a union in the tree rewrites a subtree's paths: a service's job.
        return ["code", "parent"] if obj is not None else []

    @admin.display(description="名称", ordering="path")
    def indented_name(self, obj):
        return "　" * max(obj.depth - 1, 0) + obj.name

    def save_model(self, request, obj, form, change):
        if change:
            services.update_union(
                union=obj,
                **{
                    k: form.cleaned_data[k]
                    for k in services.UNION_DETAILS
                    if k in form.cleaned_data
                },
            )
            return
        created = services.create_union(
            code=obj.code,
            name=obj.name,
            kind=obj.kind,
            parent=obj.parent,
            credit_code=obj.credit_code,
            headcount=obj.headcount,
            established_on=obj.established_on,
            address=obj.address,
            contact_name=obj.contact_name,
            contact_phone=obj.contact_phone,
        )
        obj.pk, obj.path = created.pk, created.path

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None and "parent" in form.base_fields:
            form.base_fields["parent"].required = True
        return form


@admin.register(Department)
class DepartmentAdmin(UnionScopedAdmin):
    list_display = ["name", "union"]
    search_fields = ["name"]
    list_filter = [("union", admin.RelatedOnlyFieldListFilter)]  # only unions in scope

    def save_model(self, request, obj, form, change):
        if change:
            services.rename_department(department=obj, name=obj.name)
            return
        obj.pk = services.create_department(union=obj.union, name=obj.name).pk


@admin.register(Group)
class GroupAdmin(UnionScopedAdmin):
    list_display = ["name", "union", "department", "leader", "liaison"]
    list_select_related = ["union", "department", "leader", "liaison"]
    search_fields = ["name"]
    list_filter = [("union", admin.RelatedOnlyFieldListFilter)]  # only unions in scope
    autocomplete_fields = ["leader", "liaison"]

    def save_model(self, request, obj, form, change):
        if change:
            services.update_group(
                group=obj,
                name=obj.name,
                department=obj.department,
                leader=obj.leader,
                liaison=obj.liaison,
            )
            return
        obj.pk = services.create_group(
            union=obj.union,
            name=obj.name,
            department=obj.department,
            leader=obj.leader,
            liaison=obj.liaison,
        ).pk


class PostInline(UnionScopedInline):
    model = Post
    fields = ["kind", "member"]
    autocomplete_fields = ["member"]
    extra = 1
    verbose_name = "职务"
    verbose_name_plural = "委员会组成（主席、副主席、委员、经审、女职委）"


@admin.register(Term)
class TermAdmin(UnionScopedAdmin):
    list_display = ["__str__", "union", "starts_on", "ends_on"]
    list_filter = [("union", admin.RelatedOnlyFieldListFilter)]  # only unions in scope
    inlines = [PostInline]

    def get_inline_instances(self, request, obj=None):
        # Posts belong to a saved term (and its union): add them after creating it.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            services.update_term(term=obj, starts_on=obj.starts_on, ends_on=obj.ends_on)
            return
        obj.pk = services.start_term(
            union=obj.union, number=obj.number, starts_on=obj.starts_on, ends_on=obj.ends_on
        ).pk

    def save_formset(self, request, form, formset, change):
        term = form.instance
        posts = formset.save(commit=False)
        for post in formset.deleted_objects:
            post.delete()
        for post in posts:
            if post.pk is None:
                services.appoint(term=term, member=post.member, kind=post.kind)
            else:
                post.union = term.union
                post.save()


# Accounts and roles --------------------------------------------------------------


class RoleAssignmentInline(UnionScopedInline):
    model = RoleAssignment
    fields = ["union", "role"]
    extra = 1

    def get_queryset(self, request):
        managed = request.access.unions_with(Perm.MANAGE_ACCOUNTS)
        return super().get_queryset(request).filter(union__in=managed)

    def get_formset(self, request, obj=None, **kwargs):
        request._gonghui_form_unions = request.access.unions_with(Perm.MANAGE_ACCOUNTS)
        return super().get_formset(request, obj, **kwargs)

    def has_view_permission(self, request, obj=None):
        return bool(request.access.unions_with(Perm.MANAGE_ACCOUNTS))

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class AccountAddForm(forms.ModelForm):
    password1 = forms.CharField(label="密码", widget=UnfoldAdminPasswordWidget)
    password2 = forms.CharField(label="再次输入密码", widget=UnfoldAdminPasswordWidget)
    union = forms.ModelChoiceField(label="工会", queryset=Union.objects.none())
    role = forms.ChoiceField(label="角色", choices=Role.choices)

    class Meta:
        model = User
        fields = ["username", "display_name"]

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        elif data.get("password1"):
            try:
                validate_password(data["password1"], User(username=data.get("username", "")))
            except ValidationError as e:
                self.add_error("password1", e)
        return data


class PasswordResetForm(forms.Form):
    password1 = forms.CharField(label="新密码", widget=UnfoldAdminPasswordWidget)
    password2 = forms.CharField(label="再次输入新密码", widget=UnfoldAdminPasswordWidget)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


@admin.register(User)
class UserAdmin(ModelAdmin):
    """Accounts of the unions where the user manages accounts (a chair's own union)."""

    list_display = ["username", "display_name", "role_list", "is_active", "last_login"]
    search_fields = ["username", "display_name"]
    fields = ["username", "display_name", "is_active", "last_login"]
    readonly_fields = ["last_login"]
    inlines = [RoleAssignmentInline]
    change_form_after_template = "admin/orgs/user/password_link.html"

    def managed_unions(self, request) -> list[int]:
        return request.access.unions_with(Perm.MANAGE_ACCOUNTS)

    def get_queryset(self, request):
        return (
            User.objects.filter(roles__union__in=self.managed_unions(request), is_superuser=False)
            .distinct()
            .prefetch_related(
                Prefetch(
                    "roles",
                    queryset=RoleAssignment.objects.filter(
                        union__in=self.managed_unions(request)
                    ).select_related("union"),
                    to_attr="managed_roles",
                )
            )
        )

    def has_module_permission(self, request):
        return bool(self.managed_unions(request))

    def has_view_permission(self, request, obj=None):
        return bool(self.managed_unions(request))

    def has_change_permission(self, request, obj=None):
        return bool(self.managed_unions(request))

    def has_add_permission(self, request):
        return bool(self.managed_unions(request))

    def has_delete_permission(self, request, obj=None):
        return False

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("没有找到该账号")

    @admin.display(description="角色")
    def role_list(self, obj):
        return "、".join(f"{a.union.name} {a.get_role_display()}" for a in obj.managed_roles)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "display_name", "password1", "password2", "union", "role"]
        return self.fields

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AccountAddForm
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            form.base_fields["union"].queryset = Union.objects.filter(
                pk__in=self.managed_unions(request)
            )
        return form

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["username", "display_name", "is_active"])
            return
        created = services.create_account(
            username=obj.username,
            display_name=obj.display_name,
            password=form.cleaned_data["password1"],
            union=form.cleaned_data["union"],
            role=form.cleaned_data["role"],
        )
        obj.pk, obj.password, obj.is_staff = created.pk, created.password, created.is_staff
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        assignments = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            assignment.delete()
        for assignment in assignments:
            if assignment.pk is None:
                services.assign_role(
                    user=form.instance, union=assignment.union, role=assignment.role
                )
            else:
                assignment.save()

    def get_urls(self):
        return [
            path(
                "<int:pk>/password/",
                self.admin_site.admin_view(self.password_view),
                name="orgs_user_password",
            ),
            *super().get_urls(),
        ]

    def password_view(self, request, pk):
        """Set a new password (also for a member's portal account) and lift any lockout."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        user = get_object_or_404(self.get_queryset(request), pk=pk)
        form = PasswordResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                member_services.set_password(
                    user=user, password=form.cleaned_data["password1"], actor=request.user
                )
            except ValidationError as e:
                for message in e.message_dict.get("password", e.messages):
                    form.add_error("password1", message)
            else:
                messages.success(request, f"已为“{user}”设置新密码")
                return redirect(reverse("admin:orgs_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"为“{user}”设置新密码",
            "form": form,
            "account": user,
            "submit_label": "设置新密码",
            "back_url": reverse("admin:orgs_user_change", args=[user.pk]),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/orgs/user/password.html", context)


# Access log ------------------------------------------------------------------------


@admin.register(AccessLog)
class AccessLogAdmin(ModelAdmin):
    """Who saw which sensitive value and why: read-only, for the union's chair."""

    list_display = ["at", "user", "union", "subject", "field", "reason"]
    list_select_related = ["user", "union"]
    list_filter = ["field"]
    search_fields = ["subject", "reason"]
    date_hierarchy = None

    def chaired_unions(self, request) -> list[int]:
        return sorted(u for u in request.access.roles if request.access.has_role(Role.CHAIR, u))

    def get_queryset(self, request):
        return super().get_queryset(request).filter(union__in=self.chaired_unions(request))

    def has_module_permission(self, request):
        return bool(self.chaired_unions(request))

    def has_view_permission(self, request, obj=None):
        unions = self.chaired_unions(request)
        return bool(unions) if obj is None else obj.union_id in unions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("没有找到该记录")


@admin.register(RestructuringEvent)
class RestructuringEventAdmin(UnionScopedAdmin):
    """The record of moves and merges, written by orgs.services; never edited."""

    view_perm = Perm.VIEW_DASHBOARD
    change_perm = Perm.RESTRUCTURE
    list_display = ["on", "kind", "union", "from_parent", "to_parent", "target", "by_union"]
    list_select_related = ["union", "from_parent", "to_parent", "target", "by_union"]
    list_filter = ["kind"]
    search_fields = ["union__name", "reason"]
    fields = [
        "kind",
        "on",
        "subject",
        "from_parent",
        "to_parent",
        "target",
        "by_union",
        "reason",
        "moved_summary",
        "old_path",
        "new_path",
        "actor",
        "recorded_at",
    ]
    readonly_fields = fields

    @admin.display(description="调整的工会")
    def subject(self, obj):
        return obj.union.name

    @admin.display(description="随同转移")
    def moved_summary(self, obj):
        labels = {
            "members": "会员",
            "departments": "部门",
            "groups": "工会小组",
            "applications": "待审核入会申请",
            "transfers_cancelled": "撤回的待处理转移",
        }
        parts = [f"{labels.get(k, k)}{v}" for k, v in (obj.moved or {}).items()]
        return "，".join(parts) or "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
