"""A woman member's own records in the portal (phone first): her check-ups,
insurance and four-period protection records. Only her own records are ever
found; opening the four-period page is logged like any other view of them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from gonghui.women import queries, services

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    return render(
        request,
        "women/portal_home.html",
        {
            "member": member,
            "checkups": queries.checkups_of(member=member),
            "insurance": queries.insurance_of(member=member),
        },
    )


@login_required(login_url=LOGIN_URL)
def protection(request):
    member = _member(request)
    records = services.open_own_records(member=member, user=request.user)
    response = render(
        request, "women/portal_protection.html", {"member": member, "records": records}
    )
    response["Cache-Control"] = "no-store"
    return response
