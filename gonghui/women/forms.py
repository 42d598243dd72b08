"""Forms of the women's screens. They only collect input; women.services
decides, and its messages are put back on the fields."""

from datetime import date

from django import forms
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine
from gonghui.learning.forms import PEOPLE_HELP, people_in  # noqa: F401  one parser of names
from gonghui.orgs.models import PostKind, Term
from gonghui.women.models import CheckupKind, ProtectionPeriod


def _text(label, *, required=True, max_length=120, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _area(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
    )


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=UnfoldAdminSingleDateWidget, initial=date.today
    )


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


class UnionForm(ServiceForm):
    union = forms.ModelChoiceField(label="工会", queryset=None, widget=UnfoldAdminSelectWidget)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
            self.fields["union"].widget = forms.HiddenInput()
        if "line" in self.fields:
            self.fields["line"].queryset = (
                BudgetLine.objects.filter(
                    union__in=unions,
                    fiscal_year__closed=False,
                    category__in=EXPENDITURE_CATEGORIES,
                )
                .select_related("fiscal_year")
                .order_by("-fiscal_year__year", "name")
            )
        if "term" in self.fields:
            self.fields["term"].queryset = Term.objects.filter(union__in=unions)


class ProtectionForm(UnionForm):
    member = _text("女职工", max_length=60, help_text="工号或姓名")
    period = _choice("四期类别", ProtectionPeriod.choices)
    starts_on = _date("开始日期")
    ends_on = _date("结束日期", required=False)
    arrangements = _area(
        "工作调整安排", required=False, help_text="如调离夜班、减少工作量、工间休息"
    )
    items = _area("发放防护用品", required=False, help_text="如防辐射服、孕妇座椅")
    notes = _area("备注", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = None


class RevealForm(ServiceForm):
    reason = _text("查看理由", max_length=200, help_text="将记入敏感信息查看记录")


class CloseForm(ServiceForm):
    ends_on = _date("结束日期")


class CampaignForm(UnionForm):
    year = forms.IntegerField(
        label="年度",
        initial=lambda: timezone.localdate().year,
        widget=UnfoldAdminIntegerFieldWidget,
    )
    kind = _choice("检查类别", CheckupKind.choices)
    title = _text("名称")
    provider = _text("体检机构", required=False)
    min_age = forms.IntegerField(
        label="最低年龄",
        initial=0,
        widget=UnfoldAdminIntegerFieldWidget,
        help_text="年满此年龄的在册女会员列入名单；0为全体女会员",
    )
    starts_on = _date("开始日期")
    ends_on = _date("结束日期")


class CheckupsForm(ServiceForm):
    done_on = _date("体检日期")
    members = _area("已体检人员", help_text=PEOPLE_HELP)


class PlanForm(UnionForm):
    year = forms.IntegerField(
        label="年度",
        initial=lambda: timezone.localdate().year,
        widget=UnfoldAdminIntegerFieldWidget,
    )
    name = _text("保险名称", help_text="如：女职工特殊疾病互助保障、女职工安康保险")
    insurer = _text("承保机构", required=False)
    premium = forms.DecimalField(label="每人保费（元）", widget=UnfoldAdminDecimalFieldWidget)
    line = forms.ModelChoiceField(
        label="支出预算科目", queryset=None, widget=UnfoldAdminSelectWidget
    )


class EnrolForm(ServiceForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    everyone = forms.BooleanField(
        label="全体在册女职工（已参保的除外）", required=False, widget=UnfoldBooleanSwitchWidget
    )
    members = _area("参保人员", required=False, help_text=PEOPLE_HELP + "；选了全体时不用填")
    enrolled_on = _date("参保日期")
    voucher = _text("凭证号", max_length=40)
    over_budget_reason = _text(
        "超预算理由", required=False, max_length=200, help_text="保费使该科目超出预算时必须填写"
    )


class AppointForm(UnionForm):
    term = forms.ModelChoiceField(label="届次", queryset=None, widget=UnfoldAdminSelectWidget)
    member = _text("女职工", max_length=60, help_text="工号或姓名")
    kind = _choice(
        "职务",
        [
            (PostKind.WOMEN_HEAD, PostKind.WOMEN_HEAD.label),
            (PostKind.WOMEN_MEMBER, PostKind.WOMEN_MEMBER.label),
        ],
    )
