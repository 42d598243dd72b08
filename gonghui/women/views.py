"""The women's screens that are more than a model list, inside the admin
shell. Four-period screens need women.reveal (the women's committee; not the
chair): the full record is shown once per reason given, and logged."""

import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from gonghui import backoffice
from gonghui.members.models import Gender, Status
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm
from gonghui.periods import Period
from gonghui.reports.registry import value
from gonghui.women import forms, queries, services
from gonghui.women.models import (
    CheckupCampaign,
    InsuranceEnrolment,
    InsurancePlan,
    ProtectionRecord,
)

in_admin = backoffice.in_admin
_change_url = backoffice.change_url


def _unions(request, perm: str = Perm.CHANGE_WOMEN, refusal: str = "您没有女职工工作的管理权限"):
    return backoffice.unions_with(request, perm, refusal)


def _page(request, **page):
    return backoffice.form_page(request, "women/form.html", **page)


def _get(request, model, pk, perm: str):
    return backoffice.record_of(request, model, pk, perm)


_submit = backoffice.submit


def _one(union_id: int, text: str, field: str):
    found = forms.people_in(union_id, text, field=field)
    if not found:
        raise ValidationError({field: "请填写工号或姓名"})
    return found[0]


# Four-period protection --------------------------------------------------------------------


def add_protection(request):
    unions = _unions(request, Perm.REVEAL_WOMEN, services.NOT_ALLOWED)
    form = forms.ProtectionForm(request.POST or None, unions=unions)

    def act(d):
        union = d.pop("union")
        member = _one(union.pk, d.pop("member"), "member")
        return services.record_protection(member=member, actor=request.user, **d)

    done = _submit(request, form, act, done=_change_url)
    return done or _page(request, form=form, title="登记四期保护")


@in_admin
def reveal(request, pk):
    record = _get(request, ProtectionRecord, pk, Perm.VIEW_WOMEN)
    if not request.access.can(Perm.REVEAL_WOMEN, record.union_id):
        raise PermissionDenied(services.NOT_ALLOWED)
    form = forms.RevealForm(request.POST or None)
    opened = None
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.open_protection(
                record=record, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            form.add_service_errors(e)
    response = _page(
        request,
        form=None if opened else form,
        title=f"查看{record.member.name}的四期保护记录",
        intro="" if opened else "四期保护记录属于敏感信息，查看将记录查看人、时间和理由。",
        submit="查看",
        opened=opened,
        back_url=_change_url(record),
    )
    response["Cache-Control"] = "no-store"
    return response


@in_admin
def close_protection(request, pk):
    record = _get(request, ProtectionRecord, pk, Perm.REVEAL_WOMEN)
    form = forms.CloseForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.close_protection(record=record, actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title=f"结束{record}", back_url=_change_url(record))


# Check-ups --------------------------------------------------------------------------------------


def add_campaign(request):
    form = forms.CampaignForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.create_campaign(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="新建女职工体检")


@in_admin
def record_checkups(request, pk):
    campaign = _get(request, CheckupCampaign, pk, Perm.CHANGE_WOMEN)
    form = forms.CheckupsForm(request.POST or None)

    def act(d):
        members = forms.people_in(campaign.union_id, d["members"], field="members")
        n = services.record_checkups(
            campaign=campaign, members=members, done_on=d["done_on"], actor=request.user
        )
        messages.info(request, f"登记{n}人已体检")
        return campaign

    done = _submit(request, form, act, done=_change_url)
    return done or _page(
        request, form=form, title=f"登记体检：{campaign}", back_url=_change_url(campaign)
    )


# Insurance --------------------------------------------------------------------------------------


def add_plan(request):
    form = forms.PlanForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.create_plan(actor=request.user, **d),
        done=_change_url,
    )
    return done or _page(request, form=form, title="新建女职工保险")


@in_admin
def enrol(request, pk):
    plan = _get(request, InsurancePlan, pk, Perm.CHANGE_WOMEN)
    form = forms.EnrolForm(request.POST or None, initial={"idempotency_key": uuid.uuid4().hex})

    def act(d):
        if d["everyone"]:
            taken = InsuranceEnrolment.objects.filter(plan=plan).values("member_id")
            from gonghui.members.models import Member

            members = list(
                Member.objects.filter(
                    union_id=plan.union_id, gender=Gender.FEMALE, status=Status.ACTIVE
                ).exclude(pk__in=taken)
            )
        else:
            members = forms.people_in(plan.union_id, d["members"], field="members")
        rows = services.enrol(
            plan=plan,
            members=members,
            enrolled_on=d["enrolled_on"],
            idempotency_key=d["idempotency_key"],
            voucher=d["voucher"],
            over_budget_reason=d["over_budget_reason"],
            actor=request.user,
        )
        messages.info(request, f"{len(rows)}人参保，保费已记入支出")
        return plan

    done = _submit(request, form, act, done=_change_url)
    return done or _page(request, form=form, title=f"参保：{plan}", back_url=_change_url(plan))


# Committee ---------------------------------------------------------------------------------------


@in_admin
def committee(request):
    unions = _unions(request, Perm.VIEW_WOMEN, "您没有查看女职工工作记录的权限")
    today = timezone.localdate()
    period = Period(today, today)
    rows = []
    for union in unions:
        term = queries.current_term(union=union, day=today)
        rows.append(
            {
                "union": union,
                "term": term,
                "posts": list(queries.committee(term=term)) if term else [],
                "women": value("women.women_members", [union.pk], period),
                "share": value("women.women_share", [union.pk], period),
            }
        )
    changeable = _changeable_unions(request)
    form = forms.AppointForm(request.POST or None, unions=changeable) if changeable else None

    def act(d):
        term = d["term"]
        member = _one(term.union_id, d["member"], "member")
        return services.appoint(term=term, member=member, kind=d["kind"], actor=request.user)

    if form is not None:
        done = _submit(request, form, act, done=lambda post: reverse("women:committee"))
        if done:
            return done
    context = {
        **admin.site.each_context(request),
        "title": "女职工委员会",
        "rows": rows,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "women/committee.html", context)


def _changeable_unions(request):
    allowed = request.access.unions_with(Perm.CHANGE_WOMEN)
    return Union.objects.filter(pk__in=allowed).order_by("path") if allowed else None
