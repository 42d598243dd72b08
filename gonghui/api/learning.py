"""学习培训 endpoints: training and attendance, the question bank, the daily
question, exams and their results per member and per group (知晓率, 合格率),
skill contests and qualifications. Every write goes through learning.services.

Staff endpoints need learning.view / learning.change in the record's union;
members, ids named in a body are looked up in the record's own union, so
another union's id is simply not found. The `/learning/me/...` endpoints act
as the signed-in member: today's question and the exams open to them, shown
without the answer key until they have answered.
"""

import ninja
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router

from gonghui.api import access, errors, schemas
from gonghui.api import queries_learning as queries
from gonghui.api import schemas_learning as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard, own_guard
from gonghui.learning import queries as learning_queries
from gonghui.learning import services
from gonghui.learning.models import (
    Attempt,
    Course,
    Exam,
    Qualification,
    Question,
    QuestionCategory,
    SkillContest,
    TrainingSession,
)
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm

router = Router(tags=["学习培训"])

TrainingId = Path(..., ge=1, le=schemas.MAX_ID, description="培训编号")
ExamId = Path(..., ge=1, le=schemas.MAX_ID, description="考试编号")
MemberId = Path(..., ge=1, le=schemas.MAX_ID, description="会员编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看学习培训记录的权限"

for _field, _label in {
    "topic": "培训主题",
    "hours": "学时",
    "trainer": "授课人",
    "course": "课程",
    "attendees": "参训人员",
    "text": "题目",
    "choices": "选项",
    "answer": "正确答案",
    "explanation": "答案解析",
    "question": "题目",
    "questions": "试题",
    "opens_at": "开始时间",
    "closes_at": "结束时间",
    "pass_mark": "合格分数",
    "groups": "参考小组",
    "answers": "作答",
    "chosen": "所选答案",
    "exam": "考试",
    "daily": "每日一题",
    "trade": "工种/项目",
    "organiser": "主办单位",
    "results": "竞赛成绩",
    "issuer": "发证机关",
    "number": "证书编号",
    "obtained_on": "取得日期",
    "expires_on": "有效期至",
    "session": "对应培训",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)
for _perm, _refusal in {
    Perm.VIEW_LEARNING: NO_VIEW,
    Perm.CHANGE_LEARNING: "您没有修改该工会学习培训记录的权限（上级工会为只读）",
}.items():
    access.FORBIDDEN.setdefault(_perm, _refusal)


# Finding things -------------------------------------------------------------------------


def _viewable(request) -> list[int]:
    return viewable_unions(request, Perm.VIEW_LEARNING, NO_VIEW)


def _find(request, rows, pk: int, perm: str = Perm.VIEW_LEARNING):
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_LEARNING, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _union_for_write(request, union_id: int):
    return union_for_write(request, union_id, Perm.CHANGE_LEARNING)


def _members_of(union_id: int, ids, field: str) -> list[Member]:
    ids = list(dict.fromkeys(ids or []))
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, union_id=union_id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: "本工会中未找到以下会员编号：" + "、".join(missing[:20])})
    return [found[pk] for pk in ids]


def _own(model, union_id: int, pk: int | None, field: str, missing: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, union_id=union_id).first()
    if obj is None:
        raise ValidationError({field: missing})
    return obj


def _me(request) -> Member:
    try:
        return request.auth.member
    except (ObjectDoesNotExist, AttributeError):
        raise Http404 from None


# Shapes out ----------------------------------------------------------------------------


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def training_out(session: TrainingSession) -> dict:
    return {
        "id": session.id,
        "union": session.union_id,
        "course": session.course_id,
        "topic": session.topic,
        "kind": session.kind,
        "kind_label": session.get_kind_display(),
        "on": session.on,
        "hours": f"{session.hours:f}",
        "place": session.place,
        "trainer": session.trainer,
        "attendees": [_ref(m) for m in session.attendees.all()],
    }


def question_out(question: Question) -> dict:
    return {
        "id": question.id,
        "union": question.union_id,
        "category": question.category_id,
        "kind": question.kind,
        "kind_label": question.get_kind_display(),
        "text": question.text,
        "choices": list(question.choices),
        "answer": list(question.answer),
        "explanation": question.explanation,
        "active": question.active,
    }


def paper_question_out(question: Question) -> dict:
    return {
        "id": question.id,
        "kind": question.kind,
        "kind_label": question.get_kind_display(),
        "text": question.text,
        "choices": list(question.choices),
    }


