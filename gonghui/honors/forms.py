"""Forms of the back-office 评先评优 screens. They only collect input;
honors.services decides, and its Chinese messages go back on the fields."""

from datetime import date

from django import forms
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminRadioSelectWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
    UnfoldBooleanSwitchWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.honors.models import (
    TITLE_SUGGESTIONS,
    AssessmentRule,
    AwardKind,
    Cadence,
    Level,
    Nomination,
    NominationState,
    Scope,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group, Union


def _text(label, *, required=True, max_length=100, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=UnfoldAdminTextInputWidget,
    )


def _area(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=UnfoldAdminTextareaWidget
    )


def _date(label):
    return forms.DateField(label=label, widget=UnfoldAdminSingleDateWidget, initial=date.today)


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


def _year(label):
    return forms.IntegerField(
        label=label,
        initial=lambda: timezone.localdate().year,
        widget=UnfoldAdminIntegerFieldWidget,
    )


def _union():
    return forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )


class HonorsForm(ServiceForm):
    """Limits the union, kind, member and group choices to the given unions;
    a single union is chosen for the user and its field hidden."""

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = unions
        if "union" in self.fields:
            self.fields["union"].queryset = unions
            if unions.count() == 1:
                self.fields["union"].initial = unions.first()
                self.fields["union"].widget = forms.HiddenInput()
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                model = field.queryset.model
                if model is Member:
                    field.queryset = Member.objects.filter(union__in=unions).order_by(
                        "name_initials", "id"
                    )
                elif model is Group:
                    field.queryset = Group.objects.filter(union__in=unions).order_by("name")
                elif model is AwardKind:
                    field.queryset = AwardKind.objects.filter(
                        union__in=unions, active=True
                    ).order_by("union_id", "id")


# Award kinds ---------------------------------------------------------------------------


class KindForm(HonorsForm):
    union = _union()
    name = _text("荣誉名称", max_length=40, help_text="如 岗位之星、工人先锋号")
    scope = _choice("评选对象", Scope.choices)
    cadence = _choice("评选周期", Cadence.choices)
    description = _area("评选标准", required=False)


class KindEditForm(ServiceForm):
    name = _text("荣誉名称", max_length=40)
    scope = _choice("评选对象", Scope.choices)
    cadence = _choice("评选周期", Cadence.choices)
    description = _area("评选标准", required=False)
    active = forms.BooleanField(
        label="在用",
        required=False,
        widget=UnfoldBooleanSwitchWidget,
        help_text="停用后不能再推荐，已有的推荐和授予记录保留",
    )


class DefaultKindsForm(HonorsForm):
    union = _union()


# Nominations ------------------------------------------------------------------------------

MONTHS = [("", "—（不按月评选）")] + [(m, f"{m}月") for m in range(1, 13)]


class NominationForm(HonorsForm):
    kind = forms.ModelChoiceField(
        label="荣誉类别", queryset=AwardKind.objects.none(), widget=UnfoldAdminSelectWidget
    )
    year = _year("评选年度")
    month = forms.TypedChoiceField(
        label="评选月份",
        choices=MONTHS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="按月评选的荣誉（如岗位之星）必选",
    )
    member = forms.ModelChoiceField(
        label="被推荐人",
        queryset=Member.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="评选个人时选择",
    )
    group = forms.ModelChoiceField(
        label="被推荐班组",
        queryset=Group.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="评选班组或集体时选择",
    )
    team_name = _text(
        "被推荐集体", required=False, max_length=80, help_text="集体不是本会班组时填写名称"
    )
    reasons = _area("推荐理由（主要事迹）")
    nominated_on = _date("推荐日期")
    nominated_by = _text("推荐人/推荐部门", required=False, max_length=60)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, unions=unions, **kwargs)
        self.fields["member"].queryset = self.fields["member"].queryset.filter(status=Status.ACTIVE)
        self.fields["kind"].label_from_instance = lambda k: (
            f"{k.name}（{k.get_scope_display()}，{k.get_cadence_display()}）"
        )


