"""The monthly group-assessment screens inside the admin shell: open a month,
score every group on the rule's items, publish the ranking. Each view finds
its assessment among the unions where the user may see honors records
(another union's is 404), checks the permission the step needs, and calls
honors.services."""

from datetime import date
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.honors import queries, services
from gonghui.honors.models import Assessment, AssessmentRule
from gonghui.orgs.models import Group
from gonghui.orgs.roles import Perm


def in_admin(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def _assessment(request, pk, perm=Perm.VIEW_HONORS) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("rule", "union").filter(
            union__in=request.access.unions_with(perm)
        ),
        pk=pk,
    )


def _rows(assessment, data=None):
    """One row per group: its cells (item, points, reason) and its total."""
    items = list(assessment.rule.items.all())
    saved = {(s.group_id, s.item_id): s for s in assessment.scores.all()}
    rows = []
    for group in Group.objects.filter(union_id=assessment.union_id).order_by("name"):
        cells = []
        for item in items:
            score = saved.get((group.pk, item.pk))
            key = f"{group.pk}_{item.pk}"
            if data is not None:
                points, reason = data.get(f"p_{key}", ""), data.get(f"r_{key}", "")
            else:
                points = "" if score is None else score.points
                reason = "" if score is None else score.deduction_reason
            cells.append({"item": item, "key": key, "points": points, "reason": reason})
        rows.append({"group": group, "cells": cells, "errors": []})
    return items, rows


@in_admin
def sheet(request, pk):
    assessment = _assessment(request, pk)
    can_change = request.access.can(Perm.CHANGE_HONORS, assessment.union_id)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("您没有修改该工会评先评优记录的权限")
        items, rows = _rows(assessment, request.POST)
        failed = False
        with transaction.atomic():
            for row in rows:
                cells = row["cells"]
                if all(str(c["points"]).strip() == "" and not c["reason"].strip() for c in cells):
                    continue  # this group is not scored yet
                try:
                    services.score_group(
                        assessment=assessment,
                        group=row["group"],
                        points={c["item"].pk: (c["points"], c["reason"]) for c in cells},
                        actor=request.user,
                    )
                except ValidationError as e:
                    row["errors"] = e.messages
                    failed = True
            if failed:
                transaction.set_rollback(True)
        if not failed:
            messages.success(request, "得分已保存")
            return redirect(reverse("honors:sheet", args=[assessment.pk]))
    else:
        items, rows = _rows(assessment)
    context = {
        **admin.site.each_context(request),
        "title": f"{assessment}：打分",
        "assessment": assessment,
        "items": items,
        "rows": rows,
        "can_change": can_change and not assessment.is_published,
        "missing": [] if assessment.is_published else queries.unscored_groups(assessment),
        "ranking": queries.published_ranking(assessment) if assessment.is_published else None,
    }
    return render(
        request, "honors/sheet.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@in_admin
def publish(request, pk):
    assessment = _assessment(request, pk, Perm.CHANGE_HONORS)
    try:
        services.publish_assessment(assessment=assessment, actor=request.user)
        messages.success(request, f"{assessment}结果已公布，并已在厂务公开发布")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    return redirect(reverse("honors:sheet", args=[assessment.pk]))


@in_admin
def open_month(request):
    unions = request.access.unions_with(Perm.CHANGE_HONORS)
    if not unions:
        raise PermissionDenied("您没有评先评优的管理权限")
    rules = AssessmentRule.objects.filter(union__in=unions, active=True).select_related("union")
    error = ""
    if request.method == "POST":
        rule = rules.filter(pk=request.POST.get("rule") or 0).first()
        month = request.POST.get("month", "")
        if rule is None:
            error = "请选择考核细则"
        else:
            try:
                year, mon = (int(x) for x in month.split("-")[:2])
                chosen = date(year, mon, 1)
            except ValueError:
                error = f"考核月份“{month}”格式不正确，应为 年-月，如 2025-03"
            else:
                try:
                    created = services.open_month(rule=rule, month=chosen, actor=request.user)
                    return redirect(reverse("honors:sheet", args=[created.pk]))
                except ValidationError as e:
                    error = e.messages[0]
    context = {
        **admin.site.each_context(request),
        "title": "建立月度班组考核",
        "rules": rules,
        "error": error,
        "month": request.POST.get("month", ""),
    }
    return render(request, "honors/open_month.html", context, status=400 if error else 200)
