"""Back-office screens for open affairs. Lists show the unions where the user
holds disclosure.view; every write needs disclosure.change and goes through
disclosure.services via the pages in views.py."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from unfold.admin import ModelAdmin
from unfold.decorators import action

from gonghui import backoffice
from gonghui.attachments.admin import AttachmentsMixin
from gonghui.disclosure import queries, views
from gonghui.disclosure.models import Feedback, Post, Read
from gonghui.orgs.records_admin import AreaAccess
from gonghui.orgs.roles import Perm


class DisclosureAccess(AreaAccess):
    """Access from request.access, in the record's own union; others are 404."""

    view_perm = Perm.VIEW_DISCLOSURE
    change_perm = Perm.CHANGE_DISCLOSURE

    def has_add_permission(self, request, *args):
        return False  # added through the area's own workflow pages


class FeedbackInline(backoffice.ReadOnlyInline):
    model = Feedback
    fields = ["asked_at", "member", "kind", "content", "reply_state"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "提问与反馈"

    @admin.display(description="答复")
    def reply_state(self, obj):
        if not obj.answered:
            return "待答复"
        return f"已{'公开' if obj.reply_public else '私下'}答复"

    view_perm = Perm.VIEW_DISCLOSURE


@admin.register(Post)
class PostAdmin(AttachmentsMixin, DisclosureAccess, ModelAdmin):
    attachments_title = "附件（文件、表格、照片）"
    list_display = ["publish_on", "title", "category", "audience", "state", "read_count"]
    list_filter = ["category", "audience"]
    search_fields = ["title"]
    date_hierarchy = "publish_on"
    list_per_page = 50
    fields = [
        "union",
        "category",
        "title",
        "audience",
        "publish_on",
        "state",
        "withdraw_reason",
        "source_shown",
        "stats",
        "body_shown",
        "created_by",
    ]
    readonly_fields = fields
    inlines = [FeedbackInline]
    actions_detail = ["edit", "withdraw"]
    actions_list = ["publish_budget"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("union")

    def has_add_permission(self, request, *args):
        return bool(self._unions(request, Perm.CHANGE_DISCLOSURE))

    @admin.display(description="状态")
    def state(self, obj):
        today = timezone.localdate()
        if obj.withdraw_on is not None and obj.withdraw_on <= today:
            return f"已撤下（{obj.withdraw_on:%Y-%m-%d}）"
        if obj.publish_on > today:
            return "待发布"
        if obj.withdraw_on is not None:
            return f"公开中（{obj.withdraw_on:%Y-%m-%d}撤下）"
        return "公开中"

    @admin.display(description="阅读人数")
    def read_count(self, obj):
        return obj.reads.count()

    @admin.display(description="阅读与提问")
    def stats(self, obj):
        s = queries.post_stats(obj)
        return format_html(
            '阅读 {} / {} 人（{}%） · 提问 {} 条，已答复 {} 条 · <a class="text-primary-600 underline" href="{}?post__id__exact={}">阅读名单</a>',
            s["reads"],
            s["audience"],
            s["read_rate"],
            s["asked"],
            s["answered"],
            reverse("admin:disclosure_read_changelist"),
            obj.pk,
        )

    @admin.display(description="来源")
    def source_shown(self, obj):
        if obj.source_type_id is None:
            return "—"
        return f"{obj.source_type.name}：{obj.source}"

    @admin.display(description="正文")
    def body_shown(self, obj):
        # Sanitised by disclosure.services before it was stored.
        return mark_safe(f'<div class="prose max-w-none">{obj.body}</div>')  # noqa: S308

    def add_view(self, request, form_url="", extra_context=None):
        return views.add_post(request)

    @action(description="修改", url_path="edit", icon="edit")
    def edit(self, request, object_id):
        return redirect("disclosure:edit_post", self._changeable(request, object_id).pk)

    @action(description="撤下", url_path="withdraw", icon="unpublished")
    def withdraw(self, request, object_id):
        return redirect("disclosure:withdraw_post", self._changeable(request, object_id).pk)

    @action(description="公开经费预算", url_path="budget", icon="account_balance")
    def publish_budget(self, request):
        return redirect("disclosure:publish_budget")


@admin.register(Feedback)
class FeedbackAdmin(DisclosureAccess, ModelAdmin):
    list_display = ["asked_at", "member", "kind", "post", "short", "reply_state"]
    list_filter = ["kind", ("replied_at", admin.EmptyFieldListFilter), "reply_public"]
    search_fields = ["content", "member__name", "post__title"]
    list_select_related = ["member", "post"]
    date_hierarchy = "asked_at"
    list_per_page = 50
    fields = [
        "post",
        "member",
        "kind",
        "content",
        "asked_at",
        "reply",
        "reply_public",
        "replied_at",
        "replied_by",
    ]
    readonly_fields = fields
    actions_detail = ["answer"]

    @admin.display(description="内容")
    def short(self, obj):
        return obj.content[:40]

    @admin.display(description="答复")
    def reply_state(self, obj):
        if not obj.answered:
            return "待答复"
        return f"已{'公开' if obj.reply_public else '私下'}答复"

    @action(description="答复", url_path="answer", icon="reply")
    def answer(self, request, object_id):
        return redirect("disclosure:reply", self._changeable(request, object_id).pk)


@admin.register(Read)
class ReadAdmin(DisclosureAccess, ModelAdmin):
    list_display = ["first_read_at", "member", "post"]
    list_filter = ["post__category"]
    search_fields = ["member__name", "member__name_initials", "post__title"]
    list_select_related = ["member", "post"]
    list_per_page = 100
    fields = ["post", "member", "first_read_at"]
    readonly_fields = fields
