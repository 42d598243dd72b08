"""Safety test helpers: a union with its people, photos, and cards at each step."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.members.tests.factories import MemberFactory
from gonghui.orgs.roles import Role
from gonghui.orgs.tests.factories import DepartmentFactory, UnionFactory, user_with_role
from gonghui.safety import services
from gonghui.safety.models import Category, Severity


def photo(name: str = "现场.jpg", *, gps: bool = False) -> SimpleUploadedFile:
    """A small JPEG; with gps=True it carries an EXIF GPS position."""
    image = Image.new("RGB", (40, 30), (200, 80, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (29.0, 52.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)}
        exif[0x010F] = "SpyCam"
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


class Team:
    """A union with a department, its handler, a reception clerk (committee)
    and two safety supervisors."""

    def __init__(self, union=None):
        self.union = union or UnionFactory()
        self.department = DepartmentFactory(union=self.union, name="后勤处")
        self.clerk = user_with_role(self.union, Role.COMMITTEE)
        self.supervisor = user_with_role(self.union, Role.SAFETY)
        self.other_supervisor = user_with_role(self.union, Role.SAFETY)
        self.handler = user_with_role(self.union, Role.HANDLER)
        self.handler_member = MemberFactory(
            union=self.union, user=self.handler, department=self.department
        )


def today():
    return timezone.localdate()


def report(team: Team, **kwargs):
    kwargs.setdefault("place", "三号楼楼梯间")
    kwargs.setdefault("description", "灭火器压力不足，指针在红区")
    kwargs.setdefault("category", Category.FIRE)
    kwargs.setdefault("severity", Severity.MINOR)
    kwargs.setdefault("actor", team.clerk)
    return services.report_hazard(union=team.union, **kwargs)


def assigned(team: Team, **kwargs):
    hazard = report(team, **kwargs)
    return services.assign_hazard(hazard=hazard, department=team.department, actor=team.clerk)


def in_work(team: Team, **kwargs):
    hazard = assigned(team, **kwargs)
    return services.plan_rectification(
        hazard=hazard,
        measures="更换灭火器",
        deadline=today() + timedelta(days=7),
        actor=team.handler,
    )


def rectified(team: Team, **kwargs):
    hazard = in_work(team, **kwargs)
    return services.rectify_hazard(
        hazard=hazard, rectification="已更换两具灭火器", evidence=[photo()], actor=team.handler
    )
