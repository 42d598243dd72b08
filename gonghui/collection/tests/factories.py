from dataclasses import dataclass, field
from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from gonghui.collection import services
from gonghui.orgs.models import Union, UnionKind
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import UnionFactory, UserFactory, user_with_role
from gonghui.reports.models import ReportKind, ReportState, ReportVersion, SummaryReport

YEAR = date(2026, 1, 1), date(2026, 6, 30)
TODAY = date(2026, 5, 20)


class SummaryReportFactory(DjangoModelFactory):
    """A unit's half-year summary with one version; locked unless `state` says otherwise."""

    class Meta:
        model = SummaryReport
        skip_postgeneration_save = True

    union = factory.SubFactory(UnionFactory)
    kind = ReportKind.HALF_YEAR
    start, end = YEAR
    title = factory.LazyAttribute(lambda o: f"{o.union.name}2026年上半年工作总结")
    state = ReportState.SUBMITTED
    created_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if create:
            ReportVersion.objects.create(
                union=obj.union,
                report=obj,
                number=1,
                body=extracted or f"<h1>{obj.title}</h1><p>上半年，我会认真履职。</p>",
                created_by=obj.created_by,
            )


@dataclass
class Tree:
    """A city federation with two districts of two units each, and a unit directly below."""

    city: Union
    districts: list[Union]
    units: list[Union]
    staff: object
    chairs: dict = field(default_factory=dict)

    def chair(self, unit: Union):
        if unit.pk not in self.chairs:
            self.chairs[unit.pk] = user_with_role(unit, Role.CHAIR)
        return self.chairs[unit.pk]


def tree(prefix: str = "c") -> Tree:
    city = UnionFactory(code=f"{prefix}-city", name="海州市总工会", kind=UnionKind.FEDERATION)
    east = UnionFactory(
        code=f"{prefix}-east", name="海州市东区总工会", kind=UnionKind.FEDERATION, parent=city
    )
    west = UnionFactory(
        code=f"{prefix}-west", name="海州市西区总工会", kind=UnionKind.FEDERATION, parent=city
    )
    units = [
        UnionFactory(code=f"{prefix}-e1", name="东区实验小学工会", parent=east),
        UnionFactory(code=f"{prefix}-e2", name="东区机械厂工会", kind="enterprise", parent=east),
        UnionFactory(code=f"{prefix}-w1", name="西区中学工会", parent=west),
        UnionFactory(code=f"{prefix}-w2", name="西区物流公司工会", kind="enterprise", parent=west),
        UnionFactory(code=f"{prefix}-d1", name="市直机关工会", kind="institution", parent=city),
    ]
    staff = user_with_role(city, Role.UPPER_STAFF)
    return Tree(city=city, districts=[east, west], units=units, staff=staff)


def issue(t: Tree, *, kind=ReportKind.HALF_YEAR, deadline=date(2026, 7, 15), **kwargs):
    kwargs.setdefault("everyone", True)
    return services.issue_request(
        union=t.city,
        kind=kind,
        start=YEAR[0],
        end=YEAR[1],
        deadline=deadline,
        actor=t.staff,
        today=TODAY,
        **kwargs,
    )
