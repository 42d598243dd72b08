"""Every write and workflow rule of 学习培训.

Exams are scored here from the stored answer key, never from what a client
says; a member takes an exam once (a unique constraint backs the check) and
only within its window. The daily question takes one answer per member, on
its own day.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.learning.models import (
    TRUE_FALSE_CHOICES,
    Attempt,
    ContestLevel,
    Course,
    DailyAnswer,
    DailyQuestion,
    Exam,
    Qualification,
    QualificationKind,
    Question,
    QuestionCategory,
    QuestionKind,
    SkillContest,
    SkillResult,
    TrainingKind,
    TrainingSession,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Union

MAX_CHOICES = 8


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, *, field: str, label: str, max_length: int, errors: dict, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"{label}不能为空"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _choice(value, choices, *, field: str, label: str, errors: dict) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value or ''}”不在可选范围内"


def _date(value, *, field: str, label: str, errors: dict) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        errors[field] = f"{label}不能为空"


def _own(members, union_id: int, *, field: str, errors: dict, label: str = "") -> list:
    members = list(dict.fromkeys(members or []))
    outsiders = [m.name for m in members if m.union_id != union_id]
    if outsiders:
        errors[field] = f"{label}以下人员不是本工会会员：" + "、".join(outsiders[:20])
    return members


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _moment(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日{local:%H:%M}"


# Training -----------------------------------------------------------------------------------


@transaction.atomic
def create_course(*, union: Union, title: str, kind: str, description: str = "", actor=None):
    errors: dict = {}
    title = _text(title, field="title", label="课程名称", max_length=120, errors=errors)
    _choice(kind, TrainingKind, field="kind", label="培训类别", errors=errors)
    _raise(errors)
    return Course.objects.create(
        union=union, title=title, kind=kind, description=(description or "").strip()
    )


def _hours(value, errors: dict) -> Decimal | None:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        errors["hours"] = f"学时“{value}”不是有效的数字"
        return None
    if not Decimal("0") < hours <= Decimal("1000"):
        errors["hours"] = f"学时应大于0且不超过1000，“{value}”不符合"
        return None
    return hours


@transaction.atomic
def record_training(
    *,
    union: Union,
    topic: str,
    kind: str,
    on: date,
    hours,
    attendees=(),
    place: str = "",
    trainer: str = "",
    course: Course | None = None,
    actor=None,
    today: date | None = None,
) -> TrainingSession:
    """Record a training held (or planned) and who attended it."""
    today = today or timezone.localdate()
    errors: dict = {}
    topic = _text(topic, field="topic", label="培训主题", max_length=120, errors=errors)
    _choice(kind, TrainingKind, field="kind", label="培训类别", errors=errors)
    _date(on, field="on", label="培训日期", errors=errors)
    hours = _hours(hours, errors)
    place = _text(place, field="place", label="地点", max_length=120, errors=errors, required=False)
    trainer = _text(
        trainer, field="trainer", label="授课人", max_length=60, errors=errors, required=False
    )
    if course is not None and course.union_id != union.pk:
        errors["course"] = "所选课程不属于本工会"
    attendees = _own(attendees, union.pk, field="attendees", errors=errors, label="参训人员中")
    if attendees and "on" not in errors and on > today:
        errors["attendees"] = f"培训日期{_day(on)}还没到，不能登记参训人员"
    _raise(errors)
    session = TrainingSession.objects.create(
        union=union,
        course=course,
        topic=topic,
        kind=kind,
        on=on,
        hours=hours,
        place=place,
        trainer=trainer,
        created_by=actor,
    )
    if attendees:
        session.attendees.set(attendees)
    return session


@transaction.atomic
def set_attendees(
    *, session: TrainingSession, attendees, actor=None, today=None
) -> TrainingSession:
    """Replace the attendance list of a training that has taken place."""
    today = today or timezone.localdate()
    errors: dict = {}
    attendees = _own(
        attendees, session.union_id, field="attendees", errors=errors, label="参训人员中"
    )
    if session.on > today:
        errors["attendees"] = f"培训日期{_day(session.on)}还没到，不能登记参训人员"
    _raise(errors)
    session.attendees.set(attendees)
    return session


# Question bank ---------------------------------------------------------------------------------


@transaction.atomic
def add_category(*, union: Union, name: str, actor=None) -> QuestionCategory:
    errors: dict = {}
    name = _text(name, field="name", label="分类名称", max_length=60, errors=errors)
    if name and QuestionCategory.objects.filter(union=union, name=name).exists():
        errors["name"] = f"题库分类“{name}”已经存在"
    _raise(errors)
    return QuestionCategory.objects.create(union=union, name=name)


def clean_question(*, kind: str, text: str, choices, answer) -> dict:
    """The question's fields made canonical, or ValidationError naming the field."""
    errors: dict = {}
    _choice(kind, QuestionKind, field="kind", label="题型", errors=errors)
    text = _text(text, field="text", label="题目", max_length=2000, errors=errors)
    if kind == QuestionKind.TRUE_FALSE:
        choices = list(TRUE_FALSE_CHOICES)
    else:
        choices = [str(c).strip() for c in (choices or [])]
        if len(choices) < 2:
            errors["choices"] = "选择题至少需要两个选项"
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = f"选项不能超过{MAX_CHOICES}个"
        elif any(not c for c in choices):
            errors["choices"] = "选项内容不能为空"
        elif any(len(c) > 200 for c in choices):
            errors["choices"] = "每个选项不能超过200个字"
        elif len(set(choices)) != len(choices):
            errors["choices"] = "选项内容不能重复"
    try:
        answer = sorted({int(a) for a in (answer or [])})
    except (TypeError, ValueError):
        errors["answer"] = "正确答案应为选项序号"
        answer = []
    if "answer" not in errors and "choices" not in errors:
        if not answer:
            errors["answer"] = "请选择正确答案"
        elif any(a < 0 or a >= len(choices) for a in answer):
            errors["answer"] = "正确答案不在选项范围内"
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(answer) != 1:
            errors["answer"] = "单选题和判断题只能有一个正确答案"
        elif kind == QuestionKind.MULTIPLE and len(answer) < 2:
            errors["answer"] = "多选题至少应有两个正确答案"
    _raise(errors)
    return {"kind": kind, "text": text, "choices": choices, "answer": answer}