def exam_out(exam: Exam) -> dict:
    return {
        "id": exam.id,
        "union": exam.union_id,
        "title": exam.title,
        "opens_at": exam.opens_at,
        "closes_at": exam.closes_at,
        "pass_mark": exam.pass_mark,
        "questions": len(exam.questions.all()),
        "groups": [g.pk for g in exam.groups.all()],
        "description": exam.description,
    }


def attempt_out(attempt: Attempt) -> dict:
    return {
        "id": attempt.id,
        "exam": attempt.exam_id,
        "member": _ref(attempt.member),
        "submitted_at": attempt.submitted_at,
        "correct": attempt.correct,
        "total": attempt.total,
        "score": attempt.score,
        "passed": attempt.passed,
    }


def group_row(row) -> dict:
    return {
        "group": _ref(row.group),
        "audience": row.audience,
        "took": row.took,
        "passed": row.passed,
        "aware": row.aware,
        "take_rate": row.take_rate,
        "awareness_rate": row.awareness_rate,
        "pass_rate": row.pass_rate,
    }


def contest_out(contest: SkillContest) -> dict:
    return {
        "id": contest.id,
        "union": contest.union_id,
        "title": contest.title,
        "trade": contest.trade,
        "level": contest.level,
        "level_label": contest.get_level_display(),
        "on": contest.on,
        "organiser": contest.organiser,
        "results": [
            {
                "member": _ref(r.member),
                "score": f"{r.score:f}" if r.score is not None else None,
                "rank": r.rank,
                "award": r.award,
            }
            for r in contest.results.all()
        ],
    }


def qualification_out(q: Qualification) -> dict:
    return {
        "id": q.id,
        "union": q.union_id,
        "member": _ref(q.member),
        "kind": q.kind,
        "kind_label": q.get_kind_display(),
        "title": q.title,
        "issuer": q.issuer,
        "number": q.number,
        "obtained_on": q.obtained_on,
        "expires_on": q.expires_on,
        "session": q.session_id,
    }


def _paged(rows_and_cursor, shape) -> dict:
    rows, next_cursor = rows_and_cursor
    return {"items": [shape(r) for r in rows], "next_cursor": next_cursor}


# Training ---------------------------------------------------------------------------------


@router.get(
    "/learning/trainings", response={200: shapes.TrainingPage, **ERRORS}, summary="培训列表"
)
def list_trainings(request, filters: Query[shapes.TrainingFilters]):
    return _paged(queries.trainings(union_ids=_viewable(request), **filters.dict()), training_out)


@router.post(
    "/learning/courses", response={201: shapes.CourseOut, **ERRORS}, summary="新建培训课程"
)
def create_course(request, payload: shapes.CourseIn):
    union = _union_for_write(request, payload.union)
    course = services.create_course(
        union=union,
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
        actor=request.auth,
    )
    return ninja.Status(
        201,
        {
            "id": course.id,
            "union": course.union_id,
            "title": course.title,
            "kind": course.kind,
            "description": course.description,
        },
    )


@router.post(
    "/learning/trainings",
    response={201: shapes.TrainingOut, **ERRORS},
    summary="登记培训及参训人员",
)
def create_training(request, payload: shapes.TrainingIn):
    union = _union_for_write(request, payload.union)
    session = services.record_training(
        union=union,
        topic=payload.topic,
        kind=payload.kind,
        on=payload.on,
        hours=payload.hours,
        place=payload.place,
        trainer=payload.trainer,
        course=_own(Course, union.id, payload.course, "course", "本工会中未找到该课程"),
        attendees=_members_of(union.id, payload.attendees, "attendees"),
        actor=request.auth,
    )
    return ninja.Status(201, training_out(session))


@router.put(
    "/learning/trainings/{training_id}/attendees",
    response={200: shapes.TrainingOut, **ERRORS},
    summary="登记参训人员（替换原名单）",
)
@guard(Perm.CHANGE_LEARNING, training_id=TrainingSession)
def set_attendees(request, payload: shapes.AttendeesIn, training_id: int = TrainingId):
    session = _find(request, TrainingSession.objects.all(), training_id, Perm.CHANGE_LEARNING)
    services.set_attendees(
        session=session,
        attendees=_members_of(session.union_id, payload.attendees, "attendees"),
        actor=request.auth,
    )
    return training_out(session)


# Question bank --------------------------------------------------------------------------------


@router.post(
    "/learning/categories", response={201: shapes.CategoryOut, **ERRORS}, summary="新建题库分类"
)
def create_category(request, payload: shapes.CategoryIn):
    union = _union_for_write(request, payload.union)
    category = services.add_category(union=union, name=payload.name, actor=request.auth)
    return ninja.Status(201, {"id": category.id, "union": category.union_id, "name": category.name})


