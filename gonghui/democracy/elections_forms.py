"""Forms of the election and evaluation screens. They only collect input;
democracy.services decides, and its messages are put back on the fields."""

from django import forms
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSplitDateTimeWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.democracy.models.congress import Congress
from gonghui.democracy.models.elections import Channel, ElectionKind, Electorate, Method
from gonghui.finance.forms import ServiceForm
from gonghui.orgs.models import Group, Union


def _text(label, *, required=True, max_length=120, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


def _when(label):
    return forms.SplitDateTimeField(label=label, widget=UnfoldAdminSplitDateTimeWidget)


class UnionForm(ServiceForm):
    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
            self.fields["union"].widget = forms.HiddenInput()


class ElectionForm(UnionForm):
    title = _text("选举名称", help_text="如：第三届工会委员会换届选举")
    kind = _choice("选举类型", ElectionKind.choices)
    seats = forms.IntegerField(label="应选名额", min_value=1, widget=UnfoldAdminIntegerFieldWidget)
    method = _choice("投票方式", Method.choices)
    channel = _choice("投票渠道", Channel.choices)
    electorate = _choice("选举人范围", Electorate.choices)
    groups = forms.ModelMultipleChoiceField(
        label="工会小组",
        queryset=Group.objects.none(),
        required=False,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text="选举人范围为指定小组时选择",
    )
    congress = forms.ModelChoiceField(
        label="代表大会",
        queryset=Congress.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="选举人范围为代表大会代表时选择，名册为该届在任代表",
    )
    allow_write_in = forms.BooleanField(
        label="允许另选他人", required=False, widget=UnfoldBooleanSwitchWidget
    )
    opens_at = _when("投票开始时间")
    closes_at = _when("投票截止时间")
    margin_share = forms.DecimalField(
        label="差额比例",
        required=False,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text="留空按默认：委员会、经审会、女职委选举为 0.05（候选人多于应选名额 5%），其他为 0",
    )
    quorum = _text(
        "选举有效比例", max_length=9, help_text="投票人数须超过到会选举人的这一比例，默认 2/3"
    )
    majority = _text(
        "当选比例", max_length=9, help_text="赞成票须超过到会选举人的这一比例，默认 1/2"
    )
    notes = forms.CharField(
        label="说明", required=False, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )

    def __init__(self, *args, unions, **kwargs):
        kwargs.setdefault("initial", {}).update({"quorum": "2/3", "majority": "1/2"})
        super().__init__(*args, unions=unions, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(union__in=unions).order_by("name")
        self.fields["congress"].queryset = Congress.objects.filter(union__in=unions)


class CandidateForm(ServiceForm):
    name = _text("候选人姓名", max_length=40)
    employee_number = _text(
        "工号", required=False, max_length=30, help_text="填写后与会员名册关联（可不填）"
    )
    profile = forms.CharField(
        label="简介",
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 2}),
        help_text="如：1985年生，本科，语文教研组长",
    )


class CountForm(ServiceForm):
    count = forms.IntegerField(label="打印数量", min_value=1, widget=UnfoldAdminIntegerFieldWidget)


class RunoffForm(ServiceForm):
    opens_at = _when("另行选举开始时间")
    closes_at = _when("另行选举截止时间")


class EvaluationForm(UnionForm):
    title = _text("评议名称", help_text="如：2025年度民主评议学校领导班子")
    year = forms.IntegerField(label="年度", widget=UnfoldAdminIntegerFieldWidget)
    opens_at = _when("开始时间")
    closes_at = _when("截止时间")
    evaluees = forms.CharField(
        label="被评议人",
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 5}),
        help_text="每行一人：姓名 职务，如“王明 校长”",
    )
    notes = forms.CharField(
        label="说明", required=False, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3})
    )

    def clean_evaluees(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["evaluees"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(
                    f"第{number}行“{line.strip()}”缺少职务，请写成“姓名 职务”"
                )
            rows.append((parts[0], " ".join(parts[1:])))
        return rows
