"""Attachments on other apps' back-office pages.

Add the mixin to the ModelAdmin of a union-owned record whose app is in
models.PERMISSIONS:

    from gonghui.attachments.admin import AttachmentsMixin

    class PaymentAdmin(AttachmentsMixin, EntryAdmin):
        attachments_title = "凭证扫描件"
        ...

The record's change page (or view page, for read-only records) then lists
its attachments with download links, and whoever holds the app's change
permission in the record's union gets an "上传附件" button. The button opens
the upload page (views.upload): uploading never goes through the record's
own change form, so it does not depend on the record being editable.
"""

from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ImproperlyConfigured
from unfold.admin import GenericTabularInline

from gonghui.attachments import queries, services, views
from gonghui.attachments.models import Attachment, permissions_for


class ListingFormSet(BaseGenericInlineFormSet):
    """Never bound and never invalid: the section takes no input, so the
    record's own form saves exactly as it did without it."""

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(**kwargs)
        # The admin's change message reads these even when nothing is saved.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True


class AttachmentInline(GenericTabularInline):
    """A listing, not a formset: its formset is empty, and the rows come from
    queries.attachments_of (see attachments/inline.html)."""

    model = Attachment
    formset = ListingFormSet
    ct_field = "content_type"
    ct_fk_field = "object_id"
    template = "attachments/inline.html"
    fields = ()
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "附件"
    verbose_name_plural = "附件"
    empty_text = "还没有附件"
    hint = f"照片、扫描件等，{services.ALLOWED} 格式；照片会去除拍摄地点等信息后保存。"
    # Filled per request in get_formset, for the template.
    listed = ()
    upload_url = None

    def _permissions(self):
        return permissions_for(self.parent_model._meta.app_label)

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and obj.pk is not None:
            self.listed = list(queries.attachments_of(obj))
            if request.access.can(self._permissions()[1], obj.union_id):
                self.upload_url = views.upload_url(obj)
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return True
        return request.access.can(self._permissions()[0], obj.union_id)


class AttachmentsMixin:
    """Give a ModelAdmin an attachments section on its record pages."""

    # The section's heading, e.g. "活动照片" or "凭证扫描件".
    attachments_title = "附件"

    def __init__(self, model, admin_site):
        if permissions_for(model._meta.app_label) is None:
            raise ImproperlyConfigured(
                f"{model._meta.label} cannot take attachments: its app is not in "
                "gonghui.attachments.models.PERMISSIONS"
            )
        super().__init__(model, admin_site)

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is None or obj.pk is None:
            return inlines  # a record is saved first, then given attachments
        inline = type(
            "RecordAttachmentInline",
            (AttachmentInline,),
            {"verbose_name_plural": self.attachments_title},
        )
        return [*inlines, inline]
