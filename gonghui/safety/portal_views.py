"""The members' safety pages (phone first): report a hazard with photos and
follow it; a department handler (职能部门承办人) records measures, a deadline
and the rectification of the cards assigned to their department. A card is
shown only to its reporter and to its department's handlers; any other is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gonghui.attachments.models import Attachment
from gonghui.attachments.queries import attachments_of
from gonghui.orgs.roles import Role
from gonghui.safety import queries, services
from gonghui.safety.models import Hazard, State
from gonghui.safety.portal_forms import PlanForm, RectifyForm, ReportForm, add_service_errors

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _card(request, pk) -> Hazard:
    member = _member(request)
    hazard = get_object_or_404(
        Hazard.objects.select_related("department", "reporter"), pk=pk, union_id=member.union_id
    )
    if hazard.reporter_id != member.pk and not services.handles_department(request.user, hazard):
        raise Http404("没有找到该隐患卡")
    return hazard


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    handler = request.access.has_role(Role.HANDLER, member.union_id)
    return render(
        request,
        "safety/portal_home.html",
        {
            "member": member,
            "reported": queries.reported_by(member=member).select_related("department"),
            "department_cards": queries.for_department(member=member) if handler else None,
        },
    )


@login_required(login_url=LOGIN_URL)
def report(request):
    member = _member(request)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = services.report_hazard(
                union=member.union,
                reporter=member,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已上报{hazard}，群监站会尽快交办")
            return redirect("safety_portal:card", pk=hazard.pk)
    return render(
        request,
        "safety/portal_report.html",
        {"member": member, "form": form},
        status=400 if form.errors else 200,
    )


def _card_page(request, hazard, *, plan=None, rectify=None, status=200):
    handler = services.handles_department(request.user, hazard)
    return render(
        request,
        "safety/portal_card.html",
        {
            "hazard": hazard,
            "steps": hazard.steps.all(),
            "photos": attachments_of(hazard),
            "handler": handler,
            "plan_form": plan
            or (PlanForm(initial={"measures": hazard.measures, "deadline": hazard.deadline})),
            "rectify_form": rectify or RectifyForm(),
            "can_plan": handler and hazard.state in (State.ASSIGNED, State.IN_WORK),
            "can_rectify": handler and hazard.state == State.IN_WORK,
        },
        status=status,
    )


@login_required(login_url=LOGIN_URL)
def card(request, pk):
    return _card_page(request, _card(request, pk))


@require_POST
@login_required(login_url=LOGIN_URL)
def plan(request, pk):
    hazard = _card(request, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_rectification(hazard=hazard, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已记录整改措施和期限")
            return redirect("safety_portal:card", pk=hazard.pk)
    return _card_page(request, hazard, plan=form, status=400)


@require_POST
@login_required(login_url=LOGIN_URL)
def rectify(request, pk):
    hazard = _card(request, pk)
    form = RectifyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectify_hazard(hazard=hazard, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已登记整改完成，等待群众安全监督员验收")
            return redirect("safety_portal:card", pk=hazard.pk)
    return _card_page(request, hazard, rectify=form, status=400)


@login_required(login_url=LOGIN_URL)
def photo(request, pk):
    """A photo of a card the member may see, shown inline."""
    attachment = get_object_or_404(
        Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Hazard)), pk=pk
    )
    _card(request, attachment.object_id)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
