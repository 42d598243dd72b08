"""Request and response shapes of the activities endpoints."""

from datetime import date, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

from gonghui.activities.models import Activity, ActivityType, Audience, AwardLevel
from gonghui.api.schemas import ObjectId, Ref, Strict, text
from gonghui.api.schemas_finance import Money, MoneyText
from gonghui.api.strict import TextFields


def _aware(value: datetime) -> datetime:
    """A time without a zone is read as Beijing time (the system's zone)."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


Moment = Annotated[datetime, AfterValidator(_aware)]
TypeValue = Literal[tuple(ActivityType.values)]  # type: ignore[valid-type]
AudienceValue = Literal[tuple(Audience.values)]  # type: ignore[valid-type]
AwardValue = Literal[tuple(AwardLevel.values)]  # type: ignore[valid-type]
Capacity = Annotated[int, Field(ge=0, le=1_000_000)]
Ids = Annotated[list[ObjectId], Field(max_length=500)]


def _limit(field: str) -> int:
    return Activity._meta.get_field(field).max_length


class ActivityFilters(TextFields):
    union: ObjectId | None = None
    type: TypeValue | None = None
    starts_from: date | None = Field(None, description="开始日期不早于（含）")
    starts_until: date | None = Field(None, description="开始日期不晚于（含）")
    open_for_sign_up: bool | None = Field(None, description="true：只列出现在可以报名的活动")
    cursor: text(40) | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class ActivityFields(Strict):
    title: text(_limit("title")) | None = None
    type: TypeValue | None = None
    starts_at: Moment | None = None
    ends_at: Moment | None = None
    place: text(_limit("place")) | None = None
    organiser: text(_limit("organiser")) | None = None
    audience: AudienceValue | None = None
    audience_groups: Ids | None = None
    capacity: Capacity | None = None
    signup_opens_at: Moment | None = None
    signup_closes_at: Moment | None = None
    description: text(5000) | None = None
    cost: Money | None = None
    club: ObjectId | None = None


class ActivityIn(ActivityFields):
    union: ObjectId
    title: text(_limit("title"))
    type: TypeValue
    starts_at: Moment
    ends_at: Moment


class ActivityPatch(ActivityFields):
    pass


class Participation(Schema):
    attendees: int
    audience: int
    rate: str = Field(description="参与率（%），一位小数")


class ActivityOut(Schema):
    id: int
    union: int
    title: str
    type: str
    type_label: str
    starts_at: datetime
    ends_at: datetime
    place: str
    organiser: str
    audience: str
    audience_label: str
    audience_groups: list[int]
    capacity: int | None
    admitted: int
    waiting: int
    seats_left: int | None
    signup_opens_at: datetime | None
    signup_closes_at: datetime | None
    open_for_sign_up: bool
    description: str
    cost: MoneyText | None
    club: int | None


class ActivityDetail(ActivityOut):
    participation: Participation


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class SignUpIn(Strict):
    member: ObjectId


class SignUpOut(Schema):
    id: int
    activity: int
    member: Ref
    state: str
    state_label: str
    waiting_place: int | None
    created_at: datetime
    cancelled_at: datetime | None


class CancelOut(Schema):
    signup: SignUpOut
    promoted: list[SignUpOut]


class CheckInIn(Strict):
    token: text(64)
    member: ObjectId


class AttendanceOut(Schema):
    id: int
    activity: int
    member: Ref
    how: str
    how_label: str
    at: datetime


class AttendanceIn(Strict):
    present: Ids = []
    absent: Ids = []


class AttendanceResult(Schema):
    added: list[AttendanceOut]
    removed: int


class ResultIn(Strict):
    award_level: AwardValue
    group: ObjectId | None = None
    member: ObjectId | None = None
    rank: Annotated[int, Field(ge=-1000, le=32767)] | None = None
    prize: text(120) = ""
    cost: Money | None = None


class ResultOut(Schema):
    id: int
    activity: int
    group: Ref | None
    member: Ref | None
    rank: int | None
    award_level: str
    award_label: str
    prize: str
    cost: MoneyText
    recorded_at: datetime
