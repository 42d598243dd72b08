"""Back-office screens for restructuring the tree: an upper union moves a union
under another parent (调整隶属关系) or merges it into another (撤并).

Opened from a union's page; the user acts for the highest union above it where
they hold the upper-union staff role, and every choice offered lies inside
that union's subtree. Each screen calls one orgs service.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.orgs import services
from gonghui.orgs.models import Union, UnionKind
from gonghui.orgs.roles import Perm, Role

UPPER_KINDS = [UnionKind.FEDERATION, UnionKind.INDUSTRY, UnionKind.GROUP_COMPANY]


class _UnionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "　" * max(obj.depth - 1, 0) + f"{obj.name}（{obj.code}）"


class _EventForm(forms.Form):
    on = forms.DateField(label="生效日期", widget=UnfoldAdminSingleDateWidget)
    reason = forms.CharField(
        label="原因或依据",
        max_length=200,
        widget=UnfoldAdminTextInputWidget(attrs={"placeholder": "例如：区总工会〔2026〕12号文"}),
    )


class MoveForm(_EventForm):
    new_parent = _UnionField(
        label="新的上级工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    field_order = ["new_parent", "on", "reason"]

    def __init__(self, *args, union: Union, by: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = (
            by.subtree()
            .filter(kind__in=UPPER_KINDS, archived_on__isnull=True)
            .exclude(path__startswith=union.path)
            .exclude(pk=union.parent_id)
        )


class MergeForm(_EventForm):
    target = _UnionField(
        label="并入工会",
        queryset=Union.objects.none(),
        widget=UnfoldAdminSelectWidget,
        help_text="本工会的在册会员于生效日期转入该工会；本工会撤并后保留为历史记录",
    )
    field_order = ["target", "on", "reason"]

    def __init__(self, *args, union: Union, by: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            by.subtree().filter(archived_on__isnull=True).exclude(pk=union.pk).exclude(pk=by.pk)
        )


def deciding_union(request, union: Union) -> Union | None:
    """The highest union strictly above `union` where the user is upper-union staff."""
    access = request.access
    found = None
    for ancestor in Union.objects.filter(
        pk__in=[u for u, roles in access.roles.items() if Role.UPPER_STAFF in roles]
    ):
        if union.path.startswith(ancestor.path) and ancestor.pk != union.pk:
            if access.can(Perm.RESTRUCTURE, ancestor.pk) and (
                found is None or ancestor.depth < found.depth
            ):
                found = ancestor
    return found


def _context(model_admin, request, union):
    union_obj = Union.objects.filter(pk=union, pk__in=request.access.read).first()
    if union_obj is None:
        raise Http404("没有找到该工会")
    by = deciding_union(request, union_obj)
    if by is None:
        raise PermissionDenied("只有上级工会工作人员可以调整下级工会的组织关系")
    return union_obj, by


def _render(model_admin, request, title, **context):
    return TemplateResponse(
        request,
        "admin/orgs/union/restructure.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.opts,
            **context,
        },
    )


def _errors(form, error: ValidationError, field_map: dict) -> None:
    for key, messages_ in error.message_dict.items():
        target = field_map.get(key, key)
        for message in messages_:
            form.add_error(target if target in form.fields else None, message)


def move_view(request, pk, model_admin):
    union, by = _context(model_admin, request, pk)
    form = MoveForm(request.POST or None, union=union, by=by, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.move_union(
                union=union,
                new_parent=form.cleaned_data["new_parent"],
                by=by,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                access=request.access,
            )
        except ValidationError as e:
            _errors(form, e, {"union": None, "by": None})
        else:
            messages.success(request, f"{union.name}已调整到{event.to_parent.name}之下")
            return redirect("admin:orgs_union_change", union.pk)
    return _render(
        model_admin,
        request,
        f"调整{union.name}的隶属关系",
        union=union,
        by=by,
        form=form,
        kind="move",
        submit_label="确认调整",
        back_url=reverse("admin:orgs_union_change", args=[union.pk]),
    )


def merge_view(request, pk, model_admin):
    union, by = _context(model_admin, request, pk)
    form = MergeForm(request.POST or None, union=union, by=by, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.merge_unions(
                source=union,
                target=form.cleaned_data["target"],
                by=by,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                access=request.access,
            )
        except ValidationError as e:
            _errors(form, e, {"union": None, "by": None})
        else:
            moved = event.moved.get("members", 0)
            messages.success(
                request, f"{union.name}已并入{event.target.name}，{moved}名会员随同转入"
            )
            return redirect("admin:orgs_restructuringevent_change", event.pk)
    return _render(
        model_admin,
        request,
        f"撤并{union.name}",
        union=union,
        by=by,
        form=form,
        kind="merge",
        submit_label="确认撤并",
        back_url=reverse("admin:orgs_union_change", args=[union.pk]),
    )
