"""The members' care pages (phone first): donation campaigns and giving to
them, the member's own donations, what the union gave them, and applying for
school aid. Each page finds records through the signed-in member only, so
another member's or another union's records never show; hardship case
details are never shown here at all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.care import queries, services
from gonghui.care.models import AidState, DonationCampaign
from gonghui.care.portal_forms import DonationForm, SchoolAidForm, add_service_errors

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _campaign(member, pk) -> DonationCampaign:
    return get_object_or_404(
        DonationCampaign.objects.select_related("beneficiary"), pk=pk, union_id=member.union_id
    )


def _campaign_page(request, member, campaign, form, status=200):
    today = timezone.localdate()
    return render(
        request,
        "care/portal_campaign.html",
        {
            "member": member,
            "campaign": campaign,
            "totals": queries.campaign_totals(campaign),
            "shown": queries.shown_donations(campaign),
            "is_open": campaign.opens_on <= today <= campaign.closes_on,
            "not_yet": today < campaign.opens_on,
            "form": form,
        },
        status=status,
    )


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    campaigns = list(queries.open_campaigns(union=member.union, today=timezone.localdate()))
    for campaign in campaigns:
        campaign.totals = queries.campaign_totals(campaign)
    return render(request, "care/portal_home.html", {"member": member, "campaigns": campaigns})


@login_required(login_url=LOGIN_URL)
def campaign(request, pk):
    member = _member(request)
    return _campaign_page(request, member, _campaign(member, pk), DonationForm())


@require_POST
@login_required(login_url=LOGIN_URL)
def donate(request, pk):
    member = _member(request)
    found = _campaign(member, pk)
    form = DonationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            donation = services.donate_online(
                campaign=found,
                member=member,
                amount=data["amount"].strip(),
                channel=data["channel"],
                show_amount=data["show_amount"],
                anonymous=data["anonymous"],
                idempotency_key=data["idempotency_key"],
                actor=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"感谢您的爱心！已记录您的捐款{donation.amount}元")
            return redirect("care_portal:campaign", pk=found.pk)
    return _campaign_page(request, member, found, form, status=400)


@login_required(login_url=LOGIN_URL)
def my_donations(request):
    member = _member(request)
    return render(
        request,
        "care/portal_donations.html",
        {"member": member, "donations": queries.donations_of(member=member)},
    )


@login_required(login_url=LOGIN_URL)
def received(request):
    member = _member(request)
    return render(
        request,
        "care/portal_received.html",
        {
            "member": member,
            "visits": queries.visits_of(member=member),
            "assistance": queries.assistance_received(member=member),
            "gifts": queries.gifts_of(member=member),
            "school_aid": queries.school_aid_of(member=member).filter(state=AidState.APPROVED),
        },
    )


@login_required(login_url=LOGIN_URL)
def school_aid(request):
    member = _member(request)
    return render(
        request,
        "care/portal_school_aid.html",
        {"member": member, "applications": queries.school_aid_of(member=member)},
    )


@login_required(login_url=LOGIN_URL)
def apply_school_aid(request):
    member = _member(request)
    form = SchoolAidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_school_aid_online(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "申请已提交，工会审批后会在这里显示结果")
            return redirect("care_portal:school_aid")
    status = 400 if form.errors else 200
    return render(
        request,
        "care/portal_school_aid_apply.html",
        {"member": member, "form": form},
        status=status,
    )
