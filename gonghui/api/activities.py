"""Activities: list and read, create and change, sign members up and cancel
(staff on a member's behalf), check in by QR token, tick the attendance list,
contest results, and the photos kept as attachments.

Every write goes through activities.services; members and groups named in a
body are looked up in the activity's own union, so another union's id is
simply not found.
"""

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from gonghui.activities import queries as activity_queries
from gonghui.activities import services
from gonghui.activities.models import Activity, Club, SignUp, SignUpState
from gonghui.api import queries_activities as queries
from gonghui.api import schemas
from gonghui.api import schemas_activities as shapes
from gonghui.api import schemas_attachments as attachments
from gonghui.api.access import require, union_or_404
from gonghui.api.guards import guard
from gonghui.api.schemas_finance import money_text
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm

router = Router(tags=["活动"])

ActivityId = Path(..., ge=1, le=schemas.MAX_ID, description="活动编号")
SignUpId = Path(..., ge=1, le=schemas.MAX_ID, description="报名编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}


def _activity(request, activity_id: int, perm: str = Perm.VIEW_ACTIVITIES) -> Activity:
    activity = queries.with_counts(Activity.objects.filter(pk=activity_id)).first()
    if activity is None:
        raise Http404
    require(request, Perm.VIEW_ACTIVITIES, activity.union_id)
    require(request, perm, activity.union_id)
    return activity


def _members_of(activity: Activity, ids, field: str) -> list[Member]:
    """Members of the activity's union with these ids, or a field error naming the missing ids."""
    ids = list(dict.fromkeys(ids))
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids, union_id=activity.union_id)}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: "本工会中未找到以下会员编号：" + "、".join(missing[:20])})
    return [found[pk] for pk in ids]


def _references(request, union_id: int, data: dict) -> dict:
    """Swap group and club ids for objects of the activity's union."""
    if data.get("audience_groups") is not None:
        ids = list(dict.fromkeys(data["audience_groups"]))
        groups = list(Group.objects.filter(pk__in=ids, union_id=union_id))
        if len(groups) != len(ids):
            raise ValidationError({"audience_groups": "未找到所选工会小组"})
        data["audience_groups"] = groups
    if data.get("club") is not None:
        club = Club.objects.filter(pk=data["club"], union_id=union_id).first()
        if club is None:
            raise ValidationError({"club": "未找到所选社团"})
        data["club"] = club
    return data


# Shapes out ---------------------------------------------------------------------------


def _local(moment):
    """Times leave in Beijing time (+08:00), as the union reads them."""
    return timezone.localtime(moment) if moment is not None else None


def activity_out(activity: Activity, now=None) -> dict:
    now = now or timezone.now()
    closes = activity.signup_closes_at or activity.starts_at
    is_open = (
        activity.signup_opens_at is not None
        and activity.signup_opens_at <= now
        and (now <= closes if activity.signup_closes_at else now < closes)
    )
    return {
        "id": activity.id,
        "union": activity.union_id,
        "title": activity.title,
        "type": activity.type,
        "type_label": activity.get_type_display(),
        "starts_at": _local(activity.starts_at),
        "ends_at": _local(activity.ends_at),
        "place": activity.place,
        "organiser": activity.organiser,
        "audience": activity.audience,
        "audience_label": activity.get_audience_display(),
        "audience_groups": sorted(g.pk for g in activity.audience_groups.all()),
        "capacity": activity.capacity,
        "admitted": activity.admitted,
        "waiting": activity.waiting_count,
        "seats_left": activity.seats_left,
        "signup_opens_at": _local(activity.signup_opens_at),
        "signup_closes_at": _local(activity.signup_closes_at),
        "open_for_sign_up": is_open,
        "description": activity.description,
        "cost": money_text(activity.cost),
        "club": activity.club_id,
    }