@router.get("/learning/questions", response={200: shapes.QuestionPage, **ERRORS}, summary="题库")
def list_questions(request, filters: Query[shapes.QuestionFilters]):
    return _paged(queries.questions(union_ids=_viewable(request), **filters.dict()), question_out)


@router.post(
    "/learning/questions",
    response={201: shapes.QuestionOut, **ERRORS},
    summary="新增题目（单选、多选、判断）",
)
def create_question(request, payload: shapes.QuestionIn):
    union = _union_for_write(request, payload.union)
    question = services.add_question(
        union=union,
        kind=payload.kind,
        text=payload.text,
        choices=payload.choices,
        answer=payload.answer,
        category=_own(
            QuestionCategory, union.id, payload.category, "category", "本工会中未找到该分类"
        ),
        explanation=payload.explanation,
        actor=request.auth,
    )
    return ninja.Status(201, question_out(question))


# Daily question ---------------------------------------------------------------------------------


def daily_out(daily) -> dict:
    answers = daily.answers.all()
    return {
        "id": daily.id,
        "union": daily.union_id,
        "on": daily.on,
        "question": paper_question_out(daily.question),
        "answers": answers.count(),
        "correct": answers.filter(correct=True).count(),
    }


@router.post(
    "/learning/daily", response={200: shapes.DailyOut, **ERRORS}, summary="设置某日的每日一题"
)
def set_daily(request, payload: shapes.DailyIn):
    union = _union_for_write(request, payload.union)
    question = _own(Question, union.id, payload.question, "question", "本工会题库中未找到该题目")
    daily = services.set_daily_question(
        union=union, on=payload.on, question=question, actor=request.auth
    )
    return daily_out(daily)


def my_daily_out(daily, answer) -> dict:
    return {
        "id": daily.id,
        "on": daily.on,
        "question": paper_question_out(daily.question),
        "answered": answer is not None,
        "correct": answer.correct if answer is not None else None,
        "answer": list(daily.question.answer) if answer is not None else None,
        "explanation": daily.question.explanation if answer is not None else None,
    }


@router.get(
    "/learning/me/daily",
    response={200: shapes.MyDailyOut, **ERRORS},
    summary="我的每日一题（今天的题目；作答后给出答案）",
)
def my_daily(request):
    member = _me(request)
    daily = learning_queries.daily_for(union=member.union_id, day=timezone.localdate())
    if daily is None:
        raise Http404
    return my_daily_out(daily, learning_queries.daily_answer_of(daily=daily, member=member))


@router.post(
    "/learning/me/daily",
    response={200: shapes.MyDailyOut, **ERRORS},
    summary="回答今天的每日一题（每天一次）",
)
def answer_my_daily(request, payload: shapes.ChosenIn):
    member = _me(request)
    daily = learning_queries.daily_for(union=member.union_id, day=timezone.localdate())
    if daily is None:
        raise ValidationError({"daily": "今天没有每日一题"})
    answer = services.answer_daily(daily=daily, member=member, chosen=payload.chosen)
    return my_daily_out(daily, answer)


# Exams ---------------------------------------------------------------------------------------


def _exams():
    return Exam.objects.prefetch_related("groups", "questions")


@router.get("/learning/exams", response={200: shapes.ExamPage, **ERRORS}, summary="考试列表")
def list_exams(request, filters: Query[shapes.ExamFilters]):
    return _paged(queries.exams(union_ids=_viewable(request), **filters.dict()), exam_out)


