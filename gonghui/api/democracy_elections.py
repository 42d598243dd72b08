"""Election and evaluation endpoints: setting up and running an election
(candidates, opening, hall codes, check-in, paper ballots, closing, counting,
run-offs, publishing), the member's ballot and receipt check, and democratic
evaluation.

Every write goes through democracy.services. Elections are found through the
scoped managers, so another union's ids answer 404. A ballot endpoint returns
the receipt once and nothing about who voted; results list receipts sorted.
"""

from functools import wraps

import ninja
from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Path, Query, Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from gonghui.api import errors, schemas
from gonghui.api import schemas_democracy_elections as shapes
from gonghui.api.access import require, union_for_write, viewable_unions
from gonghui.api.guards import guard
from gonghui.api.queries_finance import page
from gonghui.democracy.models.congress import Congress
from gonghui.democracy.models.elections import Candidate, Election, ElectionState, RollEntry
from gonghui.democracy.models.evaluation import Evaluation
from gonghui.democracy.queries import elections as queries
from gonghui.democracy.queries import evaluation as evaluation_queries
from gonghui.democracy.queries import voting
from gonghui.democracy.services import elections as services
from gonghui.democracy.services import evaluation as evaluation_services
from gonghui.members.models import Member
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm
from gonghui.tenancy import request_user

router = Router(tags=["选举与民主评议"])

ElectionId = Path(..., ge=1, le=schemas.MAX_ID, description="选举编号")
CandidateId = Path(..., ge=1, le=schemas.MAX_ID, description="候选人编号")
EvaluationId = Path(..., ge=1, le=schemas.MAX_ID, description="民主评议编号")
ERRORS = {400: schemas.ErrorOut, 403: schemas.ErrorOut, 404: schemas.ErrorOut}
NO_VIEW = "您没有查看民主管理记录的权限"

for _field, _label in {
    "seats": "应选名额",
    "method": "投票方式",
    "electorate": "选举人范围",
    "allow_write_in": "允许另选他人",
    "opens_at": "开始时间",
    "closes_at": "截止时间",
    "margin_share": "差额比例",
    "quorum": "选举有效比例",
    "majority": "当选比例",
    "choices": "选票内容",
    "write_in": "另选人",
    "code": "投票码",
    "number": "选票编号",
    "count": "数量",
    "evaluees": "被评议人",
    "grades": "评议等次",
    "comments": "意见建议",
    "answers": "评议表",
    "election": "选举",
    "evaluation": "民主评议",
    "candidates": "候选人",
    "year": "年度",
    "congress": "代表大会",
}.items():
    errors.FIELD_LABELS.setdefault(_field, _label)


# Shapes ---------------------------------------------------------------------------------


def election_out(e: Election) -> dict:
    return {
        "id": e.pk,
        "union": e.union_id,
        "title": e.title,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "seats": e.seats,
        "method": e.method,
        "channel": e.channel,
        "electorate": e.electorate,
        "allow_write_in": e.allow_write_in,
        "opens_at": e.opens_at,
        "closes_at": e.closes_at,
        "margin_share": e.margin_share,
        "quorum": e.quorum,
        "majority": e.majority,
        "state": e.state,
        "state_label": e.get_state_display(),
        "runoff_of": e.runoff_of_id,
    }


def candidate_out(c: Candidate) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "profile": c.profile,
        "member": c.member_id,
        "written_in": c.written_in,
        "votes_for": c.votes_for,
        "votes_against": c.votes_against,
        "abstentions": c.abstentions,
        "elected": c.elected,
        "in_runoff": c.in_runoff,
    }


def election_detail(e: Election) -> dict:
    roll = queries.roll_counts(e)
    return {
        **election_out(e),
        "candidates": [candidate_out(c) for c in Candidate.objects.filter(election=e)],
        "margin_warning": queries.margin_warning(e),
        "roll_size": roll["total"],
        "roll_voted": roll["voted"],
        "codes_printed": roll["printed"],
        "codes_used": roll["used"],
    }


