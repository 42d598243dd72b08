"""Members' open-affairs pages (phone first): the posts they may read (all
members' posts; representatives' posts too for representatives), each
post's body and files, the public replies and their own questions, and a
form to ask. Opening a post records the member's first read. Posts are found
through the signed-in member only; anything else is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.attachments.models import Attachment
from gonghui.attachments.queries import attachments_of
from gonghui.disclosure import queries, services
from gonghui.disclosure.models import Category, Post, Read
from gonghui.disclosure.portal_forms import AskForm

LOGIN_URL = "/login/"
NOT_FOUND = "没有找到该公开事项"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def heading(union) -> str:
    """What members call open affairs in their kind of union."""
    return {"school": "校务公开", "kindergarten": "园务公开"}.get(union.kind, "厂务公开")


def _post(member, pk) -> Post:
    posts = queries.posts_for_member(member, today=timezone.localdate())
    return get_object_or_404(posts, pk=pk)


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    posts = queries.posts_for_member(member, today=timezone.localdate())
    category = request.GET.get("category", "")
    if category in Category.values:
        posts = posts.filter(category=category)
    posts = list(posts[:200])
    read = set(
        Read.objects.filter(member=member, post__in=[p.pk for p in posts]).values_list(
            "post_id", flat=True
        )
    )
    for post in posts:
        post.is_read = post.pk in read
    return render(
        request,
        "disclosure/portal/home.html",
        {
            "member": member,
            "posts": posts,
            "categories": Category.choices,
            "category": category,
            "unread": sum(1 for p in posts if not p.is_read),
            "heading": heading(member.union),
        },
    )


def _post_page(request, member, post, form, status=200):
    return render(
        request,
        "disclosure/portal/post.html",
        {
            "member": member,
            "post": post,
            "files": attachments_of(post),
            "feedback": queries.visible_feedback(post, member),
            "form": form,
            "heading": heading(member.union),
        },
        status=status,
    )


@login_required(login_url=LOGIN_URL)
def post(request, pk):
    member = _member(request)
    found = _post(member, pk)
    services.record_read(post=found, member=member)
    return _post_page(request, member, found, AskForm())


@require_POST
@login_required(login_url=LOGIN_URL)
def ask(request, pk):
    member = _member(request)
    found = _post(member, pk)
    form = AskForm(request.POST)
    if form.is_valid():
        try:
            services.ask(
                post=found,
                member=member,
                content=form.cleaned_data["content"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, "已提交，工会答复后会显示在本页。")
            return redirect("disclosure_portal:post", found.pk)
    return _post_page(request, member, found, form, status=400)


@login_required(login_url=LOGIN_URL)
def download(request, pk, file_pk):
    member = _member(request)
    found = _post(member, pk)
    attachment = attachments_of(found).filter(pk=file_pk).first()
    if attachment is None or not attachment.file:
        raise Http404("未找到该附件")
    return _file_response(attachment)


def _file_response(attachment: Attachment):
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
