"""The members' activity pages (phone first): what is open, sign up, cancel,
and check in with the venue's QR code. Each finds the activity in the
member's own union and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gonghui.activities import queries, services
from gonghui.activities.models import Activity, Attendance, SignUp

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _activity(member, pk) -> Activity:
    return get_object_or_404(Activity.objects.select_related("union"), pk=pk, union=member.union)


def _show_error(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required(login_url=LOGIN_URL)
def my_activities(request):
    member = _member(request)
    mine = list(queries.sign_ups_of(member=member))
    for signup in mine:
        signup.place = queries.waiting_place(signup)
    taken = {s.activity_id for s in mine}
    open_now = [a for a in queries.open_for_sign_up(member=member) if a.pk not in taken]
    return render(
        request,
        "activities/portal/list.html",
        {"member": member, "mine": mine, "open_now": open_now},
    )


@login_required(login_url=LOGIN_URL)
def detail(request, pk):
    member = _member(request)
    activity = _activity(member, pk)
    signup = SignUp.objects.filter(activity=activity, member=member).active().first()
    return render(
        request,
        "activities/portal/detail.html",
        {
            "activity": activity,
            "signup": signup,
            "place": queries.waiting_place(signup) if signup else 0,
            "eligible_problem": services.audience_error(activity=activity, member=member),
        },
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def sign_up(request, pk):
    member = _member(request)
    activity = _activity(member, pk)
    try:
        signup = services.sign_up(activity=activity, member=member)
    except ValidationError as e:
        _show_error(request, e)
    else:
        if signup.state == "admitted":
            messages.success(request, "报名成功")
        else:
            place = queries.waiting_place(signup)
            messages.info(request, f"名额已满，您已进入候补名单第{place}位，有人取消时按顺序递补")
    return redirect("activities_portal:detail", pk=activity.pk)


@require_POST
@login_required(login_url=LOGIN_URL)
def cancel(request, pk):
    member = _member(request)
    activity = _activity(member, pk)
    signup = SignUp.objects.filter(activity=activity, member=member).active().first()
    if signup is None:
        messages.error(request, "您没有报名本活动")
        return redirect("activities_portal:detail", pk=activity.pk)
    try:
        services.cancel_sign_up(signup=signup)
    except ValidationError as e:
        _show_error(request, e)
    else:
        messages.success(request, "已取消报名")
    return redirect("activities_portal:detail", pk=activity.pk)


@login_required(login_url=LOGIN_URL)
def check_in(request, token):
    """GET shows what the member is checking in to; POST checks in."""
    member = _member(request)
    activity = queries.activity_for_token(token=token, member=member)
    if request.method == "POST":
        try:
            services.check_in_by_token(token=token, member=member)
        except ValidationError as e:
            _show_error(request, e)
        else:
            messages.success(request, "签到成功")
            return render(request, "activities/portal/checked_in.html", {"activity": activity})
    attended = (
        Attendance.objects.filter(activity=activity, member=member).first() if activity else None
    )
    return render(
        request,
        "activities/portal/check_in.html",
        {"activity": activity, "token": token, "member": member, "attended": attended},
    )
