"""Portal form of opinions: only checks something was typed and chosen; the
rules are voice.services'."""

from django import forms

from gonghui.voice.models import Category, Kind
from gonghui.voice.services import CONTENT_MAX, TITLE_MAX


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型",
        choices=Kind.choices,
        initial=Kind.OPINION,
        error_messages={"required": "请选择类型", "invalid_choice": "所选类型不在可选范围内"},
    )
    category = forms.ChoiceField(
        label="类别",
        choices=Category.choices,
        initial=Category.OTHER,
        error_messages={"required": "请选择类别", "invalid_choice": "所选类别不在可选范围内"},
    )
    title = forms.CharField(
        label="标题（可不填）",
        required=False,
        max_length=TITLE_MAX,
        error_messages={"max_length": f"标题不能超过{TITLE_MAX}个字"},
    )
    content = forms.CharField(
        label="意见或建议内容",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "请填写意见或建议内容",
            "max_length": f"内容不能超过{CONTENT_MAX}个字",
        },
    )

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ImplementForm(forms.Form):
    on = forms.DateField(
        label="落实日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "请填写落实日期",
            "invalid": "落实日期格式不正确，例如 2026-05-01",
        },
    )
    implementation = forms.CharField(
        label="落实情况",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "请填写落实情况",
            "max_length": f"落实情况不能超过{CONTENT_MAX}个字",
        },
    )

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                target = {"implemented_on": "on"}.get(field, field)
                self.add_error(target if target in self.fields else None, message)
