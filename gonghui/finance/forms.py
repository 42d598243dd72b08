"""Back-office forms for the money screens. They only collect input; the
rules live in finance.services, whose messages are put back on the fields."""

import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.finance.models import (
    EXPENDITURE_CATEGORIES,
    INCOME_CATEGORIES,
    BudgetLine,
    Category,
    Kind,
)
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
        self.fields["on"].initial = date.today()
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
        self.fields["year"].initial = date.today().year


class LineForm(ServiceForm):
    category = forms.ChoiceField(
        label="科目类别", choices=Category.choices, widget=UnfoldAdminSelectWidget
    )
    name = _text("预算项目", max_length=80, help_text="如：文体活动、困难职工帮扶、会费收入")
    planned = _money("年初预算（元）")


class AdjustmentForm(ServiceForm):
    delta = _money("调整金额（元）", "增加为正数，减少为负数")
    reason = _text("调整理由", required=False, max_length=200)
