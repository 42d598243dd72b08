"""Reads behind the learning endpoints: records of the unions the caller may
see, filtered and paged by id."""

from django.db.models import Q

from gonghui.api.queries_finance import page
from gonghui.learning.models import Exam, Qualification, Question, SkillContest, TrainingSession


def _in(rows, union_ids, union):
    rows = rows.filter(union_id__in=union_ids)
    return rows.filter(union_id=union) if union is not None else rows


def trainings(
    *, union_ids, union=None, kind=None, member=None, on_from=None, on_until=None, **paging
):
    rows = _in(TrainingSession.objects.prefetch_related("attendees"), union_ids, union)
    if kind:
        rows = rows.filter(kind=kind)
    if member is not None:
        rows = rows.filter(attendees=member)
    if on_from is not None:
        rows = rows.filter(on__gte=on_from)
    if on_until is not None:
        rows = rows.filter(on__lte=on_until)
    return page(rows, **paging)


def questions(*, union_ids, union=None, kind=None, category=None, **paging):
    rows = _in(Question.objects.all(), union_ids, union)
    if kind:
        rows = rows.filter(kind=kind)
    if category is not None:
        rows = rows.filter(category_id=category)
    return page(rows, **paging)


def exams(*, union_ids, union=None, open_at=None, **paging):
    rows = _in(Exam.objects.prefetch_related("groups", "questions"), union_ids, union)
    if open_at is not None:
        rows = rows.filter(Q(opens_at__lte=open_at) & Q(closes_at__gte=open_at))
    return page(rows, **paging)


def contests(*, union_ids, union=None, year=None, **paging):
    rows = _in(SkillContest.objects.prefetch_related("results__member"), union_ids, union)
    if year is not None:
        rows = rows.filter(on__year=year)
    return page(rows, **paging)


def qualifications(*, union_ids, union=None, member=None, kind=None, **paging):
    rows = _in(Qualification.objects.select_related("member"), union_ids, union)
    if member is not None:
        rows = rows.filter(member_id=member)
    if kind:
        rows = rows.filter(kind=kind)
    return page(rows, **paging)
