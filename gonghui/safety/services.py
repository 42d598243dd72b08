"""Every write and workflow rule of 安全生产.

A hazard card's state only moves by a conditional UPDATE that must change
exactly one row (`_move`), so two people acting on the same card at once can
never both succeed, on SQLite as on PostgreSQL.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.attachments import services as attachments
from gonghui.members.models import Member
from gonghui.orgs.access import access_for
from gonghui.orgs.models import Department, Group, Union
from gonghui.orgs.roles import Perm, Role
from gonghui.safety import draw as drawing
from gonghui.safety import queries
from gonghui.safety.models import (
    OPEN_STATES,
    Action,
    Category,
    ChecklistItem,
    Contest,
    ContestResult,
    Draw,
    Drill,
    DrillKind,
    Hazard,
    HazardStep,
    Inspection,
    ItemResult,
    Severity,
    State,
    Violation,
)

MAX_PHOTOS = 6


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value, *, field, label, max_length, errors, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}"
    elif len(value) > max_length:
        errors[field] = f"{label}不能超过{max_length}个字（现有{len(value)}个字）"
    return value


def _choice(value, choices, *, field, label, errors) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value or ''}”不在可选范围内"


def _day(value, *, field, label, errors, today, not_future=True) -> None:
    if not isinstance(value, date):
        errors[field] = f"请填写{label}"
    elif not_future and value > today:
        errors[field] = f"{label}{value:%Y-%m-%d}晚于今天，不能登记未发生的事"


def _today() -> date:
    return timezone.localdate()


def _step(hazard: Hazard, action: str, on: date, actor, note: str = "") -> HazardStep:
    return HazardStep.objects.create(
        union_id=hazard.union_id, hazard=hazard, action=action, on=on, note=note[:500], actor=actor
    )


def _move(hazard: Hazard, *, expected, **changes) -> None:
    """Change the card only if it is still in one of the `expected` states."""
    changed = Hazard.objects.filter(pk=hazard.pk, state__in=list(expected)).update(**changes)
    if changed != 1:
        hazard.refresh_from_db(fields=["state"])
        raise ValidationError(
            {
                "state": f"隐患卡当前状态为“{hazard.get_state_display()}”，不能办理这一步，请刷新后再试"
            }
        )
    for name, value in changes.items():
        setattr(hazard, name, value)


def may_manage(actor, union_id: int) -> bool:
    return access_for(actor).can(Perm.CHANGE_SAFETY, union_id)


def handles_department(actor, hazard: Hazard) -> bool:
    """The actor is a department handler (职能部门承办人) of the card's department."""
    if hazard.department_id is None:
        return False
    if not access_for(actor).has_role(Role.HANDLER, hazard.union_id):
        return False
    try:
        member = actor.member
    except (ObjectDoesNotExist, AttributeError):
        return False
    return member.union_id == hazard.union_id and member.department_id == hazard.department_id


def _for_department(actor, hazard: Hazard) -> None:
    if not (may_manage(actor, hazard.union_id) or handles_department(actor, hazard)):
        raise ValidationError({"hazard": "只有责任部门的承办人或安全生产管理人员可以办理这一步"})


# Hazard cards ------------------------------------------------------------------------------


