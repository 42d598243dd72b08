"""Forms of the privacy screens. They only collect input; privacy.services
decides, and its messages are put back on the fields."""

from datetime import date

from django import forms
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.privacy.purposes import Category


def _union_field(form, unions) -> None:
    form.fields["union"].queryset = unions
    if unions.count() == 1:
        form.fields["union"].initial = unions.first()
        form.fields["union"].widget = forms.HiddenInput()


class PaperConsentForm(ServiceForm):
    union = forms.ModelChoiceField(label="工会", queryset=None, widget=UnfoldAdminSelectWidget)
    member = forms.CharField(
        label="会员",
        max_length=60,
        help_text="工号或姓名（重名时请填工号）",
        widget=UnfoldAdminTextInputWidget,
    )
    category = forms.ChoiceField(
        label="信息类别", choices=Category.choices, widget=UnfoldAdminSelectWidget
    )
    paper_reference = forms.CharField(
        label="纸质同意书编号",
        max_length=60,
        help_text="同意书原件归档的编号，如“同意书-2026-015”",
        widget=UnfoldAdminTextInputWidget,
    )
    signed_on = forms.DateField(
        label="签署日期", initial=date.today, widget=UnfoldAdminSingleDateWidget
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        _union_field(self, unions)


class RetentionForm(ServiceForm):
    union = forms.ModelChoiceField(label="工会", queryset=None, widget=UnfoldAdminSelectWidget)
    retention_years = forms.IntegerField(
        label="离会后保存年限",
        min_value=1,
        max_value=100,
        help_text="会员离会满此年限后列入待匿名化名单",
        widget=UnfoldAdminIntegerFieldWidget,
        error_messages={
            "min_value": "离会后保存年限应为1至100之间的整数",
            "max_value": "离会后保存年限应为1至100之间的整数",
            "invalid": "离会后保存年限应为1至100之间的整数",
            "required": "请填写离会后保存年限",
        },
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        _union_field(self, unions)


class AccessLogFilter(forms.Form):
    """The filters of the access-log review; every one optional."""

    union = forms.ModelChoiceField(
        label="工会", queryset=None, required=False, widget=UnfoldAdminSelectWidget
    )
    viewer = forms.CharField(
        label="查看人",
        required=False,
        max_length=40,
        help_text="账号或姓名",
        widget=UnfoldAdminTextInputWidget,
    )
    subject = forms.CharField(
        label="被查看人", required=False, max_length=40, widget=UnfoldAdminTextInputWidget
    )
    field = forms.ChoiceField(
        label="字段", required=False, choices=[("", "全部")], widget=UnfoldAdminSelectWidget
    )
    since = forms.DateField(
        label="起始日期",
        required=False,
        widget=UnfoldAdminSingleDateWidget,
        error_messages={"invalid": "起始日期格式不正确，例如 2026-01-01"},
    )
    until = forms.DateField(
        label="截止日期",
        required=False,
        widget=UnfoldAdminSingleDateWidget,
        error_messages={"invalid": "截止日期格式不正确，例如 2026-12-31"},
    )

    def __init__(self, *args, unions, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["union"].empty_label = "全部"
        self.fields["field"].choices = [("", "全部")] + [(f, f) for f in fields]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期")
        return data
