"""Reads of 学习培训 and its registered metrics.

A training belongs to the period its date falls in, an exam sitting to the
day it was handed in, a daily answer to its day. 知晓率 (awareness) is the
share of the members on the roll at the period's end who answered some
question correctly at least once in the period (the daily question or an
exam); 合格率 (pass rate) is passed sittings over sittings.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from gonghui.learning.models import (
    Attempt,
    DailyAnswer,
    DailyQuestion,
    Exam,
    Qualification,
    SkillContest,
    SkillResult,
    TrainingKind,
    TrainingSession,
)
from gonghui.members.models import Member
from gonghui.members.queries import on_roll_at
from gonghui.members.rolls import ALL, on_roll_per_union
from gonghui.reports.registry import metric, ratio

NO_GROUP = "未分组"


# The quiz engine's results (the interface other areas call) -------------------------------


def exam_audience(exam: Exam, *, today: date | None = None) -> QuerySet:
    """Members expected to take the exam: on the roll at its close (or today,
    while it runs), in its groups when it names any."""
    today = today or timezone.localdate()
    day = min(timezone.localtime(exam.closes_at).date(), today)
    members = on_roll_at([exam.union_id], day)
    group_ids = list(exam.groups.values_list("pk", flat=True))
    if group_ids:
        members = members.filter(group_id__in=group_ids)
    return members


def exam_results(exam: Exam) -> list[tuple[Member, int, bool]]:
    """(member, score, passed) for every sitting of the exam, best score first."""
    attempts = (
        Attempt.objects.filter(exam=exam)
        .select_related("member", "member__group")
        .order_by("-score", "submitted_at", "pk")
    )
    return [(a.member, a.score, a.passed) for a in attempts]


def _percent(top: int, bottom: int) -> float:
    return round(top * 100 / bottom, 1) if bottom else 0.0


@dataclass(frozen=True)
class GroupParticipation:
    """One group's figures for an exam. `group` is None for members in no group."""

    group: object
    audience: int
    took: int
    passed: int
    aware: int

    @property
    def name(self) -> str:
        return self.group.name if self.group is not None else NO_GROUP

    @property
    def take_rate(self) -> float:
        return _percent(self.took, self.audience)

    @property
    def awareness_rate(self) -> float:
        """知晓率: members with at least one right answer over the audience."""
        return _percent(self.aware, self.audience)

    @property
    def pass_rate(self) -> float:
        """合格率: passed over those who took it."""
        return _percent(self.passed, self.took)

    def __iter__(self):
        # Unpacks as (audience, took, passed), the agreed interface.
        return iter((self.audience, self.took, self.passed))


def group_participation(exam: Exam) -> list[GroupParticipation]:
    """Per group: audience, sittings, passed and aware members; groups by name,
    members in no group last."""
    from gonghui.orgs.models import Group

    audience = dict(exam_audience(exam).values_list("group_id").annotate(n=Count("pk")).order_by())
    rows = (
        Attempt.objects.filter(exam=exam)
        .values_list("member__group_id")
        .annotate(
            took=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
            aware=Count("pk", filter=Q(correct__gt=0)),
        )
        .order_by()
    )
    sat = {group_id: (took, passed, aware) for group_id, took, passed, aware in rows}
    ids = set(audience) | set(sat)
    groups = {g.pk: g for g in Group.objects.filter(pk__in=[i for i in ids if i is not None])}
    out = [
        GroupParticipation(groups.get(i), audience.get(i, 0), *sat.get(i, (0, 0, 0))) for i in ids
    ]
    return sorted(out, key=lambda r: (r.group is None, r.name))


def exam_summary(exam: Exam) -> GroupParticipation:
    """The whole exam's figures, as one row without a group."""
    rows = group_participation(exam)
    return GroupParticipation(
        None,
        sum(r.audience for r in rows),
        sum(r.took for r in rows),
        sum(r.passed for r in rows),
        sum(r.aware for r in rows),
    )


def question_stats(exam: Exam) -> list[tuple]:
    """(question, answered right, sittings) per question of the exam."""
    questions = list(exam.questions.order_by("pk"))
    right = dict.fromkeys((q.pk for q in questions), 0)
    key = {str(q.pk): list(q.answer) for q in questions}
    sittings = 0
    for answers in Attempt.objects.filter(exam=exam).values_list("answers", flat=True):
        sittings += 1
        for qid, chosen in (answers or {}).items():
            if key.get(qid) == chosen:
                right[int(qid)] += 1
    return [(q, right[q.pk], sittings) for q in questions]


# What a member sees ---------------------------------------------------------------------------


def daily_for(*, union, day: date) -> DailyQuestion | None:
    return DailyQuestion.objects.filter(union=union, on=day).select_related("question").first()


def daily_answer_of(*, daily: DailyQuestion, member: Member) -> DailyAnswer | None:
    return DailyAnswer.objects.filter(daily=daily, member=member).first()


def daily_streak(*, member: Member, year: int) -> dict:
    answers = DailyAnswer.objects.filter(member=member, on__year=year)
    return {"answered": answers.count(), "correct": answers.filter(correct=True).count()}