@transaction.atomic
def report_hazard(
    *,
    union: Union,
    place: str,
    description: str,
    category: str,
    severity: str,
    reporter: Member | None = None,
    reported_on: date | None = None,
    photos=(),
    inspection: Inspection | None = None,
    actor,
) -> Hazard:
    """上报隐患: a new card waiting for the reception point. Photos are kept
    as attachments, re-encoded without their location and camera data."""
    today = _today()
    reported_on = reported_on or today
    errors: dict = {}
    place = _text(place, field="place", label="隐患地点", max_length=100, errors=errors)
    description = _text(
        description, field="description", label="隐患描述", max_length=2000, errors=errors
    )
    _choice(category, Category, field="category", label="隐患类别", errors=errors)
    _choice(severity, Severity, field="severity", label="隐患等级", errors=errors)
    _day(reported_on, field="reported_on", label="上报日期", errors=errors, today=today)
    if reporter is not None and reporter.union_id != union.pk:
        errors["reporter"] = "上报人不是本工会会员"
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"每张隐患卡最多上传{MAX_PHOTOS}张照片（现有{len(photos)}张）"
    checked = []
    if "photos" not in errors:
        for photo in photos:
            try:
                one = attachments.check_upload(photo, field="photos")
            except ValidationError as e:
                errors.update(e.message_dict)
                break
            if not one.mime_type.startswith("image/"):
                errors["photos"] = f"“{one.name}”不是照片，隐患照片只能是 JPG 或 PNG 图片"
                break
            checked.append(one)
    _raise(errors)
    hazard = Hazard.objects.create(
        union=union,
        reported_on=reported_on,
        reporter=reporter,
        place=place,
        description=description,
        category=category,
        severity=severity,
        inspection=inspection,
        reported_by=actor,
    )
    for one in checked:
        attachments.attach(record=hazard, upload=one, actor=actor)
    source = f"安全检查“{inspection.title}”发现" if inspection else ""
    _step(hazard, Action.REPORT, reported_on, actor, source)
    return hazard


@transaction.atomic
def assign_hazard(*, hazard: Hazard, department: Department, note: str = "", actor) -> Hazard:
    """交办: the reception point names the department responsible."""
    if department is None or department.union_id != hazard.union_id:
        raise ValidationError({"department": "请选择本工会的责任部门"})
    today = _today()
    _move(
        hazard,
        expected=[State.REPORTED, State.ASSIGNED],
        state=State.ASSIGNED,
        department=department,
        assigned_on=today,
    )
    _step(hazard, Action.ASSIGN, today, actor, f"交{department.name}整改。{note}".strip())
    return hazard


@transaction.atomic
def plan_rectification(*, hazard: Hazard, measures: str, deadline: date, actor) -> Hazard:
    """The department records its measures and a deadline (not in the past)."""
    _for_department(actor, hazard)
    today = _today()
    errors: dict = {}
    measures = _text(measures, field="measures", label="整改措施", max_length=2000, errors=errors)
    if not isinstance(deadline, date):
        errors["deadline"] = "请填写整改期限"
    elif deadline < today:
        errors["deadline"] = f"整改期限{deadline:%Y-%m-%d}已经过去，请填写今天或以后的日期"
    _raise(errors)
    _move(
        hazard,
        expected=[State.ASSIGNED, State.IN_WORK],
        state=State.IN_WORK,
        measures=measures,
        deadline=deadline,
    )
    _step(hazard, Action.PLAN, today, actor, f"期限{deadline:%Y-%m-%d}：{measures}")
    return hazard


@transaction.atomic
def rectify_hazard(
    *, hazard: Hazard, rectification: str, evidence=(), on: date | None = None, actor
) -> Hazard:
    """整改完成, with evidence (photos or documents of the result): required."""
    _for_department(actor, hazard)
    today = _today()
    on = on or today
    errors: dict = {}
    rectification = _text(
        rectification, field="rectification", label="整改情况", max_length=2000, errors=errors
    )
    _day(on, field="on", label="整改完成日期", errors=errors, today=today)
    if isinstance(on, date) and on < hazard.reported_on:
        errors["on"] = f"整改完成日期不能早于上报日期{hazard.reported_on:%Y-%m-%d}"
    evidence = list(evidence or [])
    if not evidence:
        errors["evidence"] = "请上传整改后的照片或证明材料作为整改依据，没有依据不能登记整改完成"
    checked = []
    if "evidence" not in errors:
        try:
            checked = [attachments.check_upload(f, field="evidence") for f in evidence]
        except ValidationError as e:
            errors.update(e.message_dict)
    _raise(errors)
    _move(
        hazard,
        expected=[State.IN_WORK],
        state=State.RECTIFIED,
        rectification=rectification,
        rectified_on=on,
        rectified_by=actor,
        days_to_rectify=(on - hazard.reported_on).days,
    )
    for one in checked:
        attachments.attach(record=hazard, upload=one, actor=actor)
    _step(hazard, Action.RECTIFY, on, actor, rectification)
    return hazard