def results_out(e: Election) -> dict:
    r = queries.results(e)
    return {
        "election": election_out(e),
        "counted": r["counted"],
        "electorate": e.electorate_size,
        "present": r["present"],
        "issued": e.issued,
        "cast": e.cast,
        "valid": e.valid_ballots,
        "invalid": e.invalid_ballots,
        "is_valid": e.is_valid,
        "candidates": [candidate_out(c) for c in r["candidates"]],
        "elected": [c.name for c in r["elected"]],
        "receipts": r["receipts"] if r["counted"] else [],
        "ballots_hash": e.ballots_hash,
        "check": r["check_label"],
        "check_ok": r["check_ok"],
    }


# Finding things ---------------------------------------------------------------------------


def _find(request, model, pk: int, perm: str = Perm.VIEW_DEMOCRACY):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    require(request, Perm.VIEW_DEMOCRACY, obj.union_id)
    require(request, perm, obj.union_id)
    return obj


def _member(request) -> Member:
    """The caller's member record, read once per request and only the columns a
    voter's pages need (the encrypted ones are loaded, and decrypted, on use)."""
    member = getattr(request, "_gonghui_voter", None)
    if member is None:
        member = _voter(request.auth)
        if member is None:
            raise HttpError(403, "您的账号没有关联会员信息")
        request._gonghui_voter = member
    return member


def _voter(user) -> Member | None:
    return Member.objects.filter(user=user).only("id", "union_id", "user_id", "name").first()


