"""Members' opinion pages (phone first): submit an opinion or suggestion and
follow it — judged, handled by whom and by when, implemented, rewarded.
Opinions are found through the signed-in member only; anything else is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from gonghui.attachments.queries import attachments_of
from gonghui.voice import queries, services
from gonghui.voice.portal_forms import ImplementForm, OpinionForm

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _opinion(member, pk):
    return get_object_or_404(queries.my_opinions(member), pk=pk)


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    return render(
        request,
        "voice/portal/home.html",
        {
            "member": member,
            "opinions": queries.my_opinions(member)[:200],
            "assigned": queries.assigned_to(member).count(),
        },
    )


@login_required(login_url=LOGIN_URL)
def new(request):
    member = _member(request)
    form = OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                opinion = services.submit_opinion(
                    union=member.union, member=member, actor=request.user, **form.cleaned_data
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, "已提交，工会认定和办理的进展会显示在本页。")
                return redirect("voice_portal:opinion", opinion.pk)
    return render(request, "voice/portal/new.html", {"member": member, "form": form}, status=status)


@login_required(login_url=LOGIN_URL)
def opinion(request, pk):
    member = _member(request)
    found = _opinion(member, pk)
    files = attachments_of(found) if found.state == "implemented" else []
    return render(
        request, "voice/portal/opinion.html", {"member": member, "opinion": found, "files": files}
    )


@login_required(login_url=LOGIN_URL)
def download(request, pk, file_pk):
    member = _member(request)
    found = _opinion(member, pk)
    attachment = attachments_of(found).filter(pk=file_pk).first()
    if attachment is None or not attachment.file:
        raise Http404("未找到该附件")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件已不存在") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required(login_url=LOGIN_URL)
def handling(request):
    """Opinions assigned to the member (or their department, for a 承办人)."""
    member = _member(request)
    return render(
        request,
        "voice/portal/handling.html",
        {"member": member, "opinions": queries.assigned_to(member)[:200]},
    )


@login_required(login_url=LOGIN_URL)
def handle(request, pk):
    member = _member(request)
    found = get_object_or_404(queries.assigned_to(member), pk=pk)
    form = ImplementForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.implement_by_handler(
                    opinion=found,
                    member=member,
                    on=form.cleaned_data["on"],
                    implementation=form.cleaned_data["implementation"],
                )
            except ValidationError as e:
                form.add_service_errors(e)
            else:
                messages.success(request, "已登记落实，提出人可以看到落实情况。")
                return redirect("voice_portal:handling")
    return render(
        request,
        "voice/portal/handle.html",
        {"member": member, "opinion": found, "form": form},
        status=status,
    )
