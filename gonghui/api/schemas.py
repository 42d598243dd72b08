"""Request and response shapes of the API.

String limits mirror the model columns so an oversized value is refused with
a message instead of failing in the database; control characters are refused
everywhere (PostgreSQL rejects NUL, and nothing legitimate contains them).
"""

import unicodedata
from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from gonghui.api.strict import Strict, TextFields
from gonghui.members.models import Member, Status, StatusChange

MAX_ID = 2**63 - 1


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("含有不可见的控制字符")
    return value


def text(max_length: int):
    return Annotated[str, Field(max_length=max_length), AfterValidator(_no_control_characters)]


def _limit(model, field: str) -> int:
    return model._meta.get_field(field).max_length


ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
GenderValue = Literal["M", "F"]


# Orgs -----------------------------------------------------------------------


class UnionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    members_count: int


class DepartmentOut(Schema):
    id: int
    union: int
    name: str


class DepartmentIn(Strict):
    name: text(80)


class GroupOut(Schema):
    id: int
    union: int
    name: str
    department: int | None
    members_count: int


class GroupIn(Strict):
    name: text(80)
    department: ObjectId | None = None


# Members --------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    union: int
    union_code: str
    name: str
    gender: str
    gender_label: str
    birth_date: date
    id_number_masked: str
    phone_masked: str
    employee_number: str
    department: Ref | None
    group: Ref | None
    position: str
    education: str
    political_status: str
    ethnicity: str
    joined_on: date
    status: str
    status_label: str
    status_since: date | None
    left_on: date | None


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class MemberFilters(TextFields):
    union: ObjectId | None = None
    group: ObjectId | None = None
    department: ObjectId | None = None
    status: StatusValue | None = None
    gender: GenderValue | None = None
    joined_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    q: text(100) | None = None
    cursor: text(40) | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class MemberFields(Strict):
    name: text(_limit(Member, "name")) | None = None
    id_number: text(30) | None = None
    gender: GenderValue | None = None
    birth_date: date | None = None
    phone: text(30) | None = None
    employee_number: text(_limit(Member, "employee_number")) | None = None
    department: ObjectId | None = None
    group: ObjectId | None = None
    position: text(_limit(Member, "position")) | None = None
    education: text(_limit(Member, "education")) | None = None
    political_status: text(_limit(Member, "political_status")) | None = None
    ethnicity: text(_limit(Member, "ethnicity")) | None = None
    joined_on: date | None = None


class MemberIn(MemberFields):
    union: ObjectId
    name: text(_limit(Member, "name"))
    id_number: text(30)
    joined_on: date


class MemberPatch(MemberFields):
    pass


class StatusIn(Strict):
    to: StatusValue
    on: date
    reason: text(_limit(StatusChange, "reason"))


class StatusChangeOut(Schema):
    id: int
    member: int
    from_status: str
    to_status: str
    on: date
    reason: str


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
