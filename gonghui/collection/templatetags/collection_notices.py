"""The collection card on a union's dashboard: the unit's open requests and
reminders with the one-click submit, or the upper union's open requests."""

from django import template
from django.utils import timezone

from gonghui.collection import queries
from gonghui.collection.models import CollectionRequest, RequestState

register = template.Library()


@register.inclusion_tag("collection/partials/dashboard_notices.html", takes_context=True)
def collection_notices(context, union):
    request = context["request"]
    access = request.access
    today = timezone.localdate()
    returns = [
        {
            "submission": s,
            "overdue": today > s.request.deadline,
            "reminders": list(s.reminders.all()),
            "sent_back": next(iter(s.sent_back.all()), None),
        }
        for s in queries.open_returns(union.pk)
    ]
    issued = []
    if union.pk in queries.issuing_unions(access):
        recent = CollectionRequest.objects.filter(
            union=union, state=RequestState.OPEN, deadline__gte=today.replace(day=1)
        )
        for r in recent[:5]:
            issued.append({"request": r, "board": queries.board(r, today=today)})
    return {
        "union": union,
        "returns": returns,
        "recent": queries.recent_returns(union.pk) if returns or issued else [],
        "issued": issued,
        "can_submit": union.pk in queries.submitting_unions(access),
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