def activity_detail(activity: Activity) -> dict:
    figures = activity_queries.participation(activity)
    return {
        **activity_out(activity),
        "participation": {
            "attendees": figures["attendees"],
            "audience": figures["audience"],
            "rate": f"{figures['rate']:f}",
        },
    }


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def signup_out(signup: SignUp) -> dict:
    return {
        "id": signup.id,
        "activity": signup.activity_id,
        "member": _ref(signup.member),
        "state": signup.state,
        "state_label": signup.get_state_display(),
        "waiting_place": activity_queries.waiting_place(signup)
        if signup.state == SignUpState.WAITING
        else None,
        "created_at": _local(signup.created_at),
        "cancelled_at": _local(signup.cancelled_at),
    }


def attendance_out(attendance) -> dict:
    return {
        "id": attendance.id,
        "activity": attendance.activity_id,
        "member": _ref(attendance.member),
        "how": attendance.how,
        "how_label": attendance.get_how_display(),
        "at": _local(attendance.at),
    }


def result_out(result) -> dict:
    return {
        "id": result.id,
        "activity": result.activity_id,
        "group": _ref(result.group),
        "member": _ref(result.member),
        "rank": result.rank,
        "award_level": result.award_level,
        "award_label": result.get_award_level_display(),
        "prize": result.prize,
        "cost": money_text(result.cost),
        "recorded_at": _local(result.recorded_at),
    }


# Activities ---------------------------------------------------------------------------


@router.get("/activities", response={200: shapes.ActivityPage, **ERRORS}, summary="活动列表")
def list_activities(request, filters: Query[shapes.ActivityFilters]):
    """Activities in id order, `limit` per page; pass `next_cursor` back as `cursor`."""
    union_ids = request.access.unions_with(Perm.VIEW_ACTIVITIES)
    if not union_ids:
        raise HttpError(403, "您没有查看活动的权限")
    rows, next_cursor = queries.activity_page(union_ids=union_ids, **filters.dict())
    now = timezone.now()
    return {"items": [activity_out(a, now) for a in rows], "next_cursor": next_cursor}


@router.post("/activities", response={201: shapes.ActivityDetail, **ERRORS}, summary="新建活动")
def create_activity(request, payload: shapes.ActivityIn):
    data = payload.dict(exclude_unset=True)
    try:
        union = union_or_404(request, data.pop("union"))
    except Http404:
        raise ValidationError({"union": "未找到该工会"}) from None
    require(request, Perm.CHANGE_ACTIVITIES, union.id)
    data = _references(request, union.id, data)
    activity = services.create_activity(union=union, actor=request.auth, **data)
    return ninja.Status(201, activity_detail(_activity(request, activity.pk)))


@router.get(
    "/activities/{activity_id}", response={200: shapes.ActivityDetail, **ERRORS}, summary="活动详情"
)
def get_activity(request, activity_id: int = ActivityId):
    return activity_detail(_activity(request, activity_id))


@router.patch(
    "/activities/{activity_id}", response={200: shapes.ActivityDetail, **ERRORS}, summary="修改活动"
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)
def update_activity(request, payload: shapes.ActivityPatch, activity_id: int = ActivityId):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    data = _references(request, activity.union_id, payload.dict(exclude_unset=True))
    services.update_activity(activity=activity, actor=request.auth, **data)
    return activity_detail(_activity(request, activity_id))


# Sign-ups -------------------------------------------------------------------------------


@router.get(
    "/activities/{activity_id}/signups",
    response={200: list[shapes.SignUpOut], **ERRORS},
    summary="活动的报名（含候补与已取消）",
)
def list_signups(request, activity_id: int = ActivityId):
    activity = _activity(request, activity_id)
    return [signup_out(s) for s in queries.signups_of(activity)]


@router.post(
    "/activities/{activity_id}/signups",
    response={201: shapes.SignUpOut, **ERRORS},
    summary="代会员报名（名额已满时进入候补）",
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)
def sign_up(request, payload: shapes.SignUpIn, activity_id: int = ActivityId):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    [member] = _members_of(activity, [payload.member], "member")
    signup = services.sign_up(activity=activity, member=member)
    return ninja.Status(201, signup_out(signup))


