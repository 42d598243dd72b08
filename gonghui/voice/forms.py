"""Back-office forms of members' opinions. They only collect input; the rules
are voice.services', whose messages are put back on the fields."""

from datetime import date

from django import forms
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Department, Union
from gonghui.voice.models import Category, Kind


def _date(label, *, required=True, initial=date.today, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=UnfoldAdminSingleDateWidget,
    )


def _select(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


def _model(label, model, *, required=True, help_text=""):
    return forms.ModelChoiceField(
        label=label,
        queryset=model.objects.none(),
        required=required,
        help_text=help_text,
        widget=UnfoldAdminSelectWidget,
        error_messages={"invalid_choice": f"所选{label}不在可选范围内"},
    )


class OpinionForm(ServiceForm):
    """Record an opinion for a member (a liaison writing down what was said)."""

    union = _model("工会", Union)
    member = _model("提出人", Member)
    kind = _select("类型", Kind.choices)
    category = _select("类别", Category.choices)
    title = forms.CharField(
        label="标题", required=False, max_length=120, widget=UnfoldAdminTextInputWidget
    )
    content = forms.CharField(label="内容", widget=UnfoldAdminTextareaWidget)
    submitted_on = _date("提出日期")

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
            self.fields["union"].widget = forms.HiddenInput()
        self.fields["member"].queryset = Member.objects.filter(
            union__in=unions, status=Status.ACTIVE
        ).order_by("name_initials", "id")


class HandlerFields(ServiceForm):
    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler_department"].queryset = Department.objects.filter(
            union=union
        ).order_by("name")
        self.fields["handler"].queryset = Member.objects.filter(
            union=union, status=Status.ACTIVE
        ).order_by("name_initials", "id")


class JudgeForm(HandlerFields):
    valid = forms.TypedChoiceField(
        label="认定结果",
        choices=[("1", "有效，交付办理"), ("0", "不予采纳")],
        coerce=lambda v: v == "1",
        widget=UnfoldAdminSelectWidget,
    )
    reason = forms.CharField(
        label="认定理由",
        required=False,
        max_length=300,
        widget=UnfoldAdminTextareaWidget,
        help_text="不予采纳时必填，提出人会看到",
    )
    on = _date("认定日期")
    handler_department = _model("承办部门", Department, required=False)
    handler = _model("承办人", Member, required=False)
    deadline = _date("办理期限", required=False, initial=None, help_text="有效意见交办时填写")


class AssignForm(HandlerFields):
    handler_department = _model("承办部门", Department, required=False)
    handler = _model("承办人", Member, required=False, help_text="不选部门时取承办人所在部门")
    deadline = _date("办理期限", initial=None)


class ImplementForm(ServiceForm):
    on = _date("落实日期")
    implementation = forms.CharField(
        label="落实情况",
        widget=UnfoldAdminTextareaWidget,
        help_text="做了什么、效果如何；照片、文件等佐证材料保存后在意见页面上传",
    )


class RewardForm(ServiceForm):
    amount = forms.CharField(
        label="奖励金额（元）", max_length=20, widget=UnfoldAdminDecimalFieldWidget
    )
    on = _date("奖励日期")
    line = _model(
        "预算科目", BudgetLine, required=False, help_text="由工会经费支付时选择，将同时记录支出"
    )
    voucher = forms.CharField(
        label="凭证号", required=False, max_length=40, widget=UnfoldAdminTextInputWidget
    )
    over_budget_reason = forms.CharField(
        label="超预算理由",
        required=False,
        max_length=200,
        widget=UnfoldAdminTextInputWidget,
        help_text="本笔支出使该科目超出预算时必须填写",
    )

    def __init__(self, *args, union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (
            BudgetLine.objects.filter(
                union=union, fiscal_year__closed=False, category__in=EXPENDITURE_CATEGORIES
            )
            .select_related("fiscal_year")
            .order_by("-fiscal_year__year", "category", "name")
        )
