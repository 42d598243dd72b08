from datetime import date

from django import forms
from django.utils import timezone

from gonghui.reports.models import Comparison, ReportKind

INPUT = "border border-base-200 bg-white rounded-default shadow-xs px-3 py-2 text-sm w-full dark:bg-base-900 dark:border-base-700"


def _style(form):
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", INPUT)


class PlanForm(forms.Form):
    union = forms.ModelChoiceField(queryset=None, label="工会", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="标题", max_length=120, required=False, help_text="不填则为“某某工会某年工作计划”"
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["year"].initial = timezone.localdate().year
        _style(self)


class SectionForm(forms.Form):
    title = forms.CharField(label="部分标题", max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ItemForm(forms.Form):
    section = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="工作事项", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class GoalForm(forms.Form):
    metric_key = forms.ChoiceField(label="指标")
    comparison = forms.ChoiceField(label="比较", choices=Comparison.choices)
    target = forms.CharField(label="目标值", max_length=20)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = metrics
        _style(self)


class DraftForm(forms.Form):
    union = forms.ModelChoiceField(queryset=None, label="工会", empty_label=None)
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        today = timezone.localdate()
        self.fields["start"].initial = date(today.year, 1, 1)
        self.fields["end"].initial = today
        _style(self)


def add_service_errors(form, error):
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
