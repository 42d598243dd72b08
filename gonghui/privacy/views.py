"""The privacy screens inside the admin shell: recording a paper consent or a
written withdrawal, the members due for anonymisation with the retention
period, anonymising one, and reviewing the access log (chairs only)."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui import backoffice
from gonghui.learning.forms import people_in
from gonghui.members.models import Member
from gonghui.orgs.roles import Perm
from gonghui.privacy import audit_export, forms, queries, services
from gonghui.privacy.models import Consent
from gonghui.privacy.purposes import PURPOSES, Category

in_admin = backoffice.in_admin


def _unions(request, perm: str, refusal: str):
    return backoffice.unions_with(request, perm, refusal)


def _context(request, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, **extra}


# Consents ---------------------------------------------------------------------------


@in_admin
def paper_consent(request):
    unions = _unions(request, Perm.RECORD_CONSENT, "您没有录入个人信息同意书的权限")
    form = forms.PaperConsentForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = people_in(data["union"].pk, data["member"], field="member")[0]
            consent = services.record_paper_consent(
                member=member,
                category=data["category"],
                paper_reference=data["paper_reference"],
                signed_on=data["signed_on"],
                actor=request.user,
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(
                request, f"已录入{member.name}的{consent.get_category_display()}单独同意"
            )
            return redirect(reverse("admin:privacy_consent_change", args=[consent.pk]))
    return render(
        request,
        "privacy/form.html",
        _context(
            request,
            "录入纸质同意书",
            form=form,
            submit="录入",
            intro="会员在纸质同意书上签字后，由工会录入。请核对同意书所附的告知文本与下列版本一致。",
            purposes=[(Category(c).label, p) for c, p in PURPOSES.items()],
        ),
    )


@in_admin
def withdraw_consent(request, pk: int):
    unions = _unions(request, Perm.RECORD_CONSENT, "您没有录入个人信息同意书的权限")
    consent = get_object_or_404(
        Consent.objects.filter(union__in=unions).select_related("member"), pk=pk
    )
    if request.method == "POST":
        try:
            services.withdraw_consent(consent=consent, user=request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(
                request,
                f"已录入{consent.member.name}撤回{consent.get_category_display()}的同意",
            )
        return redirect(reverse("admin:privacy_consent_change", args=[consent.pk]))
    return render(
        request,
        "privacy/confirm.html",
        _context(
            request,
            "录入撤回同意",
            question=f"确认{consent.member.name}已书面撤回对{consent.get_category_display()}的同意？"
            "撤回后不能再为其录入或更新该类信息。",
            submit="确认撤回",
            back_url=reverse("admin:privacy_consent_change", args=[consent.pk]),
        ),
    )


# Retention and anonymisation --------------------------------------------------------


@in_admin
def due(request):
    unions = _unions(request, Perm.ANONYMISE, "您没有匿名化会员信息的权限")
    today = timezone.localdate()
    form = forms.RetentionForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_retention(
                union=data["union"], years=data["retention_years"], actor=request.user
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(
                request, f"{data['union'].name}的离会后保存年限已设为{data['retention_years']}年"
            )
            return redirect("privacy:due")
    listing = []
    for union in unions:
        settings = services.settings_of(union)
        members = list(services.due_members(union=union, today=today)[:500])
        listing.append({"union": union, "settings": settings, "members": members})
    if request.method != "POST" and unions.count() == 1:
        form.initial["retention_years"] = listing[0]["settings"].retention_years
    return render(
        request,
        "privacy/due.html",
        _context(request, "待匿名化会员", form=form, listing=listing, today=today),
    )


@require_POST
@in_admin
def anonymise(request, member_id: int):
    unions = _unions(request, Perm.ANONYMISE, "您没有匿名化会员信息的权限")
    member = get_object_or_404(Member.objects.filter(union__in=unions), pk=member_id)
    if request.POST.get("confirm") != "匿名化":
        messages.error(request, "请在确认框中输入“匿名化”三个字后再提交")
        return redirect("privacy:due")
    name = member.name
    try:
        done = services.anonymise(member=member, actor=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"已将{name}匿名化为“{done}”，统计数据保持不变")
    return redirect("privacy:due")


# Access log review ------------------------------------------------------------------


@in_admin
def access_log(request):
    unions = _unions(request, Perm.REVIEW_ACCESS_LOG, "仅工会主席可以查阅敏感信息查看记录")
    form = forms.AccessLogFilter(
        request.GET or None, unions=unions, fields=queries.logged_fields(unions)
    )
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    rows = queries.access_log(unions=unions, **filters)
    described = (
        "；".join(f"{form.fields[k].label}：{getattr(v, 'name', v)}" for k, v in filters.items())
        or "全部"
    )
    if request.GET.get("export") == "xlsx" and (not form.is_bound or form.is_valid()):
        response = HttpResponse(
            audit_export.access_log_xlsx(rows, filters=described),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "export")}
    return render(
        request,
        "privacy/access_log.html",
        _context(
            request,
            "敏感信息查看记录",
            form=form,
            page=page,
            described=described,
            query=urlencode(query),
            export_url="?" + urlencode({**query, "export": "xlsx"}),
        ),
    )
