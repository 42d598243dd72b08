"""The learning screens that are more than a model list, inside the admin
shell: adding through the services, and an exam's results per group.

Each view finds its object among the unions where the user may see learning
records (another union's is 404), checks the permission the step needs, and
calls one service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from gonghui import backoffice
from gonghui.learning import forms, queries, services
from gonghui.learning.models import Exam
from gonghui.orgs.roles import Perm

in_admin = backoffice.in_admin
_change_url = backoffice.change_url


def _unions(request, perm: str = Perm.CHANGE_LEARNING):
    return backoffice.unions_with(request, perm, "您没有学习培训的管理权限")


def _page(request, **page):
    return backoffice.form_page(request, "learning/form.html", **page)


def _form_view(request, form_class, act, *, title: str):
    """Show the form; on a valid POST call `act(cleaned data)`, which calls one service."""
    form = form_class(request.POST or None, unions=_unions(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = act(dict(form.cleaned_data))
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已保存：{result}")
            return redirect(_change_url(result))
    return _page(request, form=form, title=title)


def add_training(request):
    def act(d):
        attendees = forms.people_in(d["union"].pk, d.pop("attendees"), field="attendees")
        return services.record_training(actor=request.user, attendees=attendees, **d)

    return _form_view(request, forms.TrainingForm, act, title="登记培训")


def add_course(request):
    return _form_view(
        request,
        forms.CourseForm,
        lambda d: services.create_course(actor=request.user, **d),
        title="新建培训课程",
    )


def add_category(request):
    return _form_view(
        request,
        forms.CategoryForm,
        lambda d: services.add_category(actor=request.user, **d),
        title="新建题库分类",
    )


def add_question(request):
    return _form_view(
        request,
        forms.QuestionForm,
        lambda d: services.add_question(actor=request.user, **d),
        title="新增题目",
    )


def set_daily(request):
    return _form_view(
        request,
        forms.DailyForm,
        lambda d: services.set_daily_question(actor=request.user, **d),
        title="设置每日一题",
    )


def add_exam(request):
    return _form_view(
        request,
        forms.ExamForm,
        lambda d: services.create_exam(actor=request.user, **d),
        title="新建考试/知识竞赛",
    )


def _results(union_id: int, text: str) -> list[dict]:
    rows = []
    for i, line in enumerate((text or "").splitlines(), start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if not parts[0]:
            continue
        member = forms.people_in(union_id, parts[0], field="results")[0]
        rank = parts[1] if len(parts) > 1 else ""
        if rank and not rank.isdigit():
            raise ValidationError({"results": f"第{i}行：名次“{rank}”应为数字"})
        rows.append(
            {
                "member": member,
                "rank": int(rank) if rank else None,
                "award": parts[2] if len(parts) > 2 else "",
                "score": parts[3] if len(parts) > 3 else None,
            }
        )
    return rows


def add_contest(request):
    def act(d):
        results = _results(d["union"].pk, d.pop("results"))
        return services.record_contest(actor=request.user, results=results, **d)

    return _form_view(request, forms.ContestForm, act, title="登记技能竞赛")


def add_qualification(request):
    def act(d):
        union = d.pop("union")
        member = forms.people_in(union.pk, d.pop("member"), field="member")
        if not member:
            raise ValidationError({"member": "请填写会员的工号或姓名"})
        return services.add_qualification(actor=request.user, member=member[0], **d)

    return _form_view(request, forms.QualificationForm, act, title="登记资格证书")


@in_admin
def exam_results(request, pk):
    exam = get_object_or_404(
        Exam.objects.filter(union__in=request.access.unions_with(Perm.VIEW_LEARNING)), pk=pk
    )
    context = {
        **admin.site.each_context(request),
        "title": f"{exam.title}：成绩统计",
        "exam": exam,
        "summary": queries.exam_summary(exam),
        "groups": queries.group_participation(exam),
        "results": queries.exam_results(exam),
        "questions": queries.question_stats(exam),
    }
    return render(request, "learning/exam_results.html", context)