@transaction.atomic
def add_question(
    *,
    union: Union,
    kind: str,
    text: str,
    choices=(),
    answer=(),
    category: QuestionCategory | None = None,
    explanation: str = "",
    actor=None,
) -> Question:
    if category is not None and category.union_id != union.pk:
        raise ValidationError({"category": "所选分类不属于本工会"})
    fields = clean_question(kind=kind, text=text, choices=choices, answer=answer)
    return Question.objects.create(
        union=union, category=category, explanation=(explanation or "").strip(), **fields
    )


def _chosen(question: Question, raw, *, field: str) -> list[int]:
    """A member's choice for a question as sorted indexes; ValidationError if malformed."""
    if raw is None:
        return []
    if isinstance(raw, (int, str)):
        raw = [raw]
    try:
        chosen = sorted({int(c) for c in raw})
    except (TypeError, ValueError):
        raise ValidationError({field: "所选答案无效"}) from None
    if any(c < 0 or c >= len(question.choices) for c in chosen):
        raise ValidationError({field: "所选答案不在选项范围内"})
    if question.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
        raise ValidationError({field: f"{question.get_kind_display()}只能选择一个答案"})
    return chosen


# Daily question ---------------------------------------------------------------------------------


@transaction.atomic
def set_daily_question(*, union: Union, on: date, question: Question, actor=None) -> DailyQuestion:
    """Choose the question of a day; a day already answered keeps its question."""
    errors: dict = {}
    _date(on, field="on", label="日期", errors=errors)
    if question.union_id != union.pk:
        errors["question"] = "所选题目不属于本工会题库"
    elif not question.active:
        errors["question"] = "所选题目已停用"
    _raise(errors)
    found = DailyQuestion.objects.filter(union=union, on=on).first()
    if found is None:
        return DailyQuestion.objects.create(union=union, on=on, question=question)
    if found.question_id != question.pk:
        if found.answers.exists():
            raise ValidationError({"on": f"{_day(on)}的每日一题已有人作答，不能更换"})
        found.question = question
        found.save(update_fields=["question"])
    return found