@transaction.atomic
def verify_hazard(*, hazard: Hazard, accepted: bool, note: str = "", actor) -> Hazard:
    """验收 by a safety supervisor: accepted, or sent back to work with a reason.
    Nobody verifies a rectification they recorded themselves."""
    if not access_for(actor).can(Perm.VERIFY_SAFETY, hazard.union_id):
        raise ValidationError({"hazard": "只有群众安全监督员可以验收隐患整改"})
    if hazard.rectified_by_id is not None and hazard.rectified_by_id == actor.pk:
        raise ValidationError({"hazard": "不能验收自己登记的整改，请由其他群众安全监督员验收"})
    note = (note or "").strip()
    if not accepted and not note:
        raise ValidationError({"note": "退回重改时请写明不合格的原因"})
    if len(note) > 500:
        raise ValidationError({"note": f"验收意见不能超过500个字（现有{len(note)}个字）"})
    today = _today()
    if accepted:
        _move(
            hazard,
            expected=[State.RECTIFIED],
            state=State.VERIFIED,
            verified_on=today,
            verified_by=actor,
        )
        _step(hazard, Action.ACCEPT, today, actor, note)
    else:
        _move(
            hazard,
            expected=[State.RECTIFIED],
            state=State.IN_WORK,
            rectified_on=None,
            rectified_by=None,
            days_to_rectify=None,
            returned=hazard.returned + 1,
        )
        _step(hazard, Action.RETURN, today, actor, note)
    return hazard


@transaction.atomic
def escalate_overdue(*, union: Union, today: date | None = None, actor=None) -> int:
    """Put every card past its deadline and not rectified on the chair's list
    (once); returns how many were newly escalated."""
    today = today or _today()
    due = list(
        Hazard.objects.filter(
            union=union,
            state__in=list(OPEN_STATES),
            deadline__lt=today,
            escalated_on__isnull=True,
        )
    )
    for hazard in due:
        if Hazard.objects.filter(pk=hazard.pk, escalated_on__isnull=True).update(
            escalated_on=today
        ):
            _step(
                hazard,
                Action.ESCALATE,
                today,
                actor,
                f"超过整改期限{hazard.deadline:%Y-%m-%d}未整改，列入工会主席督办",
            )
    return len(due)


# Inspections --------------------------------------------------------------------------------


@transaction.atomic
def plan_inspection(
    *,
    union: Union,
    title: str,
    scope: str,
    planned_on: date,
    checklist,
    inspectors=(),
    actor,
) -> Inspection:
    """Put an inspection on the month's plan with its checklist (one line per item)."""
    errors: dict = {}
    title = _text(title, field="title", label="检查名称", max_length=100, errors=errors)
    scope = _text(scope, field="scope", label="检查范围", max_length=100, errors=errors)
    if not isinstance(planned_on, date):
        errors["planned_on"] = "请填写计划日期"
    if isinstance(checklist, str):
        checklist = checklist.splitlines()
    lines = [line.strip() for line in checklist or [] if line and line.strip()]
    if not lines:
        errors["checklist"] = "请至少填写一项检查内容（每行一项）"
    for number, line in enumerate(lines, start=1):
        if len(line) > 200:
            errors["checklist"] = f"第{number}项检查内容超过200个字"
            break
    inspectors = list(inspectors or [])
    strangers = [m.name for m in inspectors if m.union_id != union.pk]
    if strangers:
        errors["inspectors"] = "以下检查人员不是本工会会员：" + "、".join(strangers)
    _raise(errors)
    inspection = Inspection.objects.create(
        union=union, title=title, scope=scope, planned_on=planned_on, created_by=actor
    )
    inspection.inspectors.set(inspectors)
    ChecklistItem.objects.bulk_create(
        ChecklistItem(union=union, inspection=inspection, position=i, text=line)
        for i, line in enumerate(lines, start=1)
    )
    return inspection


