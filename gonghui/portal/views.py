"""The members' portal: sign-in by mobile number, the member's own record,
password change, and joining online (网上入会)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_scopes import scope

from gonghui.members import services as members
from gonghui.orgs.models import Union
from gonghui.portal import queries, throttling
from gonghui.portal.forms import JoinForm, PhoneSignInForm, PortalPasswordChangeForm

log = logging.getLogger(__name__)

JOIN_POSTS_PER_HOUR = 20


class SignInView(LoginView):
    """Mobile number and password. django-axes counts failures per number
    and locks it after the fifth (portal/locked_out.html)."""

    template_name = "portal/login.html"
    authentication_form = PhoneSignInForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("portal:home")


sign_in = SignInView.as_view()


@require_POST
def sign_out(request):
    auth_logout(request)
    messages.info(request, "您已退出登录")
    return redirect("portal:login")


@login_required(login_url="portal:login")
def home(request):
    member = queries.own_member(user=request.user)
    if member is None:
        return render(request, "portal/no_member.html")
    return render(
        request,
        "portal/home.html",
        {"member": member, "history": queries.status_history(member=member)},
    )


@login_required(login_url="portal:login")
def password_change(request):
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.set_password(
                user=request.user, password=form.cleaned_data["new_password1"], actor=request.user
            )
        except ValidationError as e:
            for message in e.message_dict.get("password", e.messages):
                form.add_error("new_password1", message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改，下次请用新密码登录")
            return redirect("portal:home")
    return render(request, "portal/password_change.html", {"form": form})


def join(request, code):
    """网上入会: a public form that files an Application for the union to review.

    The page must not tell an outsider whether an ID number is already known.
    The form checks the ID's shape with the same parser as the service, so when
    submit_application still refuses the ID number, the refusal can only be
    "already a member" or "already has a pending application". That refusal
    is caught (nothing is written: the union already holds the member or the
    pending application, so its reviewers lose nothing) and the visitor gets
    the same redirect and the same "awaiting review" page as a new applicant;
    that page tells genuine repeat applicants to ask the union office.
    POSTs are limited per client address per hour to slow down spam and probing.
    """
    union = get_object_or_404(Union, code=code)
    # Anonymous visitors have an empty scope; open only this union's, and read
    # only its department names.
    with scope(union=[union.id]):
        departments = queries.departments_of(union=union)
        if request.method != "POST":
            form = JoinForm(departments=departments)
            return render(request, "portal/join.html", {"union": union, "form": form})
        limit = getattr(settings, "PORTAL_JOIN_POSTS_PER_HOUR", JOIN_POSTS_PER_HOUR)
        if not throttling.allow(request=request, action="join", limit=limit):
            return render(request, "portal/join_throttled.html", {"union": union}, status=429)
        form = JoinForm(request.POST, departments=departments)
        if form.is_valid():
            try:
                members.submit_application(union=union, **form.submission())
            except ValidationError as e:
                shown = {k: v for k, v in e.message_dict.items() if k != "id_number"}
                if not shown:
                    log.info("join: repeat application for union %s not recorded", union.code)
                    return redirect("portal:join_done", code=union.code)
                for field, field_messages in shown.items():
                    for message in field_messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("portal:join_done", code=union.code)
        return render(request, "portal/join.html", {"union": union, "form": form})


def join_done(request, code):
    union = get_object_or_404(Union, code=code)
    return render(request, "portal/join_done.html", {"union": union})
