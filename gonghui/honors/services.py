"""Every write and workflow rule of 评先评优.

Awards: a nomination with reasons → the committee's decision → an
announcement published to open affairs (disclosure.services.publish,
category "honors"). Group assessment: the union writes rules (items with
their maximum points), every group is scored each month (a point below an
item's maximum needs the deduction's reason, above it is refused), and the
month is published once every group has its scores.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from gonghui.honors import queries
from gonghui.honors.models import (
    Announcement,
    Assessment,
    AssessmentItem,
    AssessmentRule,
    AwardKind,
    Cadence,
    GroupResult,
    Level,
    ModelWorker,
    Nomination,
    NominationState,
    Scope,
    Score,
)
from gonghui.members.models import Member, Status
from gonghui.orgs.models import Group, Union

TENTH = Decimal("0.1")

DEFAULT_KINDS = (
    ("岗位之星", Scope.INDIVIDUAL, Cadence.MONTHLY, "本月工作表现突出、服务对象满意度高的职工"),
    ("优秀班级", Scope.GROUP, Cadence.MONTHLY, "本月班组考核成绩优异的班级"),
    ("优秀小组", Scope.GROUP, Cadence.MONTHLY, "本月班组考核成绩优异的工会小组"),
    ("先进个人", Scope.INDIVIDUAL, Cadence.YEARLY, "年度工作业绩突出的职工"),
    ("工人先锋号", Scope.TEAM, Cadence.YEARLY, "在岗位建功中成绩突出的班组或集体"),
    ("最美职工", Scope.INDIVIDUAL, Cadence.YEARLY, "爱岗敬业、事迹感人的职工"),
    ("首席员工", Scope.INDIVIDUAL, Cadence.YEARLY, "技术精湛、在本岗位起带头作用的职工"),
    ("金点子", Scope.INDIVIDUAL, Cadence.QUARTERLY, "合理化建议被采纳并取得实效的职工"),
)


# Shared checks ---------------------------------------------------------------------


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, *, field: str, label: str, max_length: int, errors: dict, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字"
    return value


def _date(value, *, field: str, label: str, errors: dict) -> None:
    if not isinstance(value, date):
        errors[field] = f"{label}不能为空"


def _year(value, *, field: str = "year", errors: dict) -> None:
    if not isinstance(value, int) or not 1950 <= value <= 2100:
        errors[field] = f"年度“{value if value is not None else ''}”不正确，应为四位年份"


def _points(value, *, field: str, label: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        errors[field] = f"请填写{label}"
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = f"{label}“{value}”不是数字"
        return None
    if not points.is_finite():
        errors[field] = f"{label}“{value}”不是数字"
        return None
    if points < 0:
        errors[field] = f"{label}不能为负数，“{value}”不符合"
        return None
    if points != points.quantize(TENTH):
        errors[field] = f"{label}最多保留一位小数，“{value}”不符合"
        return None
    if points >= Decimal("100000"):
        errors[field] = f"{label}“{value}”过大"
        return None
    return points.quantize(TENTH)


# Award kinds ------------------------------------------------------------------------


@transaction.atomic
def ensure_default_kinds(*, union: Union) -> list[AwardKind]:
    """The default award kinds exist for the union (missing ones are added)."""
    have = set(AwardKind.objects.filter(union=union).values_list("name", flat=True))
    AwardKind.objects.bulk_create(
        [
            AwardKind(union=union, name=name, scope=scope, cadence=cadence, description=text)
            for name, scope, cadence, text in DEFAULT_KINDS
            if name not in have
        ]
    )
    return list(AwardKind.objects.filter(union=union))


@transaction.atomic
def define_kind(
    *, union: Union, name: str, scope: str, cadence: str, description: str = "", actor=None
) -> AwardKind:
    errors: dict = {}
    name = _text(name, field="name", label="荣誉名称", max_length=40, errors=errors, required=True)
    if scope not in Scope.values:
        errors["scope"] = f"评选对象“{scope or ''}”不在可选范围内"
    if cadence not in Cadence.values:
        errors["cadence"] = f"评选周期“{cadence or ''}”不在可选范围内"
    description = _text(
        description, field="description", label="评选标准", max_length=300, errors=errors
    )
    if name and AwardKind.objects.filter(union=union, name=name).exists():
        errors["name"] = f"本工会已有荣誉类别“{name}”"
    _raise(errors)
    return AwardKind.objects.create(
        union=union, name=name, scope=scope, cadence=cadence, description=description
    )


@transaction.atomic
def update_kind(
    *,
    kind: AwardKind,
    name: str,
    scope: str,
    cadence: str,
    description: str = "",
    active: bool = True,
    actor=None,
) -> AwardKind:
    """Rename, reword or retire a kind. Once it has nominations, whom it is
    for (individual, group, team) and how often it is given stay as they were:
    the nominations already made were judged by them."""
    errors: dict = {}
    name = _text(name, field="name", label="荣誉名称", max_length=40, errors=errors, required=True)
    if scope not in Scope.values:
        errors["scope"] = f"评选对象“{scope or ''}”不在可选范围内"
    if cadence not in Cadence.values:
        errors["cadence"] = f"评选周期“{cadence or ''}”不在可选范围内"
    description = _text(
        description, field="description", label="评选标准", max_length=300, errors=errors
    )
    if name and AwardKind.objects.filter(union_id=kind.union_id, name=name).exclude(pk=kind.pk):
        errors["name"] = f"本工会已有荣誉类别“{name}”"
    used = kind.nominations.count()
    if used and scope != kind.scope and "scope" not in errors:
        errors["scope"] = (
            f"“{kind.name}”已有{used}条推荐记录，不能把评选对象改为“{Scope(scope).label}”；"
            "如需按新对象评选，请另建荣誉类别"
        )
    if used and cadence != kind.cadence and "cadence" not in errors:
        errors["cadence"] = (
            f"“{kind.name}”已有{used}条推荐记录，不能把评选周期改为“{Cadence(cadence).label}”；"
            "如需按新周期评选，请另建荣誉类别"
        )
    _raise(errors)
    AwardKind.objects.filter(pk=kind.pk).update(
        name=name, scope=scope, cadence=cadence, description=description, active=bool(active)
    )
    kind.refresh_from_db()
    return kind


# Nominations, decisions, announcements ------------------------------------------------


@transaction.atomic
def nominate(
    *,
    kind: AwardKind,
    year: int,
    month: int | None = None,
    member: Member | None = None,
    group: Group | None = None,
    team_name: str = "",
    reasons: str,
    nominated_on: date,
    nominated_by: str = "",
    actor=None,
) -> Nomination:
    """A nomination with its reasons, waiting for the committee's decision."""
    union = kind.union
    errors: dict = {}
    if not kind.active:
        errors["kind"] = f"荣誉类别“{kind.name}”已停用"
    _year(year, errors=errors)
    if kind.cadence == Cadence.MONTHLY and month is None:
        errors["month"] = f"“{kind.name}”按月评选，请选择评选月份"
    elif month is not None and (not isinstance(month, int) or not 1 <= month <= 12):
        errors["month"] = f"评选月份“{month}”不正确，应为1至12"
    team_name = _text(
        team_name, field="team_name", label="被推荐集体", max_length=80, errors=errors
    )
    if kind.scope == Scope.INDIVIDUAL:
        if member is None:
            errors["member"] = f"“{kind.name}”评选个人，请选择被推荐人"
        elif member.union_id != union.pk:
            errors["member"] = f"{member.name}不是本工会会员"
        elif member.status != Status.ACTIVE:
            errors["member"] = f"{member.name}的会籍状态为“{member.get_status_display()}”，不能推荐"
        group, team_name = None, ""
    elif kind.scope == Scope.GROUP:
        if group is None:
            errors["group"] = f"“{kind.name}”评选班组，请选择被推荐班组"
        elif group.union_id != union.pk:
            errors["group"] = "所选班组不属于本工会"
        member, team_name = None, ""
    else:
        if group is None and not team_name:
            errors["team_name"] = f"“{kind.name}”评选集体，请选择班组或填写集体名称"
        elif group is not None and group.union_id != union.pk:
            errors["group"] = "所选班组不属于本工会"
        member = None
    reasons = _text(
        reasons, field="reasons", label="推荐理由", max_length=4000, errors=errors, required=True
    )
    _date(nominated_on, field="nominated_on", label="推荐日期", errors=errors)
    if isinstance(nominated_on, date) and nominated_on > timezone.localdate():
        errors["nominated_on"] = "推荐日期不能晚于今天"
    nominated_by = _text(
        nominated_by, field="nominated_by", label="推荐人/推荐部门", max_length=60, errors=errors
    )
    if not errors:
        same = Nomination.objects.filter(kind=kind, year=year, month=month).exclude(
            state=NominationState.DECLINED
        )
        if member is not None and same.filter(member=member).exists():
            errors["member"] = f"{member.name}已被推荐过本期“{kind.name}”"
        elif group is not None and same.filter(group=group).exists():
            errors["group"] = f"{group.name}已被推荐过本期“{kind.name}”"
    _raise(errors)
    return Nomination.objects.create(
        union=union,
        kind=kind,
        year=year,
        month=month,
        member=member,
        group=group,
        team_name=team_name,
        reasons=reasons,
        nominated_on=nominated_on,
        nominated_by=nominated_by,
        created_by=actor,
    )


