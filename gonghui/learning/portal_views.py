"""The members' learning pages (phone first): today's question, the exams
open to them and their own learning record. Everything is found through the
signed-in member, so another union's exam answers 404; the answer key never
leaves the server before the member has answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.learning import queries, services
from gonghui.learning.models import Attempt, Exam, QuestionKind

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _first_message(error: ValidationError) -> str:
    return error.messages[0] if error.messages else "提交未成功"


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    today = timezone.localdate()
    daily = queries.daily_for(union=member.union, day=today)
    answer = queries.daily_answer_of(daily=daily, member=member) if daily else None
    return render(
        request,
        "learning/portal_home.html",
        {
            "member": member,
            "daily": daily,
            "answer": answer,
            "multiple": daily is not None and daily.question.kind == QuestionKind.MULTIPLE,
            "exams": queries.exams_for(member=member),
            "streak": queries.daily_streak(member=member, year=today.year),
        },
    )


@require_POST
@login_required(login_url=LOGIN_URL)
def answer_daily(request):
    member = _member(request)
    daily = queries.daily_for(union=member.union, day=timezone.localdate())
    if daily is None:
        messages.error(request, "今天没有每日一题")
        return redirect("learning_portal:home")
    try:
        answer = services.answer_daily(
            daily=daily, member=member, chosen=request.POST.getlist("chosen")
        )
    except ValidationError as e:
        messages.error(request, _first_message(e))
    else:
        messages.success(request, "回答正确！" if answer.correct else "很遗憾，答错了。")
    return redirect("learning_portal:home")


def _exam(member, pk) -> Exam:
    return get_object_or_404(Exam.objects.filter(union_id=member.union_id), pk=pk)


@login_required(login_url=LOGIN_URL)
def exam(request, pk):
    member = _member(request)
    found = _exam(member, pk)
    attempt = Attempt.objects.filter(exam=found, member=member).first()
    now = timezone.now()
    error = ""
    if request.method == "POST" and attempt is None:
        answers = {q.pk: request.POST.getlist(f"q{q.pk}") for q in found.questions.all()}
        answers = {k: v for k, v in answers.items() if v}
        try:
            attempt = services.take_exam(exam=found, member=member, answers=answers)
        except ValidationError as e:
            error = _first_message(e)
        else:
            return redirect("learning_portal:exam", pk=found.pk)
    elif request.method == "POST":
        error = services.taken_message(found, attempt)
    questions = list(found.questions.order_by("pk"))
    review = []
    if attempt is not None:
        for q in questions:
            chosen = (attempt.answers or {}).get(str(q.pk), [])
            review.append((q, chosen, chosen == list(q.answer)))
    return render(
        request,
        "learning/portal_exam.html",
        {
            "member": member,
            "exam": found,
            "questions": questions,
            "attempt": attempt,
            "review": review,
            "is_open": found.opens_at <= now <= found.closes_at,
            "not_yet": now < found.opens_at,
            # The key is shown once the window has closed, so it cannot be passed on.
            "show_key": now > found.closes_at,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required(login_url=LOGIN_URL)
def record(request):
    member = _member(request)
    return render(
        request,
        "learning/portal_record.html",
        {"member": member, **queries.member_record(member=member)},
    )
