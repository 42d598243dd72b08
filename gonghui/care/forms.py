"""Forms of the care screens. They only collect input; care.services decides,
and its messages are put back on the fields (finance.forms.ServiceForm)."""

import uuid
from datetime import date

from django import forms
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.care.models import (
    AssistanceKind,
    AssistanceSource,
    Channel,
    HardshipCause,
    HardshipLevel,
    Occasion,
    ReviewOutcome,
    VisitKind,
)
from gonghui.finance.forms import ServiceForm
from gonghui.finance.models import EXPENDITURE_CATEGORIES, BudgetLine
from gonghui.members.models import Gender, Member
from gonghui.orgs.models import Group, Union


def _text(label, *, required=True, max_length=100, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _money(label, *, required=True, help_text=""):
    # No decimal_places: the service says what a valid amount is, in its words.
    return forms.DecimalField(
        label=label, required=required, help_text=help_text, widget=UnfoldAdminDecimalFieldWidget
    )


def _date(label):
    return forms.DateField(label=label, widget=UnfoldAdminSingleDateWidget, initial=date.today)


def _choice(label, choices, *, required=True):
    return forms.ChoiceField(
        label=label,
        choices=([("", "—")] if not required else []) + list(choices),
        required=required,
        widget=UnfoldAdminSelectWidget,
    )


def _members(label, *, required=True):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Member.objects.none(),
        required=required,
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 8}),
        help_text="按住 Ctrl（Mac 为 ⌘）可多选",
    )


def _member(label, *, required=True):
    return forms.ModelChoiceField(
        label=label,
        queryset=Member.objects.none(),
        required=required,
        widget=UnfoldAdminSelectWidget,
    )


def _line(label="预算科目", *, required=False, help_text=""):
    return forms.ModelChoiceField(
        label=label,
        queryset=BudgetLine.objects.none(),
        required=required,
        help_text=help_text,
        widget=UnfoldAdminSelectWidget,
    )


def new_key() -> str:
    return uuid.uuid4().hex


class CareForm(ServiceForm):
    """Limits the union, member and budget line choices to the given unions."""

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = unions
        if "union" in self.fields:
            self.fields["union"].queryset = unions
            if unions.count() == 1:
                self.fields["union"].initial = unions.first()
                self.fields["union"].widget = forms.HiddenInput()
        members = Member.objects.filter(union__in=unions).order_by("name_initials", "id")
        lines = (
            BudgetLine.objects.filter(
                union__in=unions,
                fiscal_year__closed=False,
                category__in=EXPENDITURE_CATEGORIES,
            )
            .select_related("fiscal_year")
            .order_by("-fiscal_year__year", "category", "name")
        )
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.queryset.model is Member:
                    field.queryset = members
                elif field.queryset.model is BudgetLine:
                    field.queryset = lines
                elif field.queryset.model is Group:
                    field.queryset = Group.objects.filter(union__in=unions).order_by("name")
        if "idempotency_key" in self.fields and not self.is_bound:
            self.initial["idempotency_key"] = new_key()


def _union():
    return forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )


def _key():
    # Created when the form is rendered; a double submit carries the same key.
    return forms.CharField(widget=forms.HiddenInput, max_length=64)


class SettingsForm(CareForm):
    union = _union()
    hardship_income_threshold = _money(
        "困难认定收入线（元/人·月）", help_text="家庭月人均收入高于此线的建档须说明理由"
    )
    festival_gift_cap_per_year = _money(
        "节日慰问年度限额（元/人）", help_text="每名会员每年节日慰问合计超出此数须记录理由"
    )


class VisitForm(CareForm):
    union = _union()
    kind = _choice("慰问类型", VisitKind.choices)
    on = _date("慰问日期")
    members = _members("慰问对象")
    visitors = _members("慰问人", required=False)
    gift = _text("慰问品/慰问金说明", required=False, max_length=200)
    amount = _money("金额（元）", required=False, help_text="无慰问金可留空；有金额将同时记录支出")
    line = _line(help_text="有金额时必选")
    voucher = _text("凭证号", required=False, max_length=40)
    over_budget_reason = _text(
        "超预算理由", required=False, max_length=200, help_text="本笔支出使该科目超出预算时必须填写"
    )
    notes = forms.CharField(label="备注", required=False, widget=UnfoldAdminTextareaWidget)
    idempotency_key = _key()


class CaseForm(CareForm):
    member = _member("会员")
    level = _choice("困难类别", HardshipLevel.choices)
    causes = forms.MultipleChoiceField(
        label="致困原因",
        choices=HardshipCause.choices,
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
    )
    household_size = forms.IntegerField(
        label="家庭人口", min_value=1, initial=1, widget=UnfoldAdminIntegerFieldWidget
    )
    income_per_capita = _money("家庭月人均收入（元）")
    above_threshold_reason = _text(
        "高于收入线的建档理由", required=False, max_length=200, help_text="收入高于本会认定线时必填"
    )
    health_details = forms.CharField(
        label="健康状况",
        required=False,
        widget=UnfoldAdminTextareaWidget,
        help_text="加密保存，页面上隐藏，查看须说明理由并留痕",
    )
    filed_on = _date("建档日期")