@transaction.atomic
def answer_daily(
    *, daily: DailyQuestion, member: Member, chosen, today: date | None = None
) -> DailyAnswer:
    """A member's one answer to the day's question, on that day."""
    today = today or timezone.localdate()
    if member.union_id != daily.union_id:
        raise ValidationError({"daily": "该题目不属于您所在的工会"})
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": "您已不在册，不能作答"})
    if daily.on != today:
        raise ValidationError({"daily": f"这是{_day(daily.on)}的每日一题，只能在当天作答"})
    once = "今天的每日一题您已经答过了，明天再来吧"
    if DailyAnswer.objects.filter(daily=daily, member=member).exists():
        raise ValidationError({"daily": once})
    question = daily.question
    picked = _chosen(question, chosen, field="chosen")
    if not picked:
        raise ValidationError({"chosen": "请选择答案"})
    try:
        with transaction.atomic():
            return DailyAnswer.objects.create(
                union_id=daily.union_id,
                daily=daily,
                member=member,
                on=today,
                chosen=picked,
                correct=picked == list(question.answer),
            )
    except IntegrityError as e:
        raise ValidationError({"daily": once}) from e


# Exams ----------------------------------------------------------------------------------------


@transaction.atomic
def create_exam(
    *,
    union: Union,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    questions,
    pass_mark: int = 60,
    groups=(),
    description: str = "",
    actor=None,
) -> Exam:
    errors: dict = {}
    title = _text(title, field="title", label="考试名称", max_length=120, errors=errors)
    if not isinstance(opens_at, datetime):
        errors["opens_at"] = "开始时间不能为空"
    if not isinstance(closes_at, datetime):
        errors["closes_at"] = "结束时间不能为空"
    elif isinstance(opens_at, datetime) and closes_at <= opens_at:
        errors["closes_at"] = "结束时间应晚于开始时间"
    if not isinstance(pass_mark, int) or not 0 <= pass_mark <= 100:
        errors["pass_mark"] = f"合格分数应在0至100之间，“{pass_mark}”不符合"
    questions = list(dict.fromkeys(questions or []))
    if not questions:
        errors["questions"] = "请至少选择一道试题"
    elif any(q.union_id != union.pk for q in questions):
        errors["questions"] = "试题须来自本工会题库"
    elif any(not q.active for q in questions):
        errors["questions"] = "所选试题中有已停用的题目"
    elif len(questions) > 200:
        errors["questions"] = "一场考试的试题不能超过200道"
    groups = list(groups or [])
    if any(g.union_id != union.pk for g in groups):
        errors["groups"] = "所选小组不属于本工会"
    _raise(errors)
    exam = Exam.objects.create(
        union=union,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        pass_mark=pass_mark,
        description=(description or "").strip(),
        created_by=actor,
    )
    exam.questions.set(questions)
    if groups:
        exam.groups.set(groups)
    return exam


def score_of(correct: int, total: int) -> int:
    """A score out of 100, rounded half up."""
    if not total:
        return 0
    return (correct * 200 + total) // (total * 2)


@transaction.atomic
def take_exam(*, exam: Exam, member: Member, answers: dict, now: datetime | None = None) -> Attempt:
    """Score a member's answers ({question id: chosen indexes}) and record the
    one attempt. Refused before or after the window, outside the exam's
    audience, or when the member has already taken it."""
    now = now or timezone.now()
    if member.union_id != exam.union_id:
        raise ValidationError({"exam": "该考试不属于您所在的工会"})
    if member.status != Status.ACTIVE:
        raise ValidationError({"member": "您已不在册，不能参加考试"})
    if now < exam.opens_at:
        raise ValidationError({"exam": f"考试“{exam.title}”{_moment(exam.opens_at)}才开始"})
    if now > exam.closes_at:
        raise ValidationError(
            {"exam": f"考试“{exam.title}”已于{_moment(exam.closes_at)}结束，不能再作答"}
        )
    group_ids = set(exam.groups.values_list("pk", flat=True))
    if group_ids and member.group_id not in group_ids:
        raise ValidationError({"exam": "本次考试只面向指定小组，您不在参考范围内"})
    earlier = Attempt.objects.filter(exam=exam, member=member).first()
    if earlier is not None:
        raise ValidationError({"exam": taken_message(exam, earlier)})
    questions = list(exam.questions.order_by("pk"))
    by_id = {q.pk: q for q in questions}
    answers = answers or {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "作答格式无效"})
    clean: dict[str, list[int]] = {}
    for key, raw in answers.items():
        try:
            question = by_id[int(key)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError({"answers": f"第“{key}”题不是本次考试的试题"}) from None
        position = questions.index(question) + 1
        clean[str(question.pk)] = _chosen(question, raw, field=f"answers.{position}")
    correct = sum(1 for q in questions if clean.get(str(q.pk)) == list(q.answer))
    total = len(questions)
    score = score_of(correct, total)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                union_id=exam.union_id,
                exam=exam,
                member=member,
                submitted_at=now,
                on=timezone.localtime(now).date(),
                answers=clean,
                correct=correct,
                total=total,
                score=score,
                passed=score >= exam.pass_mark,
            )
    except IntegrityError as e:
        earlier = Attempt.objects.filter(exam=exam, member=member).first()
        raise ValidationError({"exam": taken_message(exam, earlier)}) from e