def _roll_entry(user, election_id) -> RollEntry | None:
    """The caller's roll entry in an election of their own union (not a draft),
    with the election and their member record (the columns `_voter` reads) in
    the same query: the one read a voter's ballot page and cast need."""
    if user is None or not user.is_authenticated:
        return None
    try:
        pk = int(election_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= pk <= schemas.MAX_ID:
        return None
    return voting.voter_roll(user.pk, pk)


def _members_election(request, pk: int) -> tuple[Member, Election]:
    """An election of the caller's own union, as a voter sees it (drafts are hidden)."""
    member = _member(request)
    election = (
        Election.objects.exclude(state=ElectionState.DRAFT)
        .filter(pk=pk, union_id=member.union_id)
        .first()
    )
    if election is None:
        raise Http404
    return member, election


def _voters_ballot(request, pk: int) -> tuple[Member, Election, RollEntry | None]:
    """The caller, an election of their union and their roll entry in it (None
    when they are not on its roll): one query for an elector on the roll."""
    roll = getattr(request, "_gonghui_roll", None)
    if roll is None:
        roll = _roll_entry(request.auth, pk)
    if roll is not None:
        return roll.member, roll.election, roll
    member, election = _members_election(request, pk)
    return member, election, None


def voter_only(model):
    """Refuse a member's write on `model` (Election or Evaluation, id in the path)
    before the body is read, unless the caller is a member of its union: another
    union's, or a staff account's call, is 404 like the view itself would answer.
    An elector's roll entry, read here with the election and the member, is kept
    for the view."""

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            user = request_user(request)
            if user is not None and user.is_authenticated:
                name = "election_id" if model is Election else "evaluation_id"
                roll = _roll_entry(user, kwargs.get(name)) if model is Election else None
                if roll is not None:
                    request._gonghui_roll = roll
                    request._gonghui_voter = roll.member
                    return run(request, *args, **kwargs)
                member = _voter(user)
                if member is not None:
                    request._gonghui_voter = member
                found = member is not None and (
                    model.objects.filter(pk=kwargs.get(name), union_id=member.union_id).exists()
                )
                if not found:
                    from gonghui.api.v1 import api

                    return api.on_exception(request, Http404())
            return run(request, *args, **kwargs)

        return checked

    return decorate_view(decorator)


def _choices(payload) -> dict:
    return {"c": dict(payload.choices.c), "w": list(payload.choices.w)}


# Elections: back office -------------------------------------------------------------------


@router.get(
    "/democracy/elections", response={200: shapes.ElectionPage, **ERRORS}, summary="选举列表"
)
def list_elections(request, filters: Query[shapes.ElectionFilters]):
    rows = Election.objects.filter(
        union_id__in=viewable_unions(request, Perm.VIEW_DEMOCRACY, NO_VIEW)
    )
    if filters.union is not None:
        rows = rows.filter(union_id=filters.union)
    if filters.state:
        rows = rows.filter(state=filters.state)
    found, next_cursor = page(rows, cursor=filters.cursor, limit=filters.limit)
    return {"items": [election_out(e) for e in found], "next_cursor": next_cursor}


@router.post(
    "/democracy/elections", response={201: shapes.ElectionDetail, **ERRORS}, summary="建立选举"
)
def create_election(request, payload: shapes.ElectionIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_DEMOCRACY)
    data = payload.dict()
    data.pop("union")
    group_ids = data.pop("groups")
    groups = list(Group.objects.filter(union=union, pk__in=group_ids))
    if len(groups) != len(set(group_ids)):
        raise ValidationError({"groups": "只能选择本会的工会小组"})
    congress = None
    if data["congress"] is not None:
        congress = Congress.objects.filter(union=union, pk=data["congress"]).first()
        if congress is None:
            raise ValidationError({"congress": "本会没有该代表大会"})
    data["congress"] = congress
    election = services.create_election(union=union, groups=groups, actor=request.auth, **data)
    return ninja.Status(201, election_detail(election))


@router.get(
    "/democracy/elections/{election_id}",
    response={200: shapes.ElectionDetail, **ERRORS},
    summary="选举详情（候选人、差额提示、名册人数）",
)
def get_election(request, election_id: int = ElectionId):
    return election_detail(_find(request, Election, election_id))


@router.post(
    "/democracy/elections/{election_id}/candidates",
    response={201: shapes.CandidateOut, **ERRORS},
    summary="添加候选人",
)
@guard(Perm.CHANGE_DEMOCRACY, election_id=Election)
def add_candidate(request, payload: shapes.CandidateIn, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    member = None
    if payload.member is not None:
        member = Member.objects.filter(pk=payload.member, union=election.union).first()
        if member is None:
            raise ValidationError({"member": "本会没有该会员"})
    candidate = services.add_candidate(
        election=election,
        name=payload.name,
        member=member,
        profile=payload.profile,
        actor=request.auth,
    )
    return ninja.Status(201, candidate_out(candidate))


@router.delete(
    "/democracy/candidates/{candidate_id}", response={204: None, **ERRORS}, summary="删除候选人"
)
def remove_candidate(request, candidate_id: int = CandidateId):
    candidate = _find(request, Candidate, candidate_id, Perm.CHANGE_DEMOCRACY)
    services.remove_candidate(candidate=candidate, actor=request.auth)
    return ninja.Status(204, None)


@router.post(
    "/democracy/elections/{election_id}/open",
    response={200: shapes.ElectionDetail, **ERRORS},
    summary="生成选举人名册并开始投票",
)
def open_election(request, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    services.open_election(election=election, actor=request.auth)
    return election_detail(election)


@router.post(
    "/democracy/elections/{election_id}/codes",
    response={201: shapes.CodesOut, **ERRORS},
    summary="生成会场投票码（只在此时返回一次）",
)
@guard(Perm.CHANGE_DEMOCRACY, election_id=Election)
def issue_codes(request, payload: shapes.CountIn, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    codes = services.issue_codes(election=election, count=payload.count, actor=request.auth)
    return ninja.Status(201, {"codes": codes})


@router.post(
    "/democracy/elections/{election_id}/check-ins",
    response={204: None, **ERRORS},
    summary="签到领票：登记会员已领取投票码或纸质选票（不记录是哪一个）",
)
@guard(Perm.CHANGE_DEMOCRACY, election_id=Election)
def check_in(request, payload: shapes.CheckInIn, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    member = Member.objects.filter(pk=payload.member, union=election.union).first()
    if member is None:
        raise ValidationError({"member": "本会没有该会员"})
    services.check_in(election=election, member=member, actor=request.auth)
    return ninja.Status(204, None)


@router.post(
    "/democracy/elections/{election_id}/close",
    response={200: shapes.ElectionDetail, **ERRORS},
    summary="结束投票",
)
def close_election(request, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    services.close_election(election=election, actor=request.auth)
    return election_detail(election)


@router.post(
    "/democracy/elections/{election_id}/paper-ballots",
    response={201: shapes.CountOut, **ERRORS},
    summary="计票人录入一张纸质选票（两名计票人分别录入）",
)
@guard(Perm.CHANGE_DEMOCRACY, election_id=Election)
def enter_paper_ballot(request, payload: shapes.PaperBallotIn, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    services.enter_paper_ballot(
        election=election, teller=request.auth, number=payload.number, choices=_choices(payload)
    )
    return ninja.Status(201, {"count": 1})


@router.post(
    "/democracy/elections/{election_id}/reconcile",
    response={200: shapes.CountOut, **ERRORS},
    summary="核对两名计票人的录入并生成选票",
)
def reconcile(request, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    return {"count": services.reconcile_paper(election=election, actor=request.auth)}


@router.post(
    "/democracy/elections/{election_id}/count",
    response={200: shapes.ResultsOut, **ERRORS},
    summary="计票",
)
def count_election(request, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    services.count_election(election=election, actor=request.auth)
    return results_out(election)


@router.post(
    "/democracy/elections/{election_id}/runoff",
    response={201: shapes.ElectionDetail, **ERRORS},
    summary="为最后一个名额得票相同的候选人建立另行选举",
)
@guard(Perm.CHANGE_DEMOCRACY, election_id=Election)
def runoff(request, payload: shapes.WindowIn, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    made = services.start_runoff(
        election=election,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        actor=request.auth,
    )
    return ninja.Status(201, election_detail(made))


@router.post(
    "/democracy/elections/{election_id}/publish",
    response={201: shapes.PublishedOut, **ERRORS},
    summary="在厂务（校务）公开中发布选举结果",
)
def publish(request, election_id: int = ElectionId):
    election = _find(request, Election, election_id, Perm.CHANGE_DEMOCRACY)
    post = services.publish_results(election=election, actor=request.auth)
    return ninja.Status(201, {"post": post.pk, "title": post.title})


@router.get(
    "/democracy/elections/{election_id}/results",
    response={200: shapes.ResultsOut, **ERRORS},
    summary="选举结果（管理）",
)
def get_results(request, election_id: int = ElectionId):
    return results_out(_find(request, Election, election_id))


# Elections: the member ---------------------------------------------------------------------


@router.get(
    "/democracy/my/elections",
    response={200: list[shapes.MyElectionOut], **ERRORS},
    summary="我的选举（我在选举人名册中的选举）",
)
def my_elections(request):
    member = _member(request)
    return [
        {"election": election_out(e), "voted": voted}
        for e, voted in queries.elections_for_member(member)
    ]


@router.get(
    "/democracy/elections/{election_id}/ballot",
    response={200: shapes.BallotPaperOut, **ERRORS},
    summary="选票（候选人名单和我是否已投票）",
)
def ballot_paper(request, election_id: int = ElectionId):
    member, election, roll = _voters_ballot(request, election_id)
    return {
        "election": election_out(election),
        "candidates": [candidate_out(c) for c in voting.ballot_candidates(election)],
        "voted": roll.voted if roll is not None else None,
    }


@router.post(
    "/democracy/elections/{election_id}/ballot",
    response={201: shapes.ReceiptOut, **ERRORS},
    summary="网上投票（返回回执码，只返回这一次）",
)
@voter_only(Election)
def cast(request, payload: shapes.BallotIn, election_id: int = ElectionId):
    member, election, roll = _voters_ballot(request, election_id)
    ballot = services.cast_ballot(
        election=election, member=member, choices=_choices(payload), roll=roll
    )
    return ninja.Status(
        201, {"election": election.pk, "receipt": ballot.receipt, "valid": ballot.valid}
    )


@router.post(
    "/democracy/code-ballots",
    response={201: shapes.ReceiptOut, **ERRORS},
    summary="用会场投票码投票",
)
def cast_with_code(request, payload: shapes.CodeBallotIn):
    ballot = services.cast_with_code(code=payload.code, choices=_choices(payload))
    return ninja.Status(
        201, {"election": ballot.election_id, "receipt": ballot.receipt, "valid": ballot.valid}
    )


@router.get(
    "/democracy/elections/{election_id}/public-results",
    response={200: shapes.ResultsOut, **ERRORS},
    summary="选举结果（会员查看）",
)
def member_results(request, election_id: int = ElectionId):
    _member_, election = _members_election(request, election_id)
    return results_out(election)


@router.get(
    "/democracy/elections/{election_id}/receipts/{receipt}",
    response={200: shapes.ReceiptCheckOut, **ERRORS},
    summary="核对回执码是否已计入",
)
def check_receipt(request, receipt: str, election_id: int = ElectionId):
    _member_, election = _members_election(request, election_id)
    found = queries.receipt_status(election, receipt[:20])
    return {
        "receipt": found["receipt"] if found else receipt[:20],
        "counted": found is not None,
        "valid": found["valid"] if found else None,
    }


# Evaluation ---------------------------------------------------------------------------------


def evaluation_out(evaluation: Evaluation) -> dict:
    r = evaluation_queries.results(evaluation)
    return {
        "id": evaluation.pk,
        "union": evaluation.union_id,
        "title": evaluation.title,
        "year": evaluation.year,
        "opens_at": evaluation.opens_at,
        "closes_at": evaluation.closes_at,
        "closed": evaluation.closed,
        "invited": r["roll"]["total"],
        "rated": r["roll"]["done"],
        "turnout": r["turnout"],
        "evaluees": [
            {
                "id": row["person"].pk,
                "name": row["person"].name,
                "role": row["person"].role,
                "ratings": row["person"].ratings,
                "grades": [
                    {"grade": value, "label": label, "count": n, "percent": p}
                    for (label, n, p), value in zip(
                        row["grades"],
                        ["excellent", "competent", "basic", "incompetent"],
                        strict=True,
                    )
                ],
                "comments": row["comments"] if evaluation.closed else [],
            }
            for row in r["people"]
        ],
    }


@router.post(
    "/democracy/evaluations",
    response={201: shapes.EvaluationOut, **ERRORS},
    summary="建立民主评议（本会在册会员均可参评）",
)
def create_evaluation(request, payload: shapes.EvaluationIn):
    union = union_for_write(request, payload.union, Perm.CHANGE_DEMOCRACY)
    made = evaluation_services.create_evaluation(
        union=union,
        title=payload.title,
        year=payload.year,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        evaluees=[(e.name, e.role) for e in payload.evaluees],
        notes=payload.notes,
        actor=request.auth,
    )
    return ninja.Status(201, evaluation_out(made))


@router.get(
    "/democracy/evaluations/{evaluation_id}",
    response={200: shapes.EvaluationOut, **ERRORS},
    summary="民主评议详情和结果",
)
def get_evaluation(request, evaluation_id: int = EvaluationId):
    return evaluation_out(_find(request, Evaluation, evaluation_id))


@router.post(
    "/democracy/evaluations/{evaluation_id}/close",
    response={200: shapes.EvaluationOut, **ERRORS},
    summary="结束评议并统计",
)
def close_evaluation(request, evaluation_id: int = EvaluationId):
    evaluation = _find(request, Evaluation, evaluation_id, Perm.CHANGE_DEMOCRACY)
    evaluation_services.close_evaluation(evaluation=evaluation, actor=request.auth)
    return evaluation_out(evaluation)


@router.post(
    "/democracy/evaluations/{evaluation_id}/publish",
    response={201: shapes.PublishedOut, **ERRORS},
    summary="在厂务（校务）公开中发布评议结果",
)
def publish_evaluation(request, evaluation_id: int = EvaluationId):
    evaluation = _find(request, Evaluation, evaluation_id, Perm.CHANGE_DEMOCRACY)
    post = evaluation_services.publish_evaluation(evaluation=evaluation, actor=request.auth)
    return ninja.Status(201, {"post": post.pk, "title": post.title})


@router.post(
    "/democracy/evaluations/{evaluation_id}/sheet",
    response={201: shapes.SheetOut, **ERRORS},
    summary="会员提交评议表（不记录评议人）",
)
@voter_only(Evaluation)
def submit_sheet(request, payload: shapes.SheetIn, evaluation_id: int = EvaluationId):
    member = _member(request)
    evaluation = Evaluation.objects.filter(pk=evaluation_id, union_id=member.union_id).first()
    if evaluation is None:
        raise Http404
    evaluation_services.submit_sheet(
        evaluation=evaluation,
        member=member,
        answers={"g": dict(payload.grades), "m": dict(payload.comments)},
    )
    return ninja.Status(201, {"evaluation": evaluation.pk, "submitted": True})