class DecisionForm(ServiceForm):
    granted = forms.TypedChoiceField(
        label="评定结果",
        choices=[("yes", "授予"), ("no", "不授予（未评上）")],
        coerce=lambda v: v == "yes",
        widget=UnfoldAdminRadioSelectWidget,
    )
    on = _date("评定日期")
    note = _text("评定意见", required=False, max_length=200, help_text="未评上时必须填写理由")


class AnnounceForm(HonorsForm):
    union = _union()
    awards = forms.ModelMultipleChoiceField(
        label="公示的获奖记录",
        queryset=Nomination.objects.none(),
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        error_messages={"required": "请选择要公示的获奖记录"},
    )
    title = _text("公示标题", max_length=120)
    intro = _area("公示说明", required=False, help_text="如 评选经过、公示期和意见反馈方式")

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, unions=unions, **kwargs)
        self.fields["awards"].queryset = (
            Nomination.objects.filter(
                union__in=unions, state=NominationState.AWARDED, announcement__isnull=True
            )
            .select_related("kind", "member", "group")
            .order_by("kind_id", "-year", "-month", "id")
        )


# Model workers ------------------------------------------------------------------------------


class ModelWorkerEditForm(ServiceForm):
    level = _choice("级别", Level.choices)
    title = _text("荣誉称号", max_length=40, help_text="如 " + "、".join(TITLE_SUGGESTIONS))
    year = _year("授予年度")
    conferred_by = _text("授予单位", required=False, max_length=80, help_text="如 浙江省人民政府")
    monthly_allowance = forms.DecimalField(
        label="劳模津贴（元/月）",
        required=False,
        initial=0,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text="无津贴填0",
    )
    benefits = _area(
        "应享待遇", required=False, help_text="如 年度疗休养、健康体检、节日慰问，一行一项"
    )
    notes = _text("备注", required=False, max_length=200)

    def clean_monthly_allowance(self):
        value = self.cleaned_data.get("monthly_allowance")
        return 0 if value is None else value


class ModelWorkerForm(HonorsForm, ModelWorkerEditForm):
    member = forms.ModelChoiceField(
        label="会员", queryset=Member.objects.none(), widget=UnfoldAdminSelectWidget
    )
    field_order = ["member"]


# Group assessment -----------------------------------------------------------------------


class RuleForm(HonorsForm):
    """A rule with its items as rows: name, maximum points, deduction guide.
    Rows left empty are ignored; the service numbers the rest in order."""

    union = _union()
    name = _text("细则名称", max_length=80, help_text="如 班组考核细则（2026版）")
    effective_from = _date("施行日期")

    def __init__(self, *args, unions, items=(), **kwargs):
        super().__init__(*args, unions=unions, **kwargs)
        self.row_count = max(8, len(items) + 3)
        for i in range(1, self.row_count + 1):
            old = items[i - 1] if i <= len(items) else None
            self.fields[f"item_name_{i}"] = forms.CharField(
                label=f"第{i}项 考核项目",
                required=False,
                initial=getattr(old, "name", ""),
            )
            self.fields[f"item_max_{i}"] = forms.CharField(
                label=f"第{i}项 满分",
                required=False,
                initial=getattr(old, "max_points", ""),
            )
            self.fields[f"item_guide_{i}"] = forms.CharField(
                label=f"第{i}项 扣分标准",
                required=False,
                initial=getattr(old, "deduction_guide", ""),
            )

    def item_rows(self):
        """Bound fields per row, for the template's table."""
        return [
            (i, self[f"item_name_{i}"], self[f"item_max_{i}"], self[f"item_guide_{i}"])
            for i in range(1, self.row_count + 1)
        ]

    def items(self) -> list[dict]:
        data, rows = self.cleaned_data, []
        for i in range(1, self.row_count + 1):
            row = {
                "name": data.get(f"item_name_{i}", ""),
                "max_points": data.get(f"item_max_{i}", ""),
                "deduction_guide": data.get(f"item_guide_{i}", ""),
            }
            if any(str(v).strip() for v in row.values()):
                rows.append(row)
        return rows


