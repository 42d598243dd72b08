"""The member's own privacy page (phone first): the purpose of each sensitive
category, her consents with their history, giving and withdrawing them, and
downloading a copy of everything the union holds about her."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.privacy import own_data, queries, services
from gonghui.privacy.purposes import Category

LOGIN_URL = "/login/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _category(category: str) -> str:
    if category not in Category.values:
        raise Http404("没有这类信息")
    return category


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    response = render(
        request,
        "privacy/portal_home.html",
        {
            "member": member,
            "categories": queries.consents_of(member),
            "reveals": queries.reveals_of(member),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required(login_url=LOGIN_URL)
def give(request, category: str):
    member = _member(request)
    category = _category(category)
    if request.POST.get("read") != "yes":
        messages.error(request, "请先阅读处理目的，并勾选“我已阅读并理解上述告知”")
        return redirect("privacy_portal:home")
    try:
        services.give_consent(member=member, category=category, user=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"您已同意工会处理您的{Category(category).label}")
    return redirect("privacy_portal:home")


@require_POST
@login_required(login_url=LOGIN_URL)
def withdraw(request, category: str):
    member = _member(request)
    category = _category(category)
    consent = services.current_consent(member, category)
    if consent is None:
        messages.error(request, f"您当前没有对{Category(category).label}的同意，无需撤回")
        return redirect("privacy_portal:home")
    try:
        services.withdraw_consent(consent=consent, user=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(
            request,
            f"您已撤回对{Category(category).label}的同意，工会不再录入或更新此类信息",
        )
    return redirect("privacy_portal:home")


def _download(request, fmt: str):
    member = _member(request)
    sections = own_data.copy_for(member=member, user=request.user)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(own_data.as_xlsx(member, sections), content_type=XLSX)
    else:
        response = HttpResponse(
            own_data.as_json(member, sections), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required(login_url=LOGIN_URL)
def download_xlsx(request):
    return _download(request, "xlsx")


@login_required(login_url=LOGIN_URL)
def download_json(request):
    return _download(request, "json")