def taken_message(exam: Exam, earlier: Attempt | None) -> str:
    score = f"，得分{earlier.score}分" if earlier is not None else ""
    return f"您已参加过考试“{exam.title}”{score}，每人只能作答一次"


# Skill contests ----------------------------------------------------------------------------------


@transaction.atomic
def record_contest(
    *,
    union: Union,
    title: str,
    trade: str,
    level: str,
    on: date,
    organiser: str = "",
    results=(),
    actor=None,
) -> SkillContest:
    """A skill contest with its results: each result is a dict with member and
    any of score, rank, award."""
    errors: dict = {}
    title = _text(title, field="title", label="竞赛名称", max_length=120, errors=errors)
    trade = _text(trade, field="trade", label="工种/项目", max_length=60, errors=errors)
    _choice(level, ContestLevel, field="level", label="级别", errors=errors)
    _date(on, field="on", label="比赛日期", errors=errors)
    organiser = _text(
        organiser,
        field="organiser",
        label="主办单位",
        max_length=120,
        errors=errors,
        required=False,
    )
    rows = []
    seen = set()
    for i, result in enumerate(results or [], start=1):
        member = result.get("member")
        where = f"第{i}条成绩"
        if member is None:
            errors["results"] = f"{where}缺少会员"
            break
        if member.union_id != union.pk:
            errors["results"] = f"{where}：{member.name}不是本工会会员"
            break
        if member.pk in seen:
            errors["results"] = f"{where}：{member.name}的成绩重复登记"
            break
        seen.add(member.pk)
        score = result.get("score")
        if score not in (None, ""):
            try:
                score = Decimal(str(score)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                errors["results"] = f"{where}：成绩“{score}”不是有效的数字"
                break
            if score < 0 or score >= 10000:
                errors["results"] = f"{where}：成绩应在0至9999.99之间"
                break
        else:
            score = None
        rank = result.get("rank")
        if rank is not None and (not isinstance(rank, int) or rank < 1 or rank > 10000):
            errors["results"] = f"{where}：名次应为正整数"
            break
        award = (result.get("award") or "").strip()
        if len(award) > 40:
            errors["results"] = f"{where}：奖项不能超过40个字"
            break
        rows.append((member, score, rank, award))
    _raise(errors)
    contest = SkillContest.objects.create(
        union=union, title=title, trade=trade, level=level, on=on, organiser=organiser
    )
    SkillResult.objects.bulk_create(
        SkillResult(union=union, contest=contest, member=m, score=score, rank=rank, award=award)
        for m, score, rank, award in rows
    )
    return contest


# Qualifications --------------------------------------------------------------------------------


@transaction.atomic
def add_qualification(
    *,
    member: Member,
    kind: str,
    title: str,
    obtained_on: date,
    issuer: str = "",
    number: str = "",
    expires_on: date | None = None,
    session: TrainingSession | None = None,
    actor=None,
) -> Qualification:
    """Put a certificate on a member's record."""
    errors: dict = {}
    _choice(kind, QualificationKind, field="kind", label="证书类别", errors=errors)
    title = _text(title, field="title", label="证书名称", max_length=120, errors=errors)
    issuer = _text(
        issuer, field="issuer", label="发证机关", max_length=120, errors=errors, required=False
    )
    number = _text(
        number, field="number", label="证书编号", max_length=60, errors=errors, required=False
    )
    _date(obtained_on, field="obtained_on", label="取得日期", errors=errors)
    if expires_on is not None and "obtained_on" not in errors and expires_on <= obtained_on:
        errors["expires_on"] = "有效期应晚于取得日期"
    if session is not None and session.union_id != member.union_id:
        errors["session"] = "所选培训不属于本工会"
    _raise(errors)
    return Qualification.objects.create(
        union_id=member.union_id,
        member=member,
        kind=kind,
        title=title,
        issuer=issuer,
        number=number,
        obtained_on=obtained_on,
        expires_on=expires_on,
        session=session,
    )