@router.post(
    "/learning/exams",
    response={201: shapes.ExamOut, **ERRORS},
    summary="新建考试/知识竞赛（合格分数、开放时间）",
)
def create_exam(request, payload: shapes.ExamIn):
    union = _union_for_write(request, payload.union)
    ids = list(dict.fromkeys(payload.questions))
    found = {q.pk: q for q in Question.objects.filter(pk__in=ids, union_id=union.id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {"questions": "本工会题库中未找到以下题目：" + "、".join(missing[:20])}
        )
    groups = list(Group.objects.filter(pk__in=payload.groups, union_id=union.id))
    if len(groups) != len(set(payload.groups)):
        raise ValidationError({"groups": "本工会中未找到所选小组"})
    exam = services.create_exam(
        union=union,
        title=payload.title,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        pass_mark=payload.pass_mark,
        questions=[found[pk] for pk in ids],
        groups=groups,
        description=payload.description,
        actor=request.auth,
    )
    return ninja.Status(201, exam_out(exam))


@router.get(
    "/learning/exams/{exam_id}/results",
    response={200: shapes.ExamResultsOut, **ERRORS},
    summary="考试成绩：每人得分，各小组参考、合格、知晓率和合格率",
)
@guard(Perm.VIEW_LEARNING, exam_id=Exam)
def exam_results(request, exam_id: int = ExamId):
    exam = _find(request, _exams(), exam_id)
    attempts = Attempt.objects.filter(exam=exam).select_related("member").order_by("-score", "pk")
    return {
        "exam": exam_out(exam),
        "total": group_row(learning_queries.exam_summary(exam)),
        "groups": [group_row(r) for r in learning_queries.group_participation(exam)],
        "members": [attempt_out(a) for a in attempts],
    }


@router.get(
    "/learning/me/exams/{exam_id}",
    response={200: shapes.PaperOut, **ERRORS},
    summary="我的试卷（不含答案）",
)
def my_paper(request, exam_id: int = ExamId):
    member = _me(request)
    exam = _exams().filter(pk=exam_id, union_id=member.union_id).first()
    if exam is None:
        raise Http404
    return {
        "exam": exam_out(exam),
        "questions": [paper_question_out(q) for q in exam.questions.order_by("pk")],
    }


def _my_exam(request, pk: int) -> Exam:
    """An exam of the calling member's own union, else 404."""
    exam = Exam.objects.filter(pk=pk, union_id=_me(request).union_id).first()
    if exam is None:
        raise Http404
    return exam


@router.post(
    "/learning/me/exams/{exam_id}/attempt",
    response={201: shapes.AttemptOut, **ERRORS},
    summary="交卷（每人一次，须在考试时间内；由服务器评分）",
)
@own_guard(lambda request, exam_id, **_: _my_exam(request, int(exam_id)))
def take_exam(request, payload: shapes.AnswersIn, exam_id: int = ExamId):
    member = _me(request)
    exam = _my_exam(request, exam_id)
    attempt = services.take_exam(exam=exam, member=member, answers=payload.answers)
    return ninja.Status(201, attempt_out(attempt))


# Contests and qualifications -----------------------------------------------------------------


@router.get("/learning/contests", response={200: shapes.ContestPage, **ERRORS}, summary="技能竞赛")
def list_contests(request, filters: Query[shapes.ContestFilters]):
    return _paged(queries.contests(union_ids=_viewable(request), **filters.dict()), contest_out)


@router.post(
    "/learning/contests", response={201: shapes.ContestOut, **ERRORS}, summary="登记技能竞赛及成绩"
)
def create_contest(request, payload: shapes.ContestIn):
    union = _union_for_write(request, payload.union)
    people = {
        m.pk: m for m in _members_of(union.id, [r.member for r in payload.results], "results")
    }
    contest = services.record_contest(
        union=union,
        title=payload.title,
        trade=payload.trade,
        level=payload.level,
        on=payload.on,
        organiser=payload.organiser,
        results=[
            {"member": people[r.member], "score": r.score, "rank": r.rank, "award": r.award}
            for r in payload.results
        ],
        actor=request.auth,
    )
    return ninja.Status(201, contest_out(contest))


@router.get(
    "/learning/qualifications",
    response={200: shapes.QualificationPage, **ERRORS},
    summary="资格证书",
)
def list_qualifications(request, filters: Query[shapes.QualificationFilters]):
    found = queries.qualifications(union_ids=_viewable(request), **filters.dict())
    return _paged(found, qualification_out)


@router.post(
    "/learning/qualifications",
    response={201: shapes.QualificationOut, **ERRORS},
    summary="登记会员的资格证书（如工会主席任职资格）",
)
def create_qualification(request, payload: shapes.QualificationIn):
    member = Member.objects.filter(pk=payload.member).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_LEARNING, member.union_id)
    found = services.add_qualification(
        member=member,
        kind=payload.kind,
        title=payload.title,
        obtained_on=payload.obtained_on,
        issuer=payload.issuer,
        number=payload.number,
        expires_on=payload.expires_on,
        session=_own(
            TrainingSession, member.union_id, payload.session, "session", "本工会中未找到该培训"
        ),
        actor=request.auth,
    )
    return ninja.Status(201, qualification_out(found))


@router.get(
    "/learning/members/{member_id}/record",
    response={200: shapes.MemberRecordOut, **ERRORS},
    summary="会员学习档案：培训、学时、证书、考试",
)
@guard(Perm.VIEW_LEARNING, member_id=Member)
def member_record(request, member_id: int = MemberId):
    member = _find(request, Member.objects.all(), member_id)
    found = learning_queries.member_record(member=member)
    return {
        "member": _ref(member),
        "hours": f"{found['hours']}",
        "trainings": [training_out(t) for t in found["trainings"]],
        "qualifications": [qualification_out(q) for q in found["qualifications"]],
        "attempts": [attempt_out(a) for a in found["attempts"]],
    }