@transaction.atomic
def record_inspection(
    *, inspection: Inspection, done_on: date, results: dict, summary: str = "", actor
) -> Inspection:
    """Record the checklist's results ({item id: (result, note)}) and close the inspection."""
    today = _today()
    errors: dict = {}
    _day(done_on, field="done_on", label="完成日期", errors=errors, today=today)
    summary = _text(
        summary, field="summary", label="检查小结", max_length=2000, errors=errors, required=False
    )
    items = {item.pk: item for item in inspection.items.all()}
    for pk, (result, note) in (results or {}).items():
        item = items.get(int(pk))
        if item is None:
            errors["results"] = f"检查项目{pk}不属于这次检查"
            break
        if result not in ItemResult.values:
            errors["results"] = f"第{item.position}项的检查结果“{result}”不在可选范围内"
            break
        if result == ItemResult.PROBLEM and not (note or "").strip() and item.hazard_id is None:
            errors["results"] = f"第{item.position}项“{item.text}”发现问题，请写明情况"
            break
    _raise(errors)
    for pk, (result, note) in (results or {}).items():
        item = items[int(pk)]
        item.result = result
        item.note = (note or "").strip()[:300]
        item.save(update_fields=["result", "note"])
    inspection.done_on = done_on
    inspection.summary = summary
    inspection.save(update_fields=["done_on", "summary"])
    return inspection


@transaction.atomic
def raise_finding(
    *,
    inspection: Inspection,
    place: str,
    description: str,
    category: str,
    severity: str,
    item: ChecklistItem | None = None,
    department: Department | None = None,
    reporter: Member | None = None,
    actor,
) -> Hazard:
    """A problem found in an inspection becomes a hazard card in one step
    (assigned at once when the department is known)."""
    if item is not None and item.inspection_id != inspection.pk:
        raise ValidationError({"item": "该检查项目不属于这次检查"})
    if item is not None and item.hazard_id is not None:
        raise ValidationError({"item": f"第{item.position}项已经生成过隐患卡"})
    hazard = report_hazard(
        union=inspection.union,
        place=place,
        description=description,
        category=category,
        severity=severity,
        reporter=reporter,
        inspection=inspection,
        actor=actor,
    )
    if item is not None:
        item.result = ItemResult.PROBLEM
        item.hazard = hazard
        item.note = item.note or description[:300]
        item.save(update_fields=["result", "hazard", "note"])
    if department is not None:
        assign_hazard(hazard=hazard, department=department, actor=actor)
    return hazard


# Drills ----------------------------------------------------------------------------------------


@transaction.atomic
def record_drill(
    *,
    union: Union,
    kind: str,
    title: str,
    held_on: date,
    expected: int,
    participants: int | None = None,
    attendees=(),
    place: str = "",
    notes: str = "",
    actor,
) -> Drill:
    """安全演练. With named attendees the count is theirs."""
    errors: dict = {}
    _choice(kind, DrillKind, field="kind", label="演练类型", errors=errors)
    title = _text(title, field="title", label="演练名称", max_length=100, errors=errors)
    place = _text(place, field="place", label="地点", max_length=100, errors=errors, required=False)
    _day(held_on, field="held_on", label="演练日期", errors=errors, today=_today())
    attendees = list(attendees or [])
    strangers = [m.name for m in attendees if m.union_id != union.pk]
    if strangers:
        errors["attendees"] = "以下参加人员不是本工会会员：" + "、".join(strangers)
    if attendees:
        participants = len(attendees)
    if not isinstance(expected, int) or expected < 1:
        errors["expected"] = "应参加人数须为正整数"
    if not isinstance(participants, int) or participants < 0:
        errors["participants"] = "请填写实际参加人数（不小于0的整数）"
    elif isinstance(expected, int) and participants > expected:
        errors["participants"] = f"实际参加{participants}人，超过应参加人数{expected}人"
    _raise(errors)
    drill = Drill.objects.create(
        union=union,
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        expected=expected,
        participants=participants,
        notes=(notes or "").strip(),
        created_by=actor,
    )
    drill.attendees.set(attendees)
    return drill