class OpenMonthForm(HonorsForm):
    rule = forms.ModelChoiceField(
        label="考核细则",
        queryset=AssessmentRule.objects.none(),
        widget=UnfoldAdminSelectWidget,
        error_messages={"required": "请选择考核细则", "invalid_choice": "请选择考核细则"},
    )
    month = forms.CharField(
        label="考核月份",
        widget=UnfoldAdminTextInputWidget(attrs={"type": "month"}),
        error_messages={"required": "请填写考核月份"},
        help_text="年-月，如 2026-03",
    )

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, unions=unions, **kwargs)
        self.fields["rule"].queryset = AssessmentRule.objects.filter(
            union__in=unions, active=True
        ).select_related("union")
        if unions.count() > 1:
            self.fields["rule"].label_from_instance = lambda r: f"{r.union.name} · {r.name}"
        active = list(self.fields["rule"].queryset[:2])
        if len(active) == 1:
            self.fields["rule"].initial = active[0].pk  # the one rule in force

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip()
        try:
            year, month = (int(x) for x in text.split("-")[:2])
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(
                f"考核月份“{text}”格式不正确，应为 年-月，如 2026-03"
            ) from None


class ScoreSheetForm(ServiceForm):
    """One row per group, one points box and one reason box per item.

    A group whose row is left wholly empty is not scored yet; every other row
    goes to the service, which checks each score against its item's maximum."""

    def __init__(self, *args, assessment, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(assessment.rule.items.all())
        self.groups = list(groups)
        saved = {(s.group_id, s.item_id): s for s in assessment.scores.all()}
        for group in self.groups:
            for item in self.items:
                score = saved.get((group.pk, item.pk))
                key = f"{group.pk}_{item.pk}"
                self.fields[f"p_{key}"] = forms.CharField(
                    label=f"{group.name}{item.name}得分",
                    required=False,
                    initial="" if score is None else score.points,
                )
                self.fields[f"r_{key}"] = forms.CharField(
                    label=f"{group.name}{item.name}扣分理由",
                    required=False,
                    initial="" if score is None else score.deduction_reason,
                )

    def rows(self) -> list[dict]:
        """Each group with its cells (bound fields) and its errors, for the template."""
        errors = self.errors
        return [
            {
                "group": group,
                "cells": [
                    (self[f"p_{group.pk}_{item.pk}"], self[f"r_{group.pk}_{item.pk}"])
                    for item in self.items
                ],
                "errors": [
                    *errors.get(f"group_{group.pk}", []),
                    *(
                        e
                        for item in self.items
                        for prefix in ("p", "r")
                        for e in errors.get(f"{prefix}_{group.pk}_{item.pk}", [])
                    ),
                ],
            }
            for group in self.groups
        ]

    def add_service_errors(self, error) -> None:
        # The service keys errors by group: keep them for that group's row.
        wrong = [f for f in error.message_dict if f.startswith("group_")]
        if wrong:
            self.add_error(
                None, f"{len(wrong)}个班组的得分有误（见标红的行），本次填写的得分全部未保存"
            )
        for field, messages in error.message_dict.items():
            for message in messages:
                if field.startswith("group_"):
                    self._errors.setdefault(field, self.error_class()).append(message)
                else:
                    self.add_error(None, message)

    def sheet(self) -> list[tuple]:
        data, out = self.cleaned_data, []
        for group in self.groups:
            cells = {
                item.pk: (
                    data.get(f"p_{group.pk}_{item.pk}", "").strip(),
                    data.get(f"r_{group.pk}_{item.pk}", "").strip(),
                )
                for item in self.items
            }
            if any(p or r for p, r in cells.values()):
                out.append((group, cells))
        return out
