"""The activity workbench inside the admin shell: sign-ups and waiting list,
the attendance list to tick, the QR code page, results. Each view finds the
activity among the unions the user may see and calls one service."""

import segno
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gonghui.activities import queries, services
from gonghui.activities.forms import ResultForm
from gonghui.activities.models import Activity, SignUp
from gonghui.members.models import Member
from gonghui.orgs.roles import Perm


def _activity(request, pk, perm=Perm.VIEW_ACTIVITIES) -> Activity:
    visible = request.access.unions_with(Perm.VIEW_ACTIVITIES)
    activity = get_object_or_404(
        Activity.objects.select_related("union", "club"), pk=pk, union__in=visible
    )
    if not request.access.can(perm, activity.union_id):
        raise PermissionDenied("您没有管理该活动的权限")
    return activity


def _context(request, activity, title, **extra):
    return {
        **admin.site.each_context(request),
        "title": title,
        "activity": activity,
        "can_change": request.access.can(Perm.CHANGE_ACTIVITIES, activity.union_id),
        **extra,
    }


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


def detail(request, pk):
    return admin.site.admin_view(_detail)(request, pk)


def _detail(request, pk):
    activity = _activity(request, pk)
    signups = activity.signups.select_related("member", "member__group")
    context = _context(
        request,
        activity,
        activity.title,
        participation=queries.participation(activity),
        per_group=queries.participation_by_group(activity),
        admitted=signups.admitted().order_by("created_at", "id"),
        waiting=signups.waiting(),
        results=activity.results.select_related("group", "member"),
        result_form=ResultForm(union=activity.union),
    )
    return render(request, "activities/admin/detail.html", context)


def attendance(request, pk):
    return admin.site.admin_view(_attendance)(request, pk)


def _listed_members(activity: Activity):
    if activity.needs_sign_up:
        return Member.objects.filter(
            pk__in=activity.signups.admitted().values("member_id")
        ).select_related("group")
    return queries.audience_members(activity).select_related("group")


def _attendance(request, pk):
    activity = _activity(request, pk)
    listed = list(_listed_members(activity).order_by("group__name", "name_initials", "id"))
    if request.method == "POST":
        activity = _activity(request, pk, Perm.CHANGE_ACTIVITIES)
        ticked = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            added, removed = services.tick_attendance_list(
                activity=activity,
                present=[m for m in listed if m.pk in ticked],
                absent=[m for m in listed if m.pk not in ticked],
                actor=request.user,
            )
        except ValidationError as e:
            _errors(request, e)
        else:
            messages.success(request, f"已保存：新签到{len(added)}人，取消签到{removed}人")
            return redirect("activities:attendance", pk=activity.pk)
    present = dict(activity.attendances.values_list("member_id", "how"))
    rows = [{"member": m, "present": m.pk in present, "how": present.get(m.pk)} for m in listed]
    context = _context(
        request,
        activity,
        f"{activity.title}：点名签到",
        rows=rows,
        participation=queries.participation(activity),
    )
    return render(request, "activities/admin/attendance.html", context)


def qr(request, pk):
    return admin.site.admin_view(_qr)(request, pk)


def _qr(request, pk):
    activity = _activity(request, pk, Perm.CHANGE_ACTIVITIES)
    token = services.issue_check_in_token(activity=activity)
    url = request.build_absolute_uri(reverse("activities_portal:check_in", args=[token.token]))
    # An inline SVG drawn on the server: no script, no CDN, readable by any phone camera.
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, title="签到二维码")
    context = _context(
        request,
        activity,
        f"{activity.title}：扫码签到",
        token=token,
        check_in_url=url,
        qr_svg=mark_safe(qr_svg),  # noqa: S308 - segno's own markup, no user text
        attendees=activity.attendances.count(),
    )
    return render(request, "activities/admin/qr.html", context)


@require_POST
def add_result(request, pk):
    return admin.site.admin_view(_add_result)(request, pk)


def _add_result(request, pk):
    activity = _activity(request, pk, Perm.CHANGE_ACTIVITIES)
    form = ResultForm(request.POST, union=activity.union)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
    else:
        try:
            services.record_result(activity=activity, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            _errors(request, e)
        else:
            messages.success(request, "比赛结果已记录")
    return redirect(reverse("activities:detail", args=[activity.pk]) + "#results")


@require_POST
def cancel_signup(request, pk, signup_id):
    return admin.site.admin_view(_cancel_signup)(request, pk, signup_id)


def _cancel_signup(request, pk, signup_id):
    activity = _activity(request, pk, Perm.CHANGE_ACTIVITIES)
    signup = SignUp.objects.filter(activity=activity, pk=signup_id).first()
    if signup is None:
        raise Http404("没有找到该报名")
    try:
        promoted = services.cancel_sign_up(signup=signup)
    except ValidationError as e:
        _errors(request, e)
    else:
        note = (
            "，" + "、".join(s.member.name for s in promoted) + "由候补转为正式报名"
            if promoted
            else ""
        )
        messages.success(request, f"已取消{signup.member.name}的报名{note}")
    return redirect("activities:detail", pk=activity.pk)
