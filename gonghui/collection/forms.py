from datetime import date, timedelta

from django import forms
from django.utils import timezone

from gonghui.collection.models import KIND_CHOICES
from gonghui.reports.forms import INPUT, add_service_errors  # noqa: F401 re-exported for views

CHECKBOX = "mr-2 align-middle"


class RequestForm(forms.Form):
    """上报通知. Units are picked as all, by district, or one by one; the service
    checks every id against the issuer's subtree."""

    union = forms.ModelChoiceField(queryset=None, label="发文工会", empty_label=None)
    kind = forms.ChoiceField(label="报送内容", choices=KIND_CHOICES)
    start = forms.DateField(label="统计期间开始", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="统计期间结束", widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label="报送截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(
        label="通知标题",
        max_length=200,
        required=False,
        help_text="不填则为“关于报送某期间某报告的通知”",
    )
    note = forms.CharField(
        label="通知说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    everyone = forms.BooleanField(label="全部所辖基层工会", required=False)
    districts = forms.MultipleChoiceField(
        label="按区县（产业）工会选择",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
    )
    units = forms.MultipleChoiceField(
        label="或逐个勾选单位",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
    )

    def __init__(self, *args, unions, districts, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["districts"].choices = [(d.pk, d.name) for d in districts]
        self.fields["units"].choices = [(u.pk, u.name) for u in units]
        # Ids are checked by the service (against the issuer's subtree), with its message.
        self.fields["districts"].valid_value = lambda value: True
        self.fields["units"].valid_value = lambda value: True
        today = timezone.localdate()
        self.fields["start"].initial = date(today.year, 1, 1)
        self.fields["end"].initial = date(today.year, 12, 31)
        self.fields["deadline"].initial = date(today.year, 12, 31) + timedelta(days=15)
        for name, field in self.fields.items():
            if name not in ("everyone", "districts", "units"):
                field.widget.attrs.setdefault("class", INPUT)


class RemindForm(forms.Form):
    note = forms.CharField(label="催报说明", max_length=200, required=False)
