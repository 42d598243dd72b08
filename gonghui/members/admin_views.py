"""Roster screens that are more than a model form: revealing a sensitive value,
changing a member's status, deciding an application, exporting.

Each view finds its object through the admin's scoped queryset (another
union's row is a 404), checks request.access, and calls one service.
"""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from gonghui.members import excel, services
from gonghui.members.forms import (
    ApproveForm,
    DeclineForm,
    ExportForm,
    RevealForm,
    StatusChangeForm,
    add_service_errors,
)
from gonghui.orgs.roles import Perm


def _get(model_admin, request, pk):
    obj = model_admin.get_queryset(request).filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该记录")
    return obj


def _render(model_admin, request, template, title, **context):
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.opts,
            **context,
        },
    )


def reveal_view(request, pk, field, model_admin):
    """Ask for a reason, then show one sensitive value once; the service logs it."""
    member = _get(model_admin, request, pk)
    if not request.access.can(Perm.REVEAL_SENSITIVE, member.union_id):
        raise PermissionDenied("您没有查看完整号码的权限")
    if field not in services.SENSITIVE_FIELDS:
        raise Http404("该字段不可查看")
    label = services.SENSITIVE_FIELDS[field]
    form = RevealForm(request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        try:
            value = services.reveal(
                member=member, field=field, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as e:
            add_service_errors(form, e)
    response = _render(
        model_admin,
        request,
        "admin/members/member/reveal.html",
        f"查看{member.name}的完整{label}",
        member=member,
        field_label=label,
        form=form,
        value=value,
        submit_label="查看完整号码",
        back_url=reverse("admin:members_member_change", args=[member.pk]),
    )
    # The plain value is shown on this render only: never cached, never replayed.
    response["Cache-Control"] = "no-store"
    return response


def status_view(request, pk, model_admin):
    """Record 调出/退休/退会/去世 or a return to the roll, with date and reason."""
    member = _get(model_admin, request, pk)
    if not model_admin.has_change_permission(request, member):
        raise PermissionDenied("您没有修改本工会会员名册的权限")
    form = StatusChangeForm(
        request.POST or None, member=member, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(
                member=member,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已记录{member.name}的会籍变动")
            return redirect("admin:members_member_change", member.pk)
    return _render(
        model_admin,
        request,
        "admin/members/member/status.html",
        f"变更{member.name}的会籍状态",
        member=member,
        form=form,
        submit_label="保存",
        back_url=reverse("admin:members_member_change", args=[member.pk]),
    )


def _pending_application(model_admin, request, pk):
    application = _get(model_admin, request, pk)
    if not request.access.can(Perm.DECIDE_APPLICATIONS, application.union_id):
        raise PermissionDenied("您没有审核入会申请的权限")
    return application


def approve_view(request, pk, model_admin):
    application = _pending_application(model_admin, request, pk)
    form = ApproveForm(request.POST or None, union=application.union)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.approve_application(
                application=application, actor=request.user, group=form.cleaned_data["group"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已批准{member.name}入会，并已加入会员名册")
            return redirect("admin:members_member_change", member.pk)
    return _render(
        model_admin,
        request,
        "admin/members/application/decide.html",
        f"批准{application.name}的入会申请",
        application=application,
        form=form,
        submit_label="批准入会",
        back_url=reverse("admin:members_application_change", args=[application.pk]),
    )


def decline_view(request, pk, model_admin):
    application = _pending_application(model_admin, request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_application(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            add_service_errors(form, e, {"decline_reason": "reason"})
        else:
            messages.success(request, f"已记录{application.name}的申请未获批准")
            return redirect("admin:members_application_changelist")
    return _render(
        model_admin,
        request,
        "admin/members/application/decide.html",
        f"不批准{application.name}的入会申请",
        application=application,
        form=form,
        submit_label="不予批准",
        back_url=reverse("admin:members_application_change", args=[application.pk]),
    )


def export_action(model_admin, request, queryset):
    """Ask whether to reveal, then send the selected or filtered members as .xlsx."""
    unions = set(queryset.values_list("union_id", flat=True).distinct())
    form = ExportForm(request.POST if "confirm_export" in request.POST else None)
    if "confirm_export" in request.POST and form.is_valid():
        reveal = form.cleaned_data["reveal"]
        if reveal and not all(request.access.can(Perm.REVEAL_SENSITIVE, u) for u in unions):
            form.add_error("reveal", "您没有查看所选会员完整号码的权限")
        else:
            if reveal:
                services.log_roster_export(
                    queryset=queryset, user=request.user, reason=form.cleaned_data["reason"]
                )
            content = excel.export_members(queryset, reveal=reveal)
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            filename = f"会员名册-{timezone.localdate():%Y%m%d}.xlsx"
            response["Content-Disposition"] = (
                f"attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{quote(filename)}"
            )
            return response
    return _render(
        model_admin,
        request,
        "admin/members/member/export.html",
        "导出会员名册",
        form=form,
        count=queryset.count(),
        can_reveal=all(request.access.can(Perm.REVEAL_SENSITIVE, u) for u in unions),
        selected=request.POST.getlist("_selected_action"),
        select_across=request.POST.get("select_across", "0"),
        action=request.POST.get("action", ""),
        form_action=request.get_full_path(),
        submit_name="confirm_export",
        submit_label="导出Excel",
    )
