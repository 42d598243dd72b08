"""The members' newsletter pages (phone first): the published newsletters of
the member's own union, newest first, each readable with its photos.

A newsletter is found among the published issues of the signed-in member's
union only; a draft or another union's issue is 404. Figures are shown as
plain text: their links lead to the back office, which members cannot open.
"""

import nh3
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from gonghui.portal.queries import own_member
from gonghui.reports.models import Newsletter, NewsletterPhoto, NewsletterState
from gonghui.reports.newsletter_views import photo_response
from gonghui.reports.newsletter_writer import masthead
from gonghui.reports.services import ALLOWED_TAGS

LOGIN_URL = "portal:login"


def _member(request):
    member = own_member(user=request.user)
    if member is None:
        raise Http404("您的账号没有关联会员信息，请联系本单位工会")
    return member


def published(member):
    return Newsletter.objects.filter(union_id=member.union_id, state=NewsletterState.PUBLISHED)


def without_links(html: str) -> str:
    """The stored text with the figures' back-office links taken out (their text stays)."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS - {"a"}, attributes={}, url_schemes=set())


@login_required(login_url=LOGIN_URL)
def newsletters(request):
    member = _member(request)
    return render(
        request,
        "reports/newsletter_portal_list.html",
        {
            "member": member,
            "masthead": masthead(member.union),
            "newsletters": published(member).order_by("-month", "-pk")[:120],
        },
    )


@login_required(login_url=LOGIN_URL)
def newsletter(request, newsletter_id):
    member = _member(request)
    issue = get_object_or_404(published(member).select_related("union"), pk=newsletter_id)
    items = [
        {"item": item, "body": without_links(item.body), "photos": list(item.photos.all())}
        for item in issue.items.prefetch_related("photos")
    ]
    return render(
        request,
        "reports/newsletter_portal.html",
        {
            "member": member,
            "newsletter": issue,
            "masthead": masthead(issue.union),
            "lead": without_links(issue.lead),
            "items": items,
        },
    )


@login_required(login_url=LOGIN_URL)
def photo(request, newsletter_id, photo_id):
    member = _member(request)
    issue = get_object_or_404(published(member), pk=newsletter_id)
    found = get_object_or_404(
        NewsletterPhoto.objects.filter(item__newsletter=issue).select_related("attachment"),
        pk=photo_id,
    )
    return photo_response(found)


app_name = "newsletter_portal"
urlpatterns = [
    path("", newsletters, name="list"),
    path("<int:newsletter_id>/", newsletter, name="detail"),
    path("<int:newsletter_id>/photos/<int:photo_id>/", photo, name="photo"),
]
