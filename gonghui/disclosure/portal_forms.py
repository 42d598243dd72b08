"""Portal form of open affairs: only checks something was typed; the rules
are disclosure.services'."""

from django import forms

from gonghui.disclosure.models import FeedbackKind
from gonghui.disclosure.services import QUESTION_MAX


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label="类型",
        choices=FeedbackKind.choices,
        initial=FeedbackKind.QUESTION,
        error_messages={"required": "请选择类型", "invalid_choice": "所选类型不在可选范围内"},
    )
    content = forms.CharField(
        label="内容",
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写问题或意见内容",
            "max_length": f"内容不能超过{QUESTION_MAX}个字",
        },
    )

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