def exams_for(*, member: Member, now: datetime | None = None) -> list[tuple[Exam, Attempt | None]]:
    """The exams of the member's union open to them now or already taken by them,
    each with the member's sitting (None when not taken)."""
    now = now or timezone.now()
    taken = {a.exam_id: a for a in Attempt.objects.filter(member=member)}
    exams = Exam.objects.filter(union_id=member.union_id).filter(
        Q(opens_at__lte=now, closes_at__gte=now) | Q(pk__in=list(taken))
    )
    exams = exams.filter(Q(groups__isnull=True) | Q(groups=member.group_id) | Q(pk__in=list(taken)))
    return [(e, taken.get(e.pk)) for e in exams.distinct().order_by("closes_at", "pk")]


def trainings_of(*, member: Member) -> QuerySet:
    return TrainingSession.objects.filter(attendees=member).order_by("-on", "-id")


def qualifications_of(*, member: Member) -> QuerySet:
    return Qualification.objects.filter(member=member).order_by("-obtained_on", "-id")


def contest_results_of(*, member: Member) -> QuerySet:
    return (
        SkillResult.objects.filter(member=member)
        .select_related("contest")
        .order_by("-contest__on", "-id")
    )


def member_record(*, member: Member) -> dict:
    """A member's learning record: trainings with hours, certificates, exams, contests."""
    trainings = list(trainings_of(member=member))
    return {
        "trainings": trainings,
        "hours": sum((t.hours for t in trainings), start=0),
        "qualifications": list(qualifications_of(member=member)),
        "attempts": list(
            Attempt.objects.filter(member=member).select_related("exam").order_by("-submitted_at")
        ),
        "contests": list(contest_results_of(member=member)),
    }


# Metrics ------------------------------------------------------------------------------------


def _kind_label() -> Case:
    return Case(
        *[When(kind=v, then=Value(label)) for v, label in TrainingKind.choices],
        default=Value("其他"),
        output_field=CharField(),
    )


def sessions_in(unions, period) -> QuerySet:
    return TrainingSession.objects.filter(union__in=unions, on__range=period.bounds)


@metric(
    "learning.trainings",
    label="培训场次",
    unit="场",
    breakdown="kind_label",
    description="本期举办的培训，按培训类别分",
)
def trainings(unions, period):
    return sessions_in(unions, period).annotate(kind_label=_kind_label())


@metric("learning.training_hours", label="培训学时", unit="学时", sum_field="hours")
def training_hours(unions, period):
    return sessions_in(unions, period)


def attendance_in(unions, period) -> QuerySet:
    return TrainingSession.attendees.through.objects.filter(
        trainingsession__union__in=unions, trainingsession__on__range=period.bounds
    )


@metric("learning.attendances", label="参训人次", unit="人次")
def attendances(unions, period):
    return attendance_in(unions, period).select_related("trainingsession", "member")


@metric(
    "learning.participants", label="参训人数", unit="人", description="本期参加培训的会员（去重）"
)
def participants(unions, period):
    return Member.objects.filter(
        union__in=unions, pk__in=attendance_in(unions, period).values("member_id")
    )


@metric("learning.daily_answers", label="每日一题答题人次", unit="人次")
def daily_answers(unions, period):
    return DailyAnswer.objects.filter(union__in=unions, on__range=period.bounds).select_related(
        "member"
    )


@metric("learning.exam_sittings", label="参考人次", unit="人次", description="本期交卷的答卷")
def exam_sittings(unions, period):
    return Attempt.objects.filter(union__in=unions, on__range=period.bounds).select_related(
        "member", "exam"
    )


@metric("learning.exam_passed", label="考试合格人次", unit="人次")
def exam_passed(unions, period):
    return exam_sittings(unions, period).filter(passed=True)


ratio(
    "learning.pass_rate",
    label="合格率",
    numerator="learning.exam_passed",
    denominator="learning.exam_sittings",
    description="本期考试合格的答卷 ÷ 本期交卷的答卷",
)


@metric(
    "learning.audience",
    label="应知应会覆盖会员",
    unit="人",
    description="期末在册会员",
    per_union=on_roll_per_union(ALL),
)
def audience(unions, period):
    return on_roll_at(unions, period.end)


@metric(
    "learning.members_aware",
    label="知晓会员",
    unit="人",
    description="期末在册、本期至少答对过一道题（每日一题或考试）的会员",
)
def members_aware(unions, period):
    daily = DailyAnswer.objects.filter(union__in=unions, on__range=period.bounds, correct=True)
    exams = Attempt.objects.filter(union__in=unions, on__range=period.bounds, correct__gt=0)
    # One IN over a UNION: an OR of two IN subqueries makes SQLite scan the roll.
    answered = daily.values("member_id").order_by().union(exams.values("member_id").order_by())
    return on_roll_at(unions, period.end).filter(pk__in=answered)


ratio(
    "learning.awareness_rate",
    label="知晓率",
    numerator="learning.members_aware",
    denominator="learning.audience",
    description="本期至少答对过一次的在册会员 ÷ 期末在册会员",
)


@metric("learning.contests", label="技能竞赛", unit="项")
def contests(unions, period):
    return SkillContest.objects.filter(union__in=unions, on__range=period.bounds)


@metric("learning.contest_entrants", label="技能竞赛参赛人次", unit="人次")
def contest_entrants(unions, period):
    return SkillResult.objects.filter(
        union__in=unions, contest__on__range=period.bounds
    ).select_related("member", "contest")


@metric("learning.qualifications", label="取得资格证书", unit="本", breakdown="kind")
def qualifications(unions, period):
    return Qualification.objects.filter(
        union__in=unions, obtained_on__range=period.bounds
    ).select_related("member")
