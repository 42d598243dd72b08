"""Members' voting and evaluation pages (phone first): my elections, the
ballot, the receipt shown once after voting, results with a receipt check,
voting with a hall code (no account needed), and evaluating leaders.

Elections are found through the signed-in member's own union; another
union's election is 404. The receipt is shown once and kept nowhere that
links it to the member.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.democracy.models.elections import (
    Channel,
    Election,
    ElectionState,
    Method,
)
from gonghui.democracy.models.evaluation import Evaluation, Evaluee, Grade
from gonghui.democracy.queries import elections as queries
from gonghui.democracy.queries import evaluation as evaluation_queries
from gonghui.democracy.queries import voting
from gonghui.democracy.services import elections as services
from gonghui.democracy.services import evaluation as evaluation_services

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


def _election(member, pk) -> Election:
    return get_object_or_404(
        Election.objects.exclude(state=ElectionState.DRAFT), pk=pk, union_id=member.union_id
    )


def choices_from(post, election: Election) -> tuple[dict, int]:
    """The ballot as the service reads it, from the posted form, and how many
    people it marks "for" (to warn before an over-full ballot is cast)."""
    marks: dict[str, str] = {}
    if election.method == Method.CHOOSE:
        for pk in post.getlist("c"):
            marks[pk] = "for"
    else:
        for key, value in post.items():
            if key.startswith("c") and key[1:].isdigit() and value:
                marks[key[1:]] = value
    write_ins = [w.strip() for w in post.getlist("w") if w.strip()]
    chosen = sum(1 for v in marks.values() if v == "for") + len(write_ins)
    return {"c": marks, "w": write_ins}, chosen


def _ballot_page(request, election, *, code="", error="", over=0, posted=None, status=200):
    posted = posted or {}
    candidates = voting.ballot_candidates(election)
    marks = posted.get("c", {})
    for c in candidates:
        c.mark = marks.get(str(c.pk), "")
    write_ins = list(posted.get("w", []))
    slots = election.seats if election.allow_write_in else 0
    return render(
        request,
        "democracy/elections/portal/ballot.html",
        {
            "election": election,
            "candidates": candidates,
            "for_against": election.method == Method.FOR_AGAINST,
            "write_ins": write_ins + [""] * max(0, slots - len(write_ins)),
            "code": code,
            "error": error,
            "over": over,
        },
        status=status,
    )


def _cast(request, election, cast, *, code=""):
    """Read the posted ballot; warn once about an over-full ballot; cast; show the receipt."""
    choices, chosen = choices_from(request.POST, election)
    if chosen > election.seats and not request.POST.get("confirm_invalid"):
        return _ballot_page(request, election, code=code, over=chosen, posted=choices)
    try:
        ballot = cast(choices)
    except ValidationError as e:
        return _ballot_page(
            request, election, code=code, error="；".join(e.messages), posted=choices, status=400
        )
    return render(
        request, "democracy/elections/portal/receipt.html", {"election": election, "ballot": ballot}
    )


@login_required(login_url=LOGIN_URL)
def home(request):
    member = _member(request)
    return render(
        request,
        "democracy/elections/portal/home.html",
        {
            "member": member,
            "elections": queries.elections_for_member(member),
            "evaluations": evaluation_queries.evaluations_for_member(member),
            "now": timezone.now(),
        },
    )


@login_required(login_url=LOGIN_URL)
def ballot(request, pk):
    # An elector's roll entry brings the election and their member record in
    # one read (queries/voting.py); anyone else is looked up the long way.
    roll = voting.voter_roll(request.user.pk, pk)
    if roll is not None:
        member, election = roll.member, roll.election
    else:
        member = _member(request)
        election = _election(member, pk)
    if request.method == "POST":
        return _cast(
            request,
            election,
            lambda choices: services.cast_ballot(
                election=election, member=member, choices=choices, roll=roll
            ),
        )
    voted = roll.voted if roll is not None else queries.voted(election, member)
    if voted is None or voted or election.channel != Channel.ONLINE:
        return render(
            request,
            "democracy/elections/portal/not_open.html",
            {"election": election, "voted": voted},
        )
    return _ballot_page(request, election)


@login_required(login_url=LOGIN_URL)
def results(request, pk):
    member = _member(request)
    election = _election(member, pk)
    receipt = (request.GET.get("receipt") or "").strip()
    return render(
        request,
        "democracy/elections/portal/results.html",
        {
            "election": election,
            "r": queries.results(election),
            "receipt": receipt,
            "found": queries.receipt_status(election, receipt) if receipt else None,
        },
    )


def code_vote(request):
    """Vote with a one-time hall code; anyone holding an unused code may vote once."""
    code = (request.POST.get("code") or "").strip()
    if request.method != "POST":
        return render(request, "democracy/elections/portal/code.html", {"code": ""})
    with scopes_disabled():
        try:
            election = services.election_for_code(code)
        except ValidationError as e:
            return render(
                request,
                "democracy/elections/portal/code.html",
                {"code": code, "error": "；".join(e.messages)},
                status=400,
            )
        if not request.POST.get("ballot"):
            return _ballot_page(request, election, code=code)
        return _cast(
            request,
            election,
            lambda choices: services.cast_with_code(code=code, choices=choices),
            code=code,
        )


# Evaluation ---------------------------------------------------------------------------


def _evaluation(member, pk) -> Evaluation:
    return get_object_or_404(Evaluation, pk=pk, union_id=member.union_id)


@login_required(login_url=LOGIN_URL)
def evaluate(request, pk):
    member = _member(request)
    evaluation = _evaluation(member, pk)
    people = list(Evaluee.objects.filter(evaluation=evaluation))
    error, status = "", 200
    if request.method == "POST":
        answers = {
            "g": {str(p.pk): request.POST.get(f"g{p.pk}", "") for p in people},
            "m": {str(p.pk): request.POST.get(f"m{p.pk}", "") for p in people},
        }
        try:
            evaluation_services.submit_sheet(evaluation=evaluation, member=member, answers=answers)
        except ValidationError as e:
            error, status = "；".join(e.messages), 400
        else:
            return render(
                request, "democracy/elections/portal/evaluated.html", {"evaluation": evaluation}
            )
        for p in people:
            p.grade = answers["g"][str(p.pk)]
            p.comment = answers["m"][str(p.pk)]
    return render(
        request,
        "democracy/elections/portal/evaluate.html",
        {
            "evaluation": evaluation,
            "people": people,
            "grades": Grade.choices,
            "done": evaluation_queries.done(evaluation, member),
            "error": error,
            "is_open": not evaluation.closed
            and evaluation.opens_at <= timezone.now() < evaluation.closes_at,
        },
        status=status,
    )


@login_required(login_url=LOGIN_URL)
def evaluation_results(request, pk):
    member = _member(request)
    evaluation = _evaluation(member, pk)
    return render(
        request,
        "democracy/elections/portal/evaluation_results.html",
        {"evaluation": evaluation, "r": evaluation_queries.results(evaluation)},
    )
