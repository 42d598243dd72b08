"""Forms of the back-office safety screens. They only collect input;
safety.services decides, and its messages go back on the fields."""

from datetime import date

from django import forms
from django.utils import timezone
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.attachments.forms import MultipleFileField
from gonghui.finance.forms import ServiceForm
from gonghui.members.models import Member
from gonghui.orgs.models import Department, Group, Union
from gonghui.safety.models import Category, ChecklistItem, DrillKind, ItemResult, Severity


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


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=UnfoldAdminSingleDateWidget, initial=date.today
    )


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


def _count(label, *, required=True, initial=None):
    return forms.IntegerField(
        label=label,
        min_value=0,
        required=required,
        initial=initial,
        widget=UnfoldAdminIntegerFieldWidget,
    )


class SafetyForm(ServiceForm):
    """Limits the union, member, department and group choices to the given unions."""

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
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
                elif model is Department:
                    field.queryset = Department.objects.filter(union__in=unions)
                elif model is Group:
                    field.queryset = Group.objects.filter(union__in=unions)


def _union():
    return forms.ModelChoiceField(
        label="工会", queryset=Union.objects.none(), widget=UnfoldAdminSelectWidget
    )


class HazardForm(SafetyForm):
    union = _union()
    place = _text("隐患地点")
    description = _area("隐患描述")
    category = _choice("类别", Category.choices)
    severity = _choice("等级", Severity.choices)
    reporter = forms.ModelChoiceField(
        label="上报人",
        queryset=Member.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="会员口头或纸质上报时选择；监督员自己发现的可留空",
    )
    reported_on = _date("上报日期")
    photos = MultipleFileField(label="现场照片", help_text="照片会去除拍摄地点等信息后保存")


class AssignForm(SafetyForm):
    department = forms.ModelChoiceField(
        label="责任部门", queryset=Department.objects.none(), widget=UnfoldAdminSelectWidget
    )
    note = _text("交办意见", required=False, max_length=200)


class PlanForm(ServiceForm):
    measures = _area("整改措施")
    deadline = _date("整改期限")


class RectifyForm(ServiceForm):
    rectification = _area("整改情况")
    on = _date("整改完成日期")
    evidence = MultipleFileField(label="整改依据", help_text="整改后的照片或证明材料，必须上传")


class VerifyForm(ServiceForm):
    accepted = forms.TypedChoiceField(
        label="验收结论",
        choices=[("yes", "验收通过"), ("no", "不合格，退回重改")],
        coerce=lambda v: v == "yes",
        widget=UnfoldAdminSelectWidget,
    )
    note = _text("验收意见", required=False, max_length=500, help_text="退回时必须写明原因")


class InspectionForm(SafetyForm):
    union = _union()
    title = _text("检查名称")
    scope = _text("检查范围")
    planned_on = _date("计划日期")
    checklist = _area("检查清单", help_text="每行一项检查内容")
    inspectors = forms.ModelMultipleChoiceField(
        label="检查人员",
        queryset=Member.objects.none(),
        required=False,
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 8}),
    )


class ResultsForm(ServiceForm):
    """One result and note per checklist item, made from the inspection's items."""

    done_on = _date("完成日期")
    summary = _area("检查小结", required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=f"{item.position}. {item.text}",
                choices=ItemResult.choices,
                initial=item.result if item.result != ItemResult.PENDING else ItemResult.OK,
                widget=UnfoldAdminSelectWidget,
            )
            self.fields[f"note_{item.pk}"] = _text("情况说明", required=False, max_length=300)
            self.initial.setdefault(f"note_{item.pk}", item.note)

    def results(self) -> dict:
        data = self.cleaned_data
        return {i.pk: (data[f"result_{i.pk}"], data[f"note_{i.pk}"]) for i in self.items}


class FindingForm(SafetyForm):
    item = forms.ModelChoiceField(
        label="对应检查项目",
        queryset=ChecklistItem.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
    )
    place = _text("隐患地点")
    description = _area("隐患描述")
    category = _choice("类别", Category.choices)
    severity = _choice("等级", Severity.choices)
    department = forms.ModelChoiceField(
        label="责任部门",
        queryset=Department.objects.none(),
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="选择后直接交办",
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, unions=Union.objects.filter(pk=inspection.union_id), **kwargs)
        self.fields["item"].queryset = inspection.items.filter(hazard__isnull=True)


class DrillForm(SafetyForm):
    union = _union()
    kind = _choice("演练类型", DrillKind.choices)
    title = _text("演练名称")
    held_on = _date("演练日期")
    place = _text("地点", required=False)
    expected = _count("应参加人数")
    participants = _count("实际参加人数")
    notes = _area("演练情况", required=False)


class ContestForm(SafetyForm):
    union = _union()
    title = _text("竞赛名称")
    held_on = _date("竞赛日期")
    exam = forms.ModelChoiceField(
        label="关联学习考试",
        queryset=None,
        required=False,
        widget=UnfoldAdminSelectWidget,
        help_text="竞赛用“学习与题库”中的考试答题时选择，各小组成绩可从考试成绩一键取得",
    )
    notes = _area("说明", required=False)

    def __init__(self, *args, unions, **kwargs):
        from gonghui.learning.models import Exam

        super().__init__(*args, unions=unions, **kwargs)
        self.fields["exam"].queryset = Exam.objects.filter(union__in=unions).order_by("-opens_at")


class ContestResultsForm(ServiceForm):
    """Four numbers per group of the contest's union; a group left empty did not take part."""

    def __init__(self, *args, groups, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(groups)
        for group in self.groups:
            old = current.get(group.pk)
            for name, label in (
                ("audience", "应参赛"),
                ("participants", "参赛"),
                ("passed", "合格"),
            ):
                self.fields[f"{name}_{group.pk}"] = _count(
                    f"{group.name}：{label}人数",
                    required=False,
                    initial=getattr(old, name, None),
                )
            self.fields[f"score_{group.pk}"] = forms.DecimalField(
                label=f"{group.name}：平均分",
                required=False,
                initial=getattr(old, "average_score", None),
                widget=UnfoldAdminTextInputWidget,
            )

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for group in self.groups:
            if data.get(f"audience_{group.pk}") is None:
                continue
            rows.append(
                {
                    "group": group,
                    "audience": data[f"audience_{group.pk}"],
                    "participants": data.get(f"participants_{group.pk}"),
                    "passed": data.get(f"passed_{group.pk}") or 0,
                    "average_score": data.get(f"score_{group.pk}"),
                }
            )
        return rows


class ViolationForm(SafetyForm):
    member = forms.ModelChoiceField(
        label="会员", queryset=Member.objects.none(), widget=UnfoldAdminSelectWidget
    )
    on = _date("违章日期")
    description = _text("违章情况", max_length=300)


class DrawForm(SafetyForm):
    union = _union()
    year = forms.IntegerField(
        label="年度",
        initial=lambda: timezone.localdate().year,
        widget=UnfoldAdminIntegerFieldWidget,
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
        coerce=int,
        initial=lambda: (timezone.localdate().month - 1) // 3 + 1,
        widget=UnfoldAdminSelectWidget,
    )
    prize = _text("奖品")
    winners_wanted = forms.IntegerField(
        label="中奖名额", min_value=1, initial=5, widget=UnfoldAdminIntegerFieldWidget
    )
    seed = _text(
        "公开随机种子",
        required=False,
        max_length=64,
        help_text="可填事先公布的数字（如当天某期彩票开奖号码）；留空则由系统随机生成并公布",
    )