@router.post(
    "/activities/{activity_id}/signups/{signup_id}/cancel",
    response={200: shapes.CancelOut, **ERRORS},
    summary="代会员取消报名（空出的名额由候补依次递补）",
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity, signup_id=SignUp)
def cancel_sign_up(request, activity_id: int = ActivityId, signup_id: int = SignUpId):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    signup = SignUp.objects.select_related("member").filter(pk=signup_id, activity=activity).first()
    if signup is None:
        raise Http404
    promoted = services.cancel_sign_up(signup=signup)
    return {"signup": signup_out(signup), "promoted": [signup_out(s) for s in promoted]}


# Attendance -----------------------------------------------------------------------------


@router.post(
    "/check-ins",
    response={201: shapes.AttendanceOut, **ERRORS},
    summary="凭现场签到码为会员签到",
)
def check_in(request, payload: shapes.CheckInIn):
    member = Member.objects.filter(pk=payload.member).first()
    if member is None:
        raise ValidationError({"member": "未找到该会员"})
    require(request, Perm.CHANGE_ACTIVITIES, member.union_id)
    attendance = services.check_in_by_token(token=payload.token, member=member)
    return ninja.Status(201, attendance_out(attendance))


@router.post(
    "/activities/{activity_id}/attendance",
    response={200: shapes.AttendanceResult, **ERRORS},
    summary="工作人员点名：记录出席（present）与撤销误记（absent）",
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)
def record_attendance(request, payload: shapes.AttendanceIn, activity_id: int = ActivityId):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    present = _members_of(activity, payload.present, "present")
    absent = _members_of(activity, payload.absent, "absent")
    both = {m.pk for m in present} & {m.pk for m in absent}
    if both:
        raise ValidationError({"absent": "同一会员不能同时出现在出席和撤销名单中"})
    added, removed = services.tick_attendance_list(
        activity=activity, present=present, absent=absent, actor=request.auth
    )
    return {"added": [attendance_out(a) for a in added], "removed": removed}


# Results ---------------------------------------------------------------------------------


@router.get(
    "/activities/{activity_id}/results",
    response={200: list[shapes.ResultOut], **ERRORS},
    summary="比赛结果",
)
def list_results(request, activity_id: int = ActivityId):
    activity = _activity(request, activity_id)
    rows = activity.results.select_related("group", "member").order_by("rank", "id")
    return [result_out(r) for r in rows]


@router.post(
    "/activities/{activity_id}/results",
    response={201: shapes.ResultOut, **ERRORS},
    summary="记录比赛结果（获奖小组或个人二选一）",
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)
def create_result(request, payload: shapes.ResultIn, activity_id: int = ActivityId):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    group = None
    if payload.group is not None:
        group = Group.objects.filter(pk=payload.group, union_id=activity.union_id).first()
        if group is None:
            raise ValidationError({"group": "未找到所选工会小组"})
    member = None
    if payload.member is not None:
        [member] = _members_of(activity, [payload.member], "member")
    result = services.record_result(
        activity=activity,
        award_level=payload.award_level,
        group=group,
        member=member,
        rank=payload.rank,
        prize=payload.prize,
        cost=payload.cost,
        actor=request.auth,
    )
    return ninja.Status(201, result_out(result))


# Attachments -----------------------------------------------------------------------------


@router.get(
    "/activities/{activity_id}/attachments",
    response={200: list[attachments.AttachmentOut], **ERRORS},
    summary="活动的附件（照片等）",
)
def list_activity_attachments(request, activity_id: int = ActivityId):
    return attachments.list_for(_activity(request, activity_id))


@router.post(
    "/activities/{activity_id}/attachments",
    response={201: attachments.AttachmentOut, **ERRORS},
    summary="上传活动的附件（照片、扫描件）",
)
@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)
def upload_activity_attachment(
    request, activity_id: int = ActivityId, file: UploadedFile = attachments.UploadFile
):
    activity = _activity(request, activity_id, Perm.CHANGE_ACTIVITIES)
    return attachments.upload_to(request, activity, file)
