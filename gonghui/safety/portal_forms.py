"""Portal forms for hazard cards. They only collect input; every rule (what a
photo may be, the deadline, the evidence) is safety.services'."""

from django import forms

from gonghui.safety.models import Category, Severity


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input (the phone's camera or album)."""

    widget = PhotoInput

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_empty_file=True, **kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png"

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


def _required(label):
    return {"required": f"请填写{label}", "max_length": f"{label}太长了"}


class ReportForm(forms.Form):
    place = forms.CharField(
        label="隐患地点",
        max_length=100,
        error_messages=_required("隐患地点"),
        widget=forms.TextInput(attrs={"placeholder": "如：三号楼二层楼梯间"}),
    )
    description = forms.CharField(
        label="隐患描述",
        max_length=2000,
        error_messages=_required("隐患描述"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "看到了什么、可能造成什么危险"}),
    )
    category = forms.ChoiceField(
        label="类别",
        choices=Category.choices,
        error_messages={"required": "请选择类别", "invalid_choice": "所选类别不在可选范围内"},
    )
    severity = forms.ChoiceField(
        label="等级",
        choices=Severity.choices,
        error_messages={"required": "请选择等级", "invalid_choice": "所选等级不在可选范围内"},
    )
    photos = PhotosField(label="现场照片（可多张）", help_text="照片会去除拍摄地点等信息后保存。")


class PlanForm(forms.Form):
    measures = forms.CharField(
        label="整改措施",
        max_length=2000,
        error_messages=_required("整改措施"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(
        label="整改期限",
        error_messages={"required": "请填写整改期限", "invalid": "整改期限不是有效日期"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RectifyForm(forms.Form):
    rectification = forms.CharField(
        label="整改情况",
        max_length=2000,
        error_messages=_required("整改情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = PhotosField(label="整改依据（整改后照片等）", help_text="必须上传，供监督员验收。")


def add_service_errors(form: forms.Form, error) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
