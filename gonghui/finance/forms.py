"""Back-office forms for the money screens. They only collect input; the
rules live in finance.services, whose messages are put back on the fields."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    BudgetLine,
    Category,
    DuesSource,
    Kind,
    Rounding,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Union


def _text(label, *, required=True, max_length=100, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _money(label, help_text=""):
    # No decimal_places here: finance.services decides what a valid amount is
    # and says so in its own words.
    return forms.DecimalField(
        label=label, help_text=help_text, widget=UnfoldAdminDecimalFieldWidget
    )


class ServiceForm(forms.Form):
    """A form whose errors may come back from a service, keyed by field."""

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class UnionChoiceMixin:
    def _limit_unions(self, unions):
        self.fields["union"].queryset = unions
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
            self.fields["union"].widget = forms.HiddenInput()


class EntryForm(UnionChoiceMixin, ServiceForm):
    kind = Kind.EXPENDITURE

    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    line = forms.ModelChoiceField(
        label="预算科目", queryset=BudgetLine.objects.none(), widget=UnfoldAdminSelectWidget
    )
    on = forms.DateField(label="日期", widget=UnfoldAdminSingleDateWidget)
    amount = _money("金额（元）", "正数，最多两位小数")
    voucher = _text("凭证号", max_length=40)
    note = _text("摘要", required=False, max_length=200)
    # Created when the form is rendered; a double submit carries the same key.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unions(unions)
        categories = EXPENDITURE_CATEGORIES if self.kind == Kind.EXPENDITURE else INCOME_CATEGORIES
        self.fields["line"].queryset = (
            BudgetLine.objects.filter(
                union__in=unions, fiscal_year__closed=False, category__in=categories
            )
            .select_related("fiscal_year")
            .order_by("-fiscal_year__year", "category", "name")
        )
        self.fields["on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class PaymentForm(EntryForm):
    kind = Kind.EXPENDITURE
    payee = _text("收款方")
    over_budget_reason = _text(
        "超预算理由",
        required=False,
        max_length=200,
        help_text="本笔支出使该科目超出预算时必须填写",
    )

    field_order = ["union", "line", "on", "amount", "payee", "voucher", "note"]


class IncomeForm(EntryForm):
    kind = Kind.INCOME
    payer = _text("付款方")

    field_order = ["union", "line", "on", "amount", "payer", "voucher", "note"]


class FiscalYearForm(UnionChoiceMixin, ServiceForm):
    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    year = forms.IntegerField(label="年度", widget=UnfoldAdminIntegerFieldWidget)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unions(unions)
        self.fields["year"].initial = timezone.localdate().year


class LineForm(ServiceForm):
    category = forms.ChoiceField(
        label="科目类别", choices=Category.choices, widget=UnfoldAdminSelectWidget
    )
    name = _text("预算项目", max_length=80, help_text="如：文体活动、困难职工帮扶、会费收入")
    planned = _money("年初预算（元）")


class AdjustmentForm(ServiceForm):
    delta = _money("调整金额（元）", "增加为正数，减少为负数")
    reason = _text("调整理由", required=False, max_length=200)


# Dues, allocation, audit ------------------------------------------------------------------


class MonthField(forms.CharField):
    """A month typed as 2025-03, 2025/3 or 2025年3月; cleaned to its first day."""

    def __init__(self, label="月份", **kwargs):
        kwargs.setdefault("help_text", "如 2025-03")
        super().__init__(label=label, widget=UnfoldAdminTextInputWidget, **kwargs)

    def to_python(self, value):
        from gonghui.finance.deductions import parse_month
        from gonghui.members.imports import CellProblem

        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text, None)
        except CellProblem as e:
            raise ValidationError(str(e)) from None


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        number = f"（工号{member.employee_number}）" if member.employee_number else ""
        return f"{member.name}{number}"


def _members(unions):
    return (
        Member.objects.filter(union__in=unions)
        .only("id", "name", "employee_number", "union_id")
        .order_by("name", "pk")
    )


def _percent(label, help_text=""):
    return forms.DecimalField(
        label=label, help_text=help_text, widget=UnfoldAdminDecimalFieldWidget
    )


class MemberFormMixin:
    def _limit_members(self, unions):
        self.fields["member"].queryset = _members(unions)


class DuesPaymentForm(MemberFormMixin, ServiceForm):
    member = MemberChoiceField(
        label="会员", queryset=Member.objects.none(), widget=UnfoldAdminSelectWidget
    )
    month = MonthField("所属月份")
    amount = _money("金额（元）", "正数，最多两位小数")
    paid_on = forms.DateField(label="缴纳日期", widget=UnfoldAdminSingleDateWidget)
    source = forms.ChoiceField(
        label="缴纳方式", choices=DuesSource.choices, widget=UnfoldAdminSelectWidget
    )
    voucher = _text("凭证号", required=False, max_length=40, help_text="留空则自动生成")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_members(unions)
        self.fields["paid_on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class DuesBaseForm(MemberFormMixin, ServiceForm):
    member = MemberChoiceField(
        label="会员", queryset=Member.objects.none(), widget=UnfoldAdminSelectWidget
    )
    since = MonthField("起始月份")
    base = _money("会费基数（月工资，元）")
    rate = _percent("本人会费比例（%）", "留空则按本会统一比例；如 0.5 即 0.5%")

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_members(unions)
        self.fields["rate"].required = False


class DuesExemptionForm(MemberFormMixin, ServiceForm):
    member = MemberChoiceField(
        label="会员", queryset=Member.objects.none(), widget=UnfoldAdminSelectWidget
    )
    starts_on = MonthField("免缴起始月份")
    ends_on = MonthField("免缴截止月份", required=False, help_text="如 2025-12；留空表示长期免缴")
    reason = _text("免缴理由", required=False, max_length=200, help_text="如：退休、长期病休")

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_members(unions)


class FinanceSettingsForm(ServiceForm):
    dues_rate = _percent("会费比例（%）", "0至5，如 0.5 即月工资的0.5%")
    rounding = forms.ChoiceField(
        label="会费取整规则", choices=Rounding.choices, widget=UnfoldAdminSelectWidget
    )
    allocation_rate = _percent("拨缴经费比例（%）", "如 2 即工资总额的2%")
    upward_share = _percent("上解上级比例（%）", "如 40 即到账拨缴经费的40%")


class DeductionUploadForm(UnionChoiceMixin, ServiceForm):
    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    month = MonthField("代扣月份")
    paid_on = forms.DateField(label="代扣日期", widget=UnfoldAdminSingleDateWidget)
    voucher = _text("凭证号", required=False, max_length=40, help_text="留空则自动生成")
    file = forms.FileField(
        label="代扣明细（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 .xlsx 文件"},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unions(unions)
        self.fields["paid_on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class AllocationForm(UnionChoiceMixin, ServiceForm):
    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    starts_on = forms.DateField(label="期间开始", widget=UnfoldAdminSingleDateWidget)
    ends_on = forms.DateField(label="期间结束", widget=UnfoldAdminSingleDateWidget)
    payroll_total = _money("工资总额（元）")
    rate = _percent("拨缴比例（%）", "留空则按本会设置（默认2%）")
    upward_share = _percent("上解上级比例（%）", "留空则按本会设置（默认40%）")
    note = _text("备注", required=False, max_length=200)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unions(unions)
        self.fields["rate"].required = False
        self.fields["upward_share"].required = False


class AllocationReceiptForm(ServiceForm):
    amount = _money("到账金额（元）")
    on = forms.DateField(label="到账日期", widget=UnfoldAdminSingleDateWidget)
    payer = _text("付款方", help_text="如：行政单位、税务部门代收返还")
    voucher = _text("凭证号", max_length=40)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class UpwardTransferForm(ServiceForm):
    amount = _money("上解金额（元）")
    on = forms.DateField(label="上解日期", widget=UnfoldAdminSingleDateWidget)
    recipient = _text("接收单位", help_text="上级工会名称")
    voucher = _text("凭证号", max_length=40)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class AuditReportForm(UnionChoiceMixin, ServiceForm):
    union = forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )
    title = _text("标题", max_length=100)
    starts_on = forms.DateField(label="审查期间开始", widget=UnfoldAdminSingleDateWidget)
    ends_on = forms.DateField(label="审查期间结束", widget=UnfoldAdminSingleDateWidget)
    findings = forms.CharField(label="审查发现", required=False, widget=UnfoldAdminTextareaWidget)
    conclusion = forms.CharField(label="审查结论", required=False, widget=UnfoldAdminTextareaWidget)
    filed_by = MemberChoiceField(
        label="报告人（经审委员）",
        queryset=Member.objects.none(),
        widget=UnfoldAdminSelectWidget,
    )
    filed_on = forms.DateField(label="报告日期", widget=UnfoldAdminSingleDateWidget)

    def __init__(self, *args, unions, auditors, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unions(unions)
        self.fields["filed_by"].queryset = auditors
        self.fields["filed_on"].initial = timezone.localdate()