# Contests --------------------------------------------------------------------------------------


@transaction.atomic
def record_contest(
    *, union: Union, title: str, held_on: date, exam=None, notes: str = "", actor
) -> Contest:
    """安全知识竞赛; `exam` is a learning exam of the same union, when there is one."""
    errors: dict = {}
    title = _text(title, field="title", label="竞赛名称", max_length=100, errors=errors)
    if not isinstance(held_on, date):
        errors["held_on"] = "请填写竞赛日期"
    if exam is not None and getattr(exam, "union_id", None) != union.pk:
        errors["exam"] = "关联的考试不属于本工会"
    _raise(errors)
    contest = Contest(
        union=union, title=title, held_on=held_on, notes=(notes or "").strip(), created_by=actor
    )
    if exam is not None:
        contest.exam = exam
    contest.save()
    return contest


def _whole(value, *, label: str, where: str, errors: dict, key: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors[key] = f"{where}的{label}须为不小于0的整数"
        return None
    return value


@transaction.atomic
def record_contest_results(*, contest: Contest, rows, actor) -> list[ContestResult]:
    """Record (or replace) each group's result: rows of {group, audience,
    participants, passed, average_score}. Ranks follow the average score."""
    errors: dict = {}
    cleaned = []
    seen = set()
    for number, row in enumerate(rows or [], start=1):
        group = row.get("group")
        where = f"第{number}行"
        if not isinstance(group, Group) or group.union_id != contest.union_id:
            errors["results"] = f"{where}：请选择本工会的工会小组"
            break
        where = f"第{number}行（{group.name}）"
        if group.pk in seen:
            errors["results"] = f"{where}：同一小组只能填写一行"
            break
        seen.add(group.pk)
        audience = _whole(
            row.get("audience"), label="应参赛人数", where=where, errors=errors, key="results"
        )
        participants = _whole(
            row.get("participants"), label="参赛人数", where=where, errors=errors, key="results"
        )
        passed = _whole(
            row.get("passed", 0), label="合格人数", where=where, errors=errors, key="results"
        )
        if errors:
            break
        if participants > audience:
            errors["results"] = f"{where}：参赛{participants}人，超过应参赛人数{audience}人"
            break
        if passed > participants:
            errors["results"] = f"{where}：合格{passed}人，超过参赛人数{participants}人"
            break
        try:
            score = Decimal(str(row.get("average_score"))).quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            errors["results"] = f"{where}：平均分“{row.get('average_score')}”不是数字"
            break
        if not Decimal(0) <= score <= Decimal(100):
            errors["results"] = f"{where}：平均分{score}须在0到100之间"
            break
        cleaned.append((group, audience, participants, passed, score))
    if not cleaned and "results" not in errors:
        errors["results"] = "请至少填写一个小组的成绩"
    _raise(errors)
    contest.results.all().delete()
    ordered = sorted(cleaned, key=lambda r: (-r[4], r[0].name))
    created = ContestResult.objects.bulk_create(
        ContestResult(
            union_id=contest.union_id,
            contest=contest,
            group=group,
            audience=audience,
            participants=participants,
            passed=passed,
            average_score=score,
            rank=rank,
        )
        for rank, (group, audience, participants, passed, score) in enumerate(ordered, start=1)
    )
    return created


def take_results_from_exam(*, contest: Contest, actor) -> list[ContestResult]:
    """Fill the contest's per-group results from its linked learning exam
    (learning.queries.exam_results and group_participation)."""
    exam = contest.exam
    if exam is None:
        raise ValidationError({"exam": "这次竞赛没有关联学习考试，请直接填写各小组成绩"})
    try:
        from gonghui.learning.queries import exam_results, group_participation
    except ImportError:
        raise ValidationError({"exam": "学习考试模块尚未提供成绩，请直接填写各小组成绩"}) from None
    scores: dict[int, list] = {}
    for member, score, _passed in exam_results(exam):
        scores.setdefault(member.group_id, []).append(Decimal(str(score)))
    rows = []
    for line in group_participation(exam):
        if line.group is None or not line.took:
            continue  # members in no group, or a group nobody of which sat
        own = scores[line.group.pk]
        rows.append(
            {
                "group": line.group,
                "audience": max(line.audience, line.took),
                "participants": line.took,
                "passed": line.passed,
                "average_score": (sum(own) / len(own)).quantize(Decimal("0.1")),
            }
        )
    if not rows:
        raise ValidationError({"exam": f"关联的考试“{exam}”还没有小组成员参加，暂无成绩可取"})
    return record_contest_results(contest=contest, rows=rows, actor=actor)


# Violations and the quarterly draw -------------------------------------------------------------


@transaction.atomic
def record_violation(*, member: Member, on: date, description: str, actor) -> Violation:
    errors: dict = {}
    _day(on, field="on", label="违章日期", errors=errors, today=_today())
    description = _text(
        description, field="description", label="违章情况", max_length=300, errors=errors
    )
    _raise(errors)
    return Violation.objects.create(
        union_id=member.union_id, member=member, on=on, description=description, recorded_by=actor
    )


@transaction.atomic
def hold_draw(
    *,
    union: Union,
    year: int,
    quarter: int,
    winners_wanted: int,
    prize: str,
    seed: str = "",
    drawn_on: date | None = None,
    actor,
) -> Draw:
    """Draw the quarter's winners among the eligible members (safety.draw
    explains how), keeping the seed and the list so the draw can be re-run."""
    today = _today()
    drawn_on = drawn_on or today
    errors: dict = {}
    if not isinstance(quarter, int) or quarter not in (1, 2, 3, 4):
        errors["quarter"] = "季度须为1到4"
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "请填写正确的年度"
    prize = _text(prize, field="prize", label="奖品", max_length=100, errors=errors)
    seed = (seed or "").strip() or drawing.new_seed()
    if len(seed) > 64 or not seed.isprintable():
        errors["seed"] = "随机种子最多64个可见字符"
    if not isinstance(winners_wanted, int) or winners_wanted < 1:
        errors["winners_wanted"] = "中奖名额须为正整数"
    _raise(errors)
    start, end = queries.quarter_bounds(year, quarter)
    if drawn_on < start:
        raise ValidationError({"quarter": f"{year}年第{quarter}季度还没有开始，不能抽奖"})
    if drawn_on > today:
        raise ValidationError({"drawn_on": "抽奖日期不能晚于今天"})
    if Draw.objects.filter(union=union, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": f"{year}年第{quarter}季度已经抽过奖，每季度只抽一次"})
    eligible = queries.draw_eligible(union=union, year=year, quarter=quarter)
    if not eligible:
        raise ValidationError({"quarter": "本季度没有符合条件（无违章记录）的会员"})
    if winners_wanted > len(eligible):
        raise ValidationError(
            {"winners_wanted": f"中奖名额{winners_wanted}名多于符合条件的{len(eligible)}人"}
        )
    return Draw.objects.create(
        union=union,
        year=year,
        quarter=quarter,
        prize=prize,
        winners_wanted=winners_wanted,
        seed=seed,
        eligible=eligible,
        eligible_digest=drawing.fingerprint(eligible),
        winners=drawing.pick(seed, eligible, winners_wanted),
        drawn_on=drawn_on,
        drawn_by=actor,
    )
