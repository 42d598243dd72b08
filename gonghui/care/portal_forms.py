"""Portal forms for care. They only check that something was typed; the
amount, the campaign's dates and every other rule are care.services'."""

import uuid

from django import forms

from gonghui.care.models import Channel, SchoolAid


def _text(label: str, max_length: int, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"{label}不能超过{max_length}个字",
        },
    )


class DonationForm(forms.Form):
    """我要捐款. The hidden key is made when the form is drawn, so submitting
    the same page twice records one donation."""

    amount = _text("捐款金额（元）", 20, inputmode="decimal", autocomplete="off")
    channel = forms.ChoiceField(
        label="捐款方式",
        choices=Channel.choices,
        initial=Channel.WECHAT,
        error_messages={
            "required": "请选择捐款方式",
            "invalid_choice": "所选捐款方式不在可选范围内",
        },
    )
    show_amount = forms.BooleanField(label="同意在捐款公示中显示我的捐款金额", required=False)
    anonymous = forms.BooleanField(label="匿名捐款（公示中不显示我的姓名）", required=False)
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": "表单标识缺失，请刷新页面后重新提交",
            "max_length": "表单标识无效，请刷新页面后重新提交",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


def _limit(field: str) -> int:
    return SchoolAid._meta.get_field(field).max_length


class SchoolAidForm(forms.Form):
    """金秋助学申请."""

    child_name = _text("子女姓名", _limit("child_name"), autocomplete="off")
    school = _text("学校", _limit("school"), placeholder="如：宁波市第二中学")
    grade = _text("年级", _limit("grade"), placeholder="如：高一、大学一年级")
    new_admission = forms.BooleanField(
        label="今年新入学（升入小学、初中、高中或大学）", required=False
    )


def add_service_errors(form: forms.Form, error) -> None:
    """Put a service's ValidationError on the form: by field where the form has it."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
