"""The election and evaluation screens inside the admin shell: setting up,
candidates, the check-in desk, printing voting codes, teller entry, closing,
counting, results and publishing.

Each view finds its record among the unions where the user holds the
permission the step needs (another union's record is 404) and calls one
service. Ballots are shown only as counts and sorted receipts.
"""

import csv
import json
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.democracy.elections_forms import (
    CandidateForm,
    CountForm,
    ElectionForm,
    EvaluationForm,
    RunoffForm,
)
from gonghui.democracy.models.elections import (
    Ballot,
    Candidate,
    Election,
    ElectionState,
    Method,
    RollEntry,
    TellerEntry,
)
from gonghui.democracy.models.evaluation import Evaluation
from gonghui.democracy.queries import elections as queries
from gonghui.democracy.queries import evaluation as evaluation_queries
from gonghui.democracy.services import elections as services
from gonghui.democracy.services import evaluation as evaluation_services
from gonghui.members.models import Member
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm


def in_admin(view):
    """Run the view inside the admin shell (signed-in staff only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def _unions(request, perm: str):
    allowed = request.access.unions_with(perm)
    if not allowed:
        raise PermissionDenied("您没有民主管理的管理权限")
    return Union.objects.filter(pk__in=allowed).order_by("path")


def _get(request, model, pk, perm: str = Perm.CHANGE_DEMOCRACY):
    return get_object_or_404(
        model.objects.filter(union__in=request.access.unions_with(perm)), pk=pk
    )


def _render(request, template, title, **context):
    return render(
        request,
        f"democracy/elections/{template}",
        {**admin.site.each_context(request), "title": title, **context},
    )


def _form_page(request, form, title, *, intro="", submit="保存", back_url=""):
    return _render(
        request, "form.html", title, form=form, intro=intro, submit=submit, back_url=back_url
    )


def _step(request, act, *, done: str):
    """Call a service; put its message (or a success) on the page and go back."""
    try:
        message = act()
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, message)
    return redirect(done)


def manage_url(election) -> str:
    return reverse("admin:democracy_election_change", args=[election.pk])


# Elections ----------------------------------------------------------------------------


def add_election(request):
    unions = _unions(request, Perm.CHANGE_DEMOCRACY)
    form = ElectionForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["margin_share"] is None:
            data.pop("margin_share")
        try:
            election = services.create_election(actor=request.user, **data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已建立选举：{election}。请录入候选人。")
            return redirect(manage_url(election))
    return _form_page(
        request,
        form,
        "新建选举",
        intro="按无记名投票办法建立选举；投票开始后，候选人和选举人名册不能再修改。",
    )


def manage_election(request, pk):
    election = _get(request, Election, pk, Perm.VIEW_DEMOCRACY)
    can_change = request.access.can(Perm.CHANGE_DEMOCRACY, election.union_id)
    form = CandidateForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("您没有修改选举的权限")
        if form.is_valid():
            data = form.cleaned_data
            member = None
            if data["employee_number"]:
                member = Member.objects.filter(
                    union=election.union, employee_number=data["employee_number"]
                ).first()
                if member is None:
                    form.add_error(
                        "employee_number", f"本会没有工号为{data['employee_number']}的会员"
                    )
            if not form.errors:
                try:
                    services.add_candidate(
                        election=election,
                        name=data["name"],
                        member=member,
                        profile=data["profile"],
                        actor=request.user,
                    )
                except ValidationError as e:
                    form.add_service_errors(e)
                else:
                    messages.success(request, f"已添加候选人：{data['name']}")
                    return redirect(manage_url(election))
    candidates = list(Candidate.objects.filter(election=election))
    runoffs = list(Election.objects.filter(runoff_of=election))
    return _render(
        request,
        "manage.html",
        str(election),
        election=election,
        candidates=candidates,
        warning=queries.margin_warning(election),
        roll=queries.roll_counts(election),
        runoffs=runoffs,
        needs_runoff=can_change and not runoffs and any(c.in_runoff for c in candidates),
        can_change=can_change,
        form=form if election.state == ElectionState.DRAFT and can_change else None,
        runoff_form=RunoffForm(),
        teller_entries=TellerEntry.objects.filter(election=election, teller=request.user).count(),
    )


@require_POST
def remove_candidate(request, pk):
    candidate = _get(request, Candidate, pk)
    election = candidate.election

    def act():
        services.remove_candidate(candidate=candidate, actor=request.user)
        return f"已删除候选人：{candidate.name}"

    return _step(request, act, done=manage_url(election))


@require_POST
def open_election(request, pk):
    election = _get(request, Election, pk)

    def act():
        size = services.open_election(election=election, actor=request.user)
        return f"已生成选举人名册（{size}人），到投票开始时间即可投票"

    return _step(request, act, done=manage_url(election))


@require_POST
def close_election(request, pk):
    election = _get(request, Election, pk)

    def act():
        services.close_election(election=election, actor=request.user)
        return "已结束投票"

    return _step(request, act, done=manage_url(election))


@require_POST
def count_election(request, pk):
    election = _get(request, Election, pk)

    def act():
        services.count_election(election=election, actor=request.user)
        return "计票完成"

    return _step(request, act, done=reverse("democracy:election_results", args=[election.pk]))


@require_POST
def reconcile(request, pk):
    election = _get(request, Election, pk)

    def act():
        n = services.reconcile_paper(election=election, actor=request.user)
        return f"两名计票人的录入完全一致，已生成{n}张选票，可以计票"

    return _step(request, act, done=manage_url(election))


@require_POST
def publish(request, pk):
    election = _get(request, Election, pk)

    def act():
        services.publish_results(election=election, actor=request.user)
        return "选举结果已在厂务（校务）公开中发布"

    return _step(request, act, done=reverse("democracy:election_results", args=[election.pk]))


@require_POST
def runoff(request, pk):
    election = _get(request, Election, pk)
    form = RunoffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写另行选举的开始和截止时间")
        return redirect(manage_url(election))
    try:
        made = services.start_runoff(election=election, actor=request.user, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect(manage_url(election))
    messages.success(request, f"已建立另行选举：{made}")
    return redirect(manage_url(made))


def codes(request, pk):
    election = _get(request, Election, pk)
    form = CountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            printed = services.issue_codes(
                election=election, count=form.cleaned_data["count"], actor=request.user
            )
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            return _render(
                request, "codes.html", f"{election} 投票码", election=election, codes=printed
            )
    return _form_page(
        request,
        form,
        f"{election}：打印投票码",
        intro="投票码只在本次打印时显示，系统只保存其不可逆的摘要。请剪开后放入抽签箱，"
        "会员签到时随机抽取，领取登记只记录“已领取”，不记录领取了哪一个。",
        submit="生成并打印",
        back_url=manage_url(election),
    )


def desk(request, pk):
    """签到领票: find an elector by name and record that they received a code or ballot."""
    election = _get(request, Election, pk)
    if request.method == "POST":
        member = get_object_or_404(
            Member.objects.filter(union=election.union), pk=request.POST.get("member")
        )
        try:
            services.check_in(election=election, member=member, actor=request.user)
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, f"已登记：{member.name}领取选票（投票码）")
        return redirect(
            f"{reverse('democracy:election_desk', args=[pk])}?q={request.POST.get('q', '')}"
        )
    q = (request.GET.get("q") or "").strip()
    entries = []
    if q:
        entries = list(
            RollEntry.objects.filter(election=election, member__name__contains=q)
            .select_related("member", "member__department")
            .order_by("member__name")[:30]
        )
    return _render(
        request,
        "desk.html",
        f"{election}：签到领票",
        election=election,
        q=q,
        entries=entries,
        roll=queries.roll_counts(election),
    )


def teller(request, pk):
    """One teller types in paper ballots; the other does the same on their own account."""
    election = _get(request, Election, pk)
    candidates = list(Candidate.objects.filter(election=election, written_in=False))
    error, number = "", request.POST.get("number", "")
    if request.method == "POST":
        marks = {}
        for c in candidates:
            mark = request.POST.get(f"c{c.pk}", "")
            if mark:
                marks[str(c.pk)] = mark
        write_ins = [w for w in request.POST.get("write_ins", "").split() if w]
        try:
            value = int(number)
        except ValueError:
            error = f"选票编号“{number}”应为正整数"
        else:
            try:
                services.enter_paper_ballot(
                    election=election,
                    teller=request.user,
                    number=value,
                    choices={"c": marks, "w": write_ins},
                )
            except ValidationError as e:
                error = "；".join(e.messages)
            else:
                messages.success(request, f"已录入第{value}号选票")
                return redirect(reverse("democracy:election_teller", args=[pk]))
    entered = list(
        TellerEntry.objects.filter(election=election, teller=request.user).values_list(
            "number", flat=True
        )
    )
    return _render(
        request,
        "teller.html",
        f"{election}：纸质选票录入",
        election=election,
        candidates=candidates,
        for_against=election.method == Method.FOR_AGAINST,
        error=error,
        number=number,
        entered=entered,
        next_number=max(entered, default=0) + 1,
    )


def results(request, pk):
    election = _get(request, Election, pk, Perm.VIEW_DEMOCRACY)
    return _render(
        request,
        "results.html",
        f"{election} 选举结果",
        election=election,
        r=queries.results(election),
        can_change=request.access.can(Perm.CHANGE_DEMOCRACY, election.union_id),
    )


def export(request, pk):
    """Every ballot, sorted by receipt, for an entitled re-count; the hash on the
    results page is computed over exactly these lines."""
    election = _get(request, Election, pk)
    if election.state != ElectionState.COUNTED:
        raise PermissionDenied("计票后才能导出选票")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballots-{election.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["回执码", "选票内容", "有效"])
    for b in Ballot.objects.filter(election=election).order_by("receipt"):
        writer.writerow(
            [
                b.receipt,
                json.dumps(b.choices, sort_keys=True, ensure_ascii=False),
                1 if b.valid else 0,
            ]
        )
    return response


# Evaluations --------------------------------------------------------------------------


def evaluation_url(evaluation) -> str:
    return reverse("admin:democracy_evaluation_change", args=[evaluation.pk])


def add_evaluation(request):
    unions = _unions(request, Perm.CHANGE_DEMOCRACY)
    form = EvaluationForm(request.POST or None, unions=unions)
    if request.method == "POST" and form.is_valid():
        try:
            made = evaluation_services.create_evaluation(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_errors(e)
        else:
            messages.success(request, f"已建立民主评议：{made}，本会在册会员均可参评")
            return redirect(evaluation_url(made))
    return _form_page(
        request,
        form,
        "新建民主评议",
        intro="会员在手机上对每名被评议人选择优秀、称职、基本称职或不称职，并可写意见；"
        "评议表不记录评议人。",
    )


def manage_evaluation(request, pk):
    evaluation = _get(request, Evaluation, pk, Perm.VIEW_DEMOCRACY)
    return _render(
        request,
        "evaluation.html",
        str(evaluation),
        evaluation=evaluation,
        r=evaluation_queries.results(evaluation),
        can_change=request.access.can(Perm.CHANGE_DEMOCRACY, evaluation.union_id),
    )


@require_POST
def close_evaluation(request, pk):
    evaluation = _get(request, Evaluation, pk)

    def act():
        evaluation_services.close_evaluation(evaluation=evaluation, actor=request.user)
        return "评议已结束，结果已统计"

    return _step(request, act, done=evaluation_url(evaluation))


@require_POST
def publish_evaluation(request, pk):
    evaluation = _get(request, Evaluation, pk)

    def act():
        evaluation_services.publish_evaluation(evaluation=evaluation, actor=request.user)
        return "评议结果已在厂务（校务）公开中发布"

    return _step(request, act, done=evaluation_url(evaluation))
