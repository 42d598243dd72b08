from django import forms

from gonghui.reports.forms import _style


class GenerateForm(forms.Form):
    union = forms.ModelChoiceField(queryset=None, label="工会", empty_label=None)
    month = forms.CharField(
        label="月份",
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="系统根据该月的台账记录编写简报，可以在生成后修改",
    )

    def __init__(self, *args, unions, initial_month: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        self.fields["month"].initial = initial_month
        _style(self)


class IssueForm(forms.Form):
    title = forms.CharField(label="标题", max_length=120)
    number = forms.IntegerField(label="期号", min_value=1)
    lead = forms.CharField(label="导语", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ItemForm(forms.Form):
    headline = forms.CharField(label="条目标题", max_length=120)
    body = forms.CharField(label="正文", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
