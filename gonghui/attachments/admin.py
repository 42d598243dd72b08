"""Attachments inside other apps' back-office screens.

Add the mixin to a ModelAdmin of any union-owned record:

    from gonghui.attachments.admin import AttachmentsMixin

    class ActivityAdmin(AttachmentsMixin, ModelAdmin):
        attachment_perm = Perm.CHANGE_ACTIVITIES   # who may upload
        ...

The change page then lists the record's attachments (name, type, size, who,
when, a download link) and offers upload slots. Uploads are checked by
attachments.services (size, real type, metadata stripped) and saved through
services.attach; existing attachments are never edited or deleted here.
"""

from django import forms
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from unfold.admin import GenericTabularInline

from gonghui.attachments import services
from gonghui.attachments.models import Attachment, permissions_for


class UploadForm(forms.ModelForm):
    upload = forms.FileField(label="上传文件", required=False)

    class Meta:
        model = Attachment
        fields = ()

    def has_changed(self):
        # An empty slot is not a new attachment; a chosen file is.
        return bool(self.files.get(self.add_prefix("upload"))) or super().has_changed()

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload and self.instance.pk is None:
            try:
                self.checked = services.check_upload(upload, field="upload")
            except ValidationError as e:
                raise ValidationError(e.message_dict["upload"]) from None
        return data


class UploadFormSet(BaseGenericInlineFormSet):
    actor = None

    def save_new(self, form, commit=True):
        checked = getattr(form, "checked", None)
        if checked is None:
            return None
        return services.attach(record=self.instance, upload=checked, actor=self.actor)

    def save_existing(self, form, obj, commit=True):
        return obj  # attachments are kept as uploaded

    def save(self, commit=True):
        saved = [self.save_new(form) for form in self.extra_forms if form.has_changed()]
        self.new_objects = [a for a in saved if a is not None]
        self.changed_objects, self.deleted_objects = [], []
        return self.new_objects


class AttachmentInline(GenericTabularInline):
    model = Attachment
    form = UploadForm
    formset = UploadFormSet
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 1
    can_delete = False
    verbose_name = "附件"
    verbose_name_plural = "附件（照片、扫描件；JPG、PNG、PDF、XLSX、DOCX，单个不超过10 MB）"
    fields = ("download_link", "mime_type", "size_text", "uploaded_by", "uploaded_at", "upload")
    readonly_fields = ("download_link", "mime_type", "size_text", "uploaded_by", "uploaded_at")
    # Who may upload; the ModelAdmin using AttachmentsMixin sets it.
    attachment_perm: str | None = None

    @staticmethod
    def download_link(obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_download_url(), obj.original_name)

    download_link.short_description = "文件"

    @staticmethod
    def size_text(obj):
        return filesizeformat(obj.size) if obj and obj.pk else "—"

    size_text.short_description = "大小"

    def _perm(self, obj):
        if self.attachment_perm:
            return self.attachment_perm
        return permissions_for(self.parent_model._meta.app_label)[1]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    def has_add_permission(self, request, obj=None):
        if obj is None or obj.pk is None:
            return False  # a record is saved first, then given attachments
        return request.access.can(self._perm(obj), obj.union_id)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return True
        view_perm = permissions_for(self.parent_model._meta.app_label)[0]
        return request.access.can(view_perm, obj.union_id)


class AttachmentsMixin:
    """Give a ModelAdmin an attachments section on its change page."""

    attachment_perm: str | None = None

    def get_inlines(self, request, obj):
        inline = type(
            "RecordAttachmentInline", (AttachmentInline,), {"attachment_perm": self.attachment_perm}
        )
        return [*super().get_inlines(request, obj), inline]
