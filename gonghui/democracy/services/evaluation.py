"""Every write of a democratic evaluation (民主评议).

Rating follows the ballot's separation: the rater's roll entry flips from not
done to done with a conditional UPDATE, and a sheet naming no rater is written
in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.democracy.models.evaluation import (
    Evaluation,
    EvaluationRoll,
    EvaluationSheet,
    Evaluee,
    Grade,
)
from gonghui.members.models import Member, Status


@transaction.atomic
def create_evaluation(
    *,
    union,
    title: str,
    year: int,
    opens_at,
    closes_at,
    evaluees: list[tuple[str, str]],
    raters=None,
    notes: str = "",
    actor=None,
) -> Evaluation:
    """An evaluation of the given (name, role) people. The roll is `raters` (ids of
    active members of the union, e.g. the representatives) or, by default, every
    active member of the union."""
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "评议名称不能为空"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "年度应为四位数字，如 2025"
    if opens_at is None or closes_at is None or closes_at <= opens_at:
        errors["closes_at"] = "截止时间应晚于开始时间"
    people = [((n or "").strip(), (r or "").strip()) for n, r in evaluees or []]
    people = [(n, r) for n, r in people if n]
    if not people:
        errors["evaluees"] = "请至少填写一名被评议人"
    names = [n for n, _ in people]
    if len(set(names)) != len(names):
        errors["evaluees"] = "被评议人姓名重复"
    for i, (name, role) in enumerate(people, start=1):
        if not role:
            errors["evaluees"] = f"第{i}名被评议人“{name}”缺少职务"
        if len(name) > 40 or len(role) > 60:
            errors["evaluees"] = f"第{i}名被评议人的姓名或职务过长"
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation.objects.create(
        union=union,
        title=title,
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        notes=notes or "",
    )
    Evaluee.objects.bulk_create(
        Evaluee(union=union, evaluation=evaluation, name=n, role=r, position=i)
        for i, (n, r) in enumerate(people, start=1)
    )
    member_ids = Member.objects.filter(union=union, status=Status.ACTIVE).values_list(
        "pk", flat=True
    )
    if raters is not None:
        member_ids = member_ids.filter(pk__in=list(raters))
    EvaluationRoll.objects.bulk_create(
        [EvaluationRoll(union=union, evaluation=evaluation, member_id=m) for m in member_ids],
        batch_size=1000,
    )
    return evaluation


def read_sheet(evaluation: Evaluation, answers: dict) -> dict:
    """The sheet in canonical form; every evaluee needs a grade."""
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "评议表格式不正确"})
    grades = answers.get("g") or {}
    comments = answers.get("m") or {}
    if not isinstance(grades, dict) or not isinstance(comments, dict):
        raise ValidationError({"answers": "评议表格式不正确"})
    people = list(Evaluee.objects.filter(evaluation=evaluation))
    clean_grades, clean_comments = {}, {}
    for person in people:
        grade = grades.get(str(person.pk))
        if not grade:
            raise ValidationError({"answers": f"请为{person.role}{person.name}选择评议等次"})
        if grade not in Grade.values:
            raise ValidationError({"answers": f"对{person.name}的评议等次“{grade}”无法识别"})
        clean_grades[str(person.pk)] = grade
        comment = str(comments.get(str(person.pk)) or "").strip()
        if len(comment) > 500:
            raise ValidationError({"answers": f"对{person.name}的意见不能超过500字"})
        if comment:
            clean_comments[str(person.pk)] = comment
    known = {str(p.pk) for p in people}
    if set(grades) - known or set(comments) - known:
        raise ValidationError({"answers": "评议表中有不在本次评议名单中的人"})
    return {"g": clean_grades, "m": clean_comments}


@transaction.atomic
def submit_sheet(
    *, evaluation: Evaluation, member: Member, answers: dict, now=None
) -> EvaluationSheet:
    """Record one member's ratings anonymously; a second sheet is refused."""
    now = now or timezone.now()
    if evaluation.closed or now >= evaluation.closes_at:
        raise ValidationError({"evaluation": "评议已经截止"})
    if now < evaluation.opens_at:
        raise ValidationError({"evaluation": "评议尚未开始"})
    clean = read_sheet(evaluation, answers)
    flipped = EvaluationRoll.objects.filter(
        evaluation=evaluation, member=member, done=False
    ).update(done=True)
    if flipped != 1:
        if EvaluationRoll.objects.filter(evaluation=evaluation, member=member).exists():
            raise ValidationError({"evaluation": "您已经参加过本次评议，每人只能评议一次"})
        raise ValidationError({"evaluation": "您不在本次评议的参评人名单中"})
    return EvaluationSheet.objects.create(
        union_id=evaluation.union_id, evaluation=evaluation, answers=clean
    )


@transaction.atomic
def close_evaluation(*, evaluation: Evaluation, actor=None) -> Evaluation:
    """Close and write each person's counts."""
    changed = Evaluation.objects.filter(pk=evaluation.pk, closed=False).update(closed=True)
    if changed != 1:
        raise ValidationError({"evaluation": "评议已经结束"})
    people = list(Evaluee.objects.filter(evaluation=evaluation))
    for person in people:
        person.ratings = person.excellent = person.competent = 0
        person.basic = person.incompetent = 0
    by_pk = {str(p.pk): p for p in people}
    for answers in EvaluationSheet.objects.filter(evaluation=evaluation).values_list(
        "answers", flat=True
    ):
        for pk, grade in answers.get("g", {}).items():
            person = by_pk.get(pk)
            if person is None:
                continue
            person.ratings += 1
            setattr(person, grade, getattr(person, grade) + 1)
    Evaluee.objects.bulk_update(
        people, ["ratings", "excellent", "competent", "basic", "incompetent"]
    )
    evaluation.closed = True
    return evaluation


@transaction.atomic
def publish_evaluation(*, evaluation: Evaluation, actor):
    if not evaluation.closed:
        raise ValidationError({"evaluation": "评议结束后才能公布结果"})
    from django.template.loader import render_to_string

    from gonghui.democracy.queries.evaluation import results
    from gonghui.disclosure import services as disclosure

    body = render_to_string(
        "democracy/elections/evaluation_published.html",
        {"evaluation": evaluation, "r": results(evaluation)},
    )
    return disclosure.publish(
        union=evaluation.union,
        category="personnel",
        title=f"{evaluation.title}结果公告",
        body=body,
        audience="all",
        source=evaluation,
        actor=actor,
    )
