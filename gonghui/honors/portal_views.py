"""The member's honours page (phone first): awards to them or their group,
their model-worker titles, and the union's latest published group ranking.
Records are found through the signed-in member only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render

from gonghui.honors import queries

LOGIN_URL = "/login/"


def _member(request):
    try:
        return request.user.member
    except ObjectDoesNotExist:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会") from None


@login_required(login_url=LOGIN_URL)
def my_awards(request):
    member = _member(request)
    latest = queries.latest_published(member.union)
    return render(
        request,
        "honors/portal_awards.html",
        {
            "member": member,
            "awards": list(queries.awards_of(member)),
            "titles": list(queries.titles_of(member)),
            "latest": latest,
            "ranking": list(queries.published_ranking(latest)) if latest else [],
        },
    )