@transaction.atomic
def decide(
    *, nomination: Nomination, granted: bool, on: date, note: str = "", actor=None
) -> Nomination:
    """The committee's decision; made once. A decline needs its reason."""
    errors: dict = {}
    _date(on, field="on", label="评定日期", errors=errors)
    if isinstance(on, date):
        if on < nomination.nominated_on:
            errors["on"] = "评定日期不能早于推荐日期"
        elif on > timezone.localdate():
            errors["on"] = "评定日期不能晚于今天"
    note = _text(note, field="note", label="评定意见", max_length=200, errors=errors)
    if not granted and not note:
        errors["note"] = "未评上时请填写评定意见"
    _raise(errors)
    changed = Nomination.objects.filter(pk=nomination.pk, state=NominationState.NOMINATED).update(
        state=NominationState.AWARDED if granted else NominationState.DECLINED,
        decided_on=on,
        decision_note=note,
        decided_by=actor,
    )
    if changed != 1:
        raise ValidationError({"state": "该推荐已评定过，不能重复评定"})
    nomination.refresh_from_db()
    return nomination


def _announcement_body(awards: list[Nomination], intro: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(a.kind.name)}</td><td>{escape(a.period_label)}</td>"
        f"<td>{escape(a.nominee_label)}</td><td>{escape(a.reasons[:200])}</td></tr>"
        for a in awards
    )
    lead = f"<p>{escape(intro)}</p>" if intro else ""
    return (
        f"{lead}<table><thead><tr><th>荣誉</th><th>期间</th><th>获得者</th><th>主要事迹</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _publish(*, union: Union, title: str, body: str, source, actor) -> None:
    from gonghui.disclosure import services as disclosure

    disclosure.publish(
        union=union, category="honors", title=title, body=body, source=source, actor=actor
    )


@transaction.atomic
def announce(*, union: Union, awards, title: str, intro: str = "", actor) -> Announcement:
    """Publish granted awards not yet announced, as one open-affairs post."""
    errors: dict = {}
    title = _text(
        title, field="title", label="公示标题", max_length=120, errors=errors, required=True
    )
    intro = _text(intro, field="intro", label="公示说明", max_length=1000, errors=errors)
    awards = list(awards)
    if not awards:
        errors["awards"] = "请选择要公示的获奖记录"
    for a in awards:
        if a.union_id != union.pk:
            errors["awards"] = "所选记录不属于本工会"
        elif a.state != NominationState.AWARDED:
            errors["awards"] = f"“{a}”尚未授予，不能公示"
        elif a.announcement_id is not None:
            errors["awards"] = f"“{a}”已公示过"
        if "awards" in errors:
            break
    _raise(errors)
    body = _announcement_body(awards, intro)
    announcement = Announcement.objects.create(
        union=union,
        title=title,
        body=body,
        published_on=timezone.localdate(),
        published_by=actor,
    )
    changed = Nomination.objects.filter(
        pk__in=[a.pk for a in awards], announcement__isnull=True
    ).update(announcement=announcement)
    if changed != len(awards):
        raise ValidationError({"awards": "部分记录刚刚已被公示，请刷新后重试"})
    _publish(union=union, title=title, body=body, source=announcement, actor=actor)
    return announcement


# Model workers ---------------------------------------------------------------------


def _worker_values(
    *,
    member: Member,
    level,
    title,
    year,
    conferred_by,
    monthly_allowance,
    benefits,
    notes,
    exclude=None,
) -> dict:
    """The cleaned fields of a model worker's record, or a ValidationError."""
    errors: dict = {}
    if level not in Level.values:
        errors["level"] = f"级别“{level or ''}”不在可选范围内"
    title = _text(
        title, field="title", label="荣誉称号", max_length=40, errors=errors, required=True
    )
    _year(year, errors=errors)
    if isinstance(year, int) and year > timezone.localdate().year:
        errors["year"] = "授予年度不能晚于今年"
    conferred_by = _text(
        conferred_by, field="conferred_by", label="授予单位", max_length=80, errors=errors
    )
    try:
        allowance = Decimal(str(monthly_allowance if monthly_allowance is not None else "0"))
        if not allowance.is_finite() or allowance < 0 or allowance >= Decimal("100000000"):
            raise InvalidOperation
        if allowance != allowance.quantize(Decimal("0.01")):
            errors["monthly_allowance"] = "劳模津贴最多保留两位小数"
    except InvalidOperation:
        errors["monthly_allowance"] = f"劳模津贴“{monthly_allowance}”不是有效金额"
        allowance = Decimal("0.00")
    benefits = _text(benefits, field="benefits", label="应享待遇", max_length=2000, errors=errors)
    notes = _text(notes, field="notes", label="备注", max_length=200, errors=errors)
    if not errors:
        same = ModelWorker.objects.filter(member=member, title=title, year=year)
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if same.exists():
            errors["title"] = f"{member.name}的{year}年“{title}”已登记"
    _raise(errors)
    return {
        "level": level,
        "title": title,
        "year": year,
        "conferred_by": conferred_by,
        "monthly_allowance": allowance.quantize(Decimal("0.01")),
        "benefits": benefits,
        "notes": notes,
    }


@transaction.atomic
def record_model_worker(
    *,
    member: Member,
    level: str,
    title: str,
    year: int,
    conferred_by: str = "",
    monthly_allowance=Decimal("0.00"),
    benefits: str = "",
    notes: str = "",
    actor=None,
) -> ModelWorker:
    values = _worker_values(
        member=member,
        level=level,
        title=title,
        year=year,
        conferred_by=conferred_by,
        monthly_allowance=monthly_allowance,
        benefits=benefits,
        notes=notes,
    )
    return ModelWorker.objects.create(
        union_id=member.union_id, member=member, created_by=actor, **values
    )


@transaction.atomic
def update_model_worker(
    *,
    worker: ModelWorker,
    level: str,
    title: str,
    year: int,
    conferred_by: str = "",
    monthly_allowance=Decimal("0.00"),
    benefits: str = "",
    notes: str = "",
    actor=None,
) -> ModelWorker:
    """Correct a title's record or the benefits due; the member stays the same."""
    values = _worker_values(
        member=worker.member,
        level=level,
        title=title,
        year=year,
        conferred_by=conferred_by,
        monthly_allowance=monthly_allowance,
        benefits=benefits,
        notes=notes,
        exclude=worker,
    )
    ModelWorker.objects.filter(pk=worker.pk).update(**values)
    worker.refresh_from_db()
    return worker


# Group assessment --------------------------------------------------------------------


@transaction.atomic
def write_rule(
    *, union: Union, name: str, effective_from: date, items: list[dict], actor=None
) -> AssessmentRule:
    """A rule with its items: each {"name", "max_points", "deduction_guide"}."""
    errors: dict = {}
    name = _text(name, field="name", label="细则名称", max_length=80, errors=errors, required=True)
    _date(effective_from, field="effective_from", label="施行日期", errors=errors)
    cleaned = []
    seen = set()
    if not items:
        errors["items"] = "请至少填写一个考核项目"
    for row, item in enumerate(items or [], start=1):
        item_name = (item.get("name") or "").strip()
        where = f"第{row}项"
        if not item_name:
            errors["items"] = f"{where}：请填写考核项目名称"
            break
        if len(item_name) > 60:
            errors["items"] = f"{where}：考核项目名称不能超过60个字"
            break
        if item_name in seen:
            errors["items"] = f"{where}：考核项目“{item_name}”重复"
            break
        seen.add(item_name)
        problems: dict = {}
        points = _points(item.get("max_points"), field="p", label="满分", errors=problems)
        if points is not None and points == 0:
            problems["p"] = "满分必须大于0"
        if problems:
            errors["items"] = f"{where}（{item_name}）：{problems['p']}"
            break
        guide = (item.get("deduction_guide") or "").strip()
        if len(guide) > 300:
            errors["items"] = f"{where}（{item_name}）：扣分标准不能超过300个字"
            break
        cleaned.append((item_name, points, guide))
    _raise(errors)
    rule = AssessmentRule.objects.create(
        union=union, name=name, effective_from=effective_from, created_by=actor
    )
    AssessmentItem.objects.bulk_create(
        [
            AssessmentItem(
                union=union,
                rule=rule,
                position=i,
                name=item_name,
                max_points=points,
                deduction_guide=guide,
            )
            for i, (item_name, points, guide) in enumerate(cleaned, start=1)
        ]
    )
    AssessmentRule.objects.filter(union=union, active=True).exclude(pk=rule.pk).update(active=False)
    return rule


@transaction.atomic
def open_month(*, rule: AssessmentRule, month: date, actor=None) -> Assessment:
    """The month's assessment under `rule` (its first day is kept)."""
    errors: dict = {}
    _date(month, field="month", label="考核月份", errors=errors)
    if isinstance(month, date):
        month = month.replace(day=1)
        today = timezone.localdate()
        if month > today.replace(day=1):
            errors["month"] = "考核月份不能晚于本月"
        elif Assessment.objects.filter(union=rule.union, month=month).exists():
            errors["month"] = f"{month.year}年{month.month}月的班组考核已建立"
        if month < rule.effective_from.replace(day=1):
            errors["month"] = f"细则“{rule.name}”自{rule.effective_from:%Y-%m-%d}起施行，早于此月份"
    if not rule.items.exists():
        errors["rule"] = "该细则还没有考核项目"
    _raise(errors)
    return Assessment.objects.create(union=rule.union, rule=rule, month=month, created_by=actor)


@transaction.atomic
def score_group(*, assessment: Assessment, group: Group, points: dict, actor=None) -> list[Score]:
    """Record (or correct) a group's scores for the month.

    `points` maps each item (or its id) to a number or a (number, deduction
    reason) pair. Every item of the rule must be scored; a score above the
    item's maximum is refused; a score below it needs the deduction's reason.
    """
    errors: dict = {}
    if assessment.is_published:
        errors["assessment"] = f"{assessment}已公布，不能再修改得分"
    if group.union_id != assessment.union_id:
        errors["group"] = "所选班组不属于本工会"
    _raise(errors)
    items = list(assessment.rule.items.all())
    given = {}
    for key, value in (points or {}).items():
        given[key.pk if isinstance(key, AssessmentItem) else int(key)] = value
    unknown = set(given) - {i.pk for i in items}
    if unknown:
        raise ValidationError({"points": "有得分不属于本细则的考核项目"})
    rows = []
    for item in items:
        field = f"item_{item.pk}"
        value = given.get(item.pk)
        reason = ""
        if isinstance(value, (tuple, list)):
            value, reason = value[0], (value[1] or "")
        label = f"{group.name}“{item.name}”得分"
        if value is None or value == "":
            errors[field] = f"请填写{label}"
            continue
        got = _points(value, field=field, label=label, errors=errors)
        if got is None:
            continue
        if got > item.max_points:
            errors[field] = f"{label} {got} 分超过该项满分 {item.max_points} 分"
            continue
        reason = reason.strip()
        if got < item.max_points and not reason:
            errors[field] = f"{label}扣了 {item.max_points - got} 分，请填写扣分理由"
            continue
        if len(reason) > 200:
            errors[field] = f"{label}的扣分理由不能超过200个字"
            continue
        rows.append(
            Score(
                union_id=assessment.union_id,
                assessment=assessment,
                group=group,
                item=item,
                points=got,
                deduction_reason=reason if got < item.max_points else "",
                scored_by=actor,
            )
        )
    _raise(errors)
    Score.objects.filter(assessment=assessment, group=group).delete()
    return Score.objects.bulk_create(rows)


@transaction.atomic
def score_sheet(*, assessment: Assessment, sheet, actor=None) -> int:
    """Score many groups of the month at once, all or nothing.

    `sheet` is a list of (group, points) pairs, `points` as in score_group.
    Any group's error keeps every group's scores as they were; the errors
    come back keyed "group_<pk>", each message naming the group and item.
    Returns the number of groups scored.
    """
    if assessment.is_published:
        raise ValidationError({"assessment": f"{assessment}已公布，不能再修改得分"})
    sheet = list(sheet)
    if not sheet:
        raise ValidationError({"assessment": "没有填写任何班组的得分"})
    errors: dict = {}
    for group, points in sheet:
        try:
            with transaction.atomic():
                score_group(assessment=assessment, group=group, points=points, actor=actor)
        except ValidationError as e:
            errors[f"group_{group.pk}"] = e.messages
    if errors:
        raise ValidationError(errors)
    return len(sheet)


def _ranking_body(assessment: Assessment, ranking) -> str:
    rows = "".join(
        f"<tr><td>{r['rank']}</td><td>{escape(r['group'].name)}</td><td>{r['total']}</td>"
        f"<td>{escape('；'.join(r['deductions']) or '—')}</td></tr>"
        for r in ranking
    )
    return (
        f"<p>依据《{escape(assessment.rule.name)}》，工会对各班组{assessment.month.year}年"
        f"{assessment.month.month}月工作进行了考核打分，结果如下：</p>"
        f"<table><thead><tr><th>名次</th><th>班组</th><th>得分</th><th>扣分情况</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


@transaction.atomic
def publish_assessment(*, assessment: Assessment, on: date | None = None, actor) -> Assessment:
    """Publish the month's ranking once every group is scored on every item."""
    on = on or timezone.localdate()
    if assessment.is_published:
        raise ValidationError({"assessment": f"{assessment}已公布"})
    missing = queries.unscored_groups(assessment)
    if missing:
        names = "、".join(g.name for g in missing[:20])
        more = f"等{len(missing)}个" if len(missing) > 20 else ""
        raise ValidationError({"assessment": f"以下班组尚未打分：{names}{more}"})
    ranking = queries.ranking(assessment)
    if not ranking:
        raise ValidationError({"assessment": "本工会还没有班组，无法公布考核结果"})
    title = f"{assessment.month.year}年{assessment.month.month}月班组考核结果公示"
    body = _ranking_body(assessment, ranking)
    announcement = Announcement.objects.create(
        union_id=assessment.union_id, title=title, body=body, published_on=on, published_by=actor
    )
    changed = Assessment.objects.filter(pk=assessment.pk, published_on__isnull=True).update(
        published_on=on, announcement=announcement
    )
    if changed != 1:
        raise ValidationError({"assessment": f"{assessment}已公布"})
    GroupResult.objects.bulk_create(
        [
            GroupResult(
                union_id=assessment.union_id,
                assessment=assessment,
                group=row["group"],
                month=assessment.month,
                total=row["total"],
                rank=row["rank"],
            )
            for row in ranking
        ]
    )
    _publish(union=assessment.union, title=title, body=body, source=announcement, actor=actor)
    assessment.refresh_from_db()
    return assessment
