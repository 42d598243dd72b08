"""Forms of the learning screens. They only collect input; learning.services
decides, and its messages are put back on the fields."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from unfold.widgets import (
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminSingleDateWidget,
    UnfoldAdminSplitDateTimeWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from gonghui.finance.forms import ServiceForm
from gonghui.learning.models import (
    ContestLevel,
    Course,
    QualificationKind,
    Question,
    QuestionCategory,
    QuestionKind,
    TrainingKind,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Group


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


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=choices, widget=UnfoldAdminSelectWidget)


def _date(label, *, required=True):
    return forms.DateField(
        label=label, required=required, widget=UnfoldAdminSingleDateWidget, initial=date.today
    )


def people_in(union_id: int, text: str, *, field: str) -> list[Member]:
    """Members named one per line by 工号 or name, in the union; an unknown or
    ambiguous line is a field error naming it."""
    found, problems = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        rows = list(Member.objects.filter(union_id=union_id, employee_number=line)[:2]) or list(
            Member.objects.filter(union_id=union_id, name=line)[:2]
        )
        if len(rows) == 1:
            found.append(rows[0])
        elif rows:
            problems.append(f"“{line}”有重名，请改用工号")
        else:
            problems.append(f"本工会中没有“{line}”")
    if problems:
        raise ValidationError({field: "；".join(problems[:10])})
    return found


PEOPLE_HELP = "每行一人，填写工号或姓名"


class UnionForm(ServiceForm):
    """A form whose first choice is the union (hidden when there is one)."""

    union = forms.ModelChoiceField(label="工会", queryset=None, widget=UnfoldAdminSelectWidget)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions
        if unions.count() == 1:
            self.fields["union"].initial = unions.first()
            self.fields["union"].widget = forms.HiddenInput()
        for name, model in (("course", Course), ("category", QuestionCategory)):
            if name in self.fields:
                self.fields[name].queryset = model.objects.filter(union__in=unions)
        if "questions" in self.fields:
            self.fields["questions"].queryset = Question.objects.filter(
                union__in=unions, active=True
            ).order_by("-id")
        if "question" in self.fields:
            self.fields["question"].queryset = Question.objects.filter(
                union__in=unions, active=True
            ).order_by("-id")
        if "groups" in self.fields:
            self.fields["groups"].queryset = Group.objects.filter(union__in=unions)


class TrainingForm(UnionForm):
    topic = _text("培训主题")
    kind = _choice("培训类别", TrainingKind.choices)
    on = _date("培训日期")
    hours = forms.DecimalField(label="学时", widget=UnfoldAdminTextInputWidget)
    place = _text("地点", required=False)
    trainer = _text("授课人", required=False, max_length=60)
    course = forms.ModelChoiceField(
        label="所属课程", queryset=None, required=False, widget=UnfoldAdminSelectWidget
    )
    attendees = _area("参训人员", required=False, help_text=PEOPLE_HELP)


class CourseForm(UnionForm):
    title = _text("课程名称")
    kind = _choice("培训类别", TrainingKind.choices)
    description = _area("课程简介", required=False)


class CategoryForm(UnionForm):
    name = _text("分类名称", max_length=60)


class QuestionForm(UnionForm):
    kind = _choice("题型", QuestionKind.choices)
    category = forms.ModelChoiceField(
        label="分类", queryset=None, required=False, widget=UnfoldAdminSelectWidget
    )
    text = _area("题目")
    choices = _area("选项", required=False, help_text="每行一个选项；判断题不填")
    answer = _text(
        "正确答案", max_length=8, help_text="填选项字母，如 A 或 AC；判断题填 A（正确）或 B（错误）"
    )
    explanation = _area("答案解析", required=False)

    def clean_answer(self):
        letters = self.cleaned_data["answer"].strip().upper()
        if not letters or any(not "A" <= ch <= "H" for ch in letters):
            raise ValidationError("正确答案请填写选项字母 A 至 H")
        return [ord(ch) - ord("A") for ch in letters]

    def clean_choices(self):
        return [c.strip() for c in self.cleaned_data["choices"].splitlines() if c.strip()]


class DailyForm(UnionForm):
    on = _date("日期")
    question = forms.ModelChoiceField(label="题目", queryset=None, widget=UnfoldAdminSelectWidget)


class ExamForm(UnionForm):
    title = _text("考试名称")
    opens_at = forms.SplitDateTimeField(label="开始时间", widget=UnfoldAdminSplitDateTimeWidget)
    closes_at = forms.SplitDateTimeField(label="结束时间", widget=UnfoldAdminSplitDateTimeWidget)
    pass_mark = forms.IntegerField(
        label="合格分数", initial=60, widget=UnfoldAdminIntegerFieldWidget, help_text="满分100分"
    )
    questions = forms.ModelMultipleChoiceField(
        label="试题",
        queryset=None,
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 10}),
        help_text="按住 Ctrl（Mac 为 ⌘）可多选",
    )
    groups = forms.ModelMultipleChoiceField(
        label="参考小组",
        queryset=None,
        required=False,
        widget=UnfoldAdminSelectMultipleWidget(attrs={"size": 6}),
        help_text="不选则全体在册会员参考",
    )
    description = _area("说明", required=False)


class ContestForm(UnionForm):
    title = _text("竞赛名称")
    trade = _text("工种/项目", max_length=60)
    level = _choice("级别", ContestLevel.choices)
    on = _date("比赛日期")
    organiser = _text("主办单位", required=False)
    results = _area(
        "成绩",
        required=False,
        help_text="每行一人：工号或姓名，名次，奖项，成绩（后三项可省），用逗号分隔",
    )


class QualificationForm(UnionForm):
    member = _text("会员", max_length=60, help_text="工号或姓名")
    kind = _choice("证书类别", QualificationKind.choices)
    title = _text("证书名称")
    issuer = _text("发证机关", required=False)
    number = _text("证书编号", required=False, max_length=60)
    obtained_on = _date("取得日期")
    expires_on = _date("有效期至", required=False)
