"""The upload form of the back office. It only carries the files; every check
is services.check_upload's, so the page, the API and the service refuse alike."""

from django import forms
from unfold.widgets import UnfoldAdminFileFieldWidget

from gonghui.attachments import services


class MultipleFileInput(UnfoldAdminFileFieldWidget):
    allow_multiple_selected = True
    template_name = "attachments/file_input.html"


class MultipleFileField(forms.FileField):
    """Several files from one input; empty files pass through to the service,
    which names the file in its message."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_empty_file=True, **kwargs)
        accept = ",".join(f".{extension}" for extension in services.EXTENSIONS)
        self.widget.attrs["accept"] = accept

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="选择文件",
        help_text="可一次选择多个文件；照片会去除拍摄地点等信息后保存。",
    )

    def add_service_errors(self, error) -> None:
        """Put a service's ValidationError on the file field."""
        messages = getattr(error, "message_dict", None) or {"files": error.messages}
        for text in (m for values in messages.values() for m in values):
            self.add_error("files", text)