class CaseEditForm(ServiceForm):
    """Corrects an open case's facts; the level changes through a review."""

    causes = CaseForm.base_fields["causes"]
    household_size = CaseForm.base_fields["household_size"]
    income_per_capita = CaseForm.base_fields["income_per_capita"]
    above_threshold_reason = CaseForm.base_fields["above_threshold_reason"]
    health_details = forms.CharField(
        label="健康状况（更正）",
        required=False,
        widget=UnfoldAdminTextareaWidget,
        help_text="留空则保留原记录；填写则替换原记录。加密保存，查看须说明理由并留痕",
    )
    filed_on = CaseForm.base_fields["filed_on"]


class ReviewForm(ServiceForm):
    on = _date("复核日期")
    outcome = _choice("复核结论", ReviewOutcome.choices)
    new_level = _choice("调整后类别", HardshipLevel.choices, required=False)
    note = _text("说明", required=False, max_length=200, help_text="结论为解除时填写解除理由")


class CloseForm(ServiceForm):
    on = _date("解除日期")
    reason = _text("解除理由", max_length=200)


class RevealForm(ServiceForm):
    reason = _text("查看理由", max_length=200, help_text="将记入敏感信息查看记录")


class AssistanceForm(CareForm):
    member = _member("会员")
    kind = _choice("帮扶类型", AssistanceKind.choices)
    source = _choice("资金来源", AssistanceSource.choices)
    amount = _money("金额（元）")
    on = _date("帮扶日期")
    reason = _text("事由", required=False, max_length=200)
    line = _line(help_text="资金来源为本会经费时必选，批准时记录支出")
    voucher = _text("凭证号", required=False, max_length=40)


class ApproveAssistanceForm(ServiceForm):
    over_budget_reason = _text(
        "超预算理由", required=False, max_length=200, help_text="本笔支出使该科目超出预算时必须填写"
    )


class CampaignForm(CareForm):
    union = _union()
    purpose = _text("捐款事由", max_length=120)
    beneficiary = _member("受助会员", required=False)
    beneficiary_name = _text("受助人（非会员）", required=False, max_length=60)
    opens_on = _date("开始日期")
    closes_on = _date("截止日期")


class DonationForm(CareForm):
    donor = _member("捐款会员", required=False)
    donor_name = _text("捐款人（非会员）", required=False, max_length=60)
    anonymous = forms.BooleanField(label="匿名", required=False, widget=UnfoldBooleanSwitchWidget)
    amount = _money("金额（元）")
    on = _date("捐款日期")
    channel = _choice("方式", Channel.choices)
    show_amount = forms.BooleanField(
        label="同意公开金额", required=False, widget=UnfoldBooleanSwitchWidget
    )
    idempotency_key = _key()


class FundForm(CareForm):
    amount = _money("资助金额（元）")
    on = _date("日期")
    line = _line(required=True)
    voucher = _text("凭证号", max_length=40)
    over_budget_reason = _text("超预算理由", required=False, max_length=200)
    idempotency_key = _key()


class HandoverForm(CareForm):
    amount = _money("交付金额（元）")
    on = _date("交付日期")
    delivered_by = _member("交付人", required=False)
    note = _text("说明", required=False, max_length=200)


class SchoolAidForm(CareForm):
    member = _member("申请会员")
    child_name = _text("子女姓名", max_length=40)
    school = _text("学校", max_length=80)
    grade = _text("年级", max_length=40)
    new_admission = forms.BooleanField(
        label="新入学", required=False, widget=UnfoldBooleanSwitchWidget
    )
    applied_on = _date("申请日期")


class ApproveSchoolAidForm(CareForm):
    amount = _money("资助金额（元）")
    on = _date("审批日期")
    line = _line(required=True)
    voucher = _text("凭证号", max_length=40)
    over_budget_reason = _text("超预算理由", required=False, max_length=200)


class DeclineSchoolAidForm(ServiceForm):
    on = _date("审批日期")
    reason = _text("未批准理由", max_length=200)


class GiftForm(CareForm):
    union = _union()
    occasion = _choice("节日", Occasion.choices)
    on = _date("发放日期")
    description = _text("慰问品", required=False, max_length=200)
    amount_per_person = _money("每人标准（元）")
    groups = forms.ModelMultipleChoiceField(
        label="工会小组",
        queryset=Group.objects.none(),
        required=False,
        widget=UnfoldAdminSelectMultipleWidget,
        help_text="不选为全部小组",
    )
    gender = _choice("性别", Gender.choices, required=False)
    birth_month = forms.TypedChoiceField(
        label="生日月份",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(m, f"{m}月") for m in range(1, 13)],
        widget=UnfoldAdminSelectWidget,
        help_text="生日慰问时选择",
    )
    line = _line(help_text="选择后按合计金额记录支出")
    voucher = _text("凭证号", required=False, max_length=40)
    over_cap_reason = _text(
        "超限理由", required=False, max_length=200, help_text="有人超出本会年度限额时必填"
    )
    over_budget_reason = _text("超预算理由", required=False, max_length=200)
    idempotency_key = _key()


class MutualAidForm(CareForm):
    member = _member("会员")
    year = forms.IntegerField(
        label="年度",
        initial=lambda: timezone.localdate().year,
        widget=UnfoldAdminIntegerFieldWidget,
    )
    premium = _money("互助金（元）")
    enrolled_on = _date("参保日期")
