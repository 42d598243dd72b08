"""The second sign-in step in the back office: enrol an authenticator, type a
code, see and renew recovery codes."""

from functools import wraps
from urllib.parse import urlencode

import segno
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from gonghui.mfa import queries, services
from gonghui.mfa.forms import CodeForm, EnrolmentForm

LOGIN = "/admin/login/"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def back_office(view):
    """Signed in with a back-office account (as the admin requires); others
    go to the back-office sign-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), LOGIN)
        return view(request, *args, **kwargs)

    return wrapped


def _to(name: str, next_url: str):
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _context(request, **extra) -> dict:
    return {**admin.site.each_context(request), "next": _next(request), **extra}


def _form_error(form, error: ValidationError) -> None:
    for message in error.message_dict.get("code", error.messages):
        form.add_error("code", message)


@back_office
def verify(request):
    """Ask for a code from the authenticator (or a recovery code)."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not queries.has_authenticator(user):
        return _to("mfa:setup", _next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            otp_login(request, device)
            if device.name == services.RECOVERY_NAME:
                left = queries.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"已使用一个恢复码，还剩{left}个。如手机已丢失，请尽快在“两步验证”页面重新绑定。",
                )
            return redirect(_next(request))
    return render(
        request,
        "mfa/verify.html",
        _context(
            request,
            form=form,
            title="两步验证",
            lock=not form.errors and _lock_message(user),
            required=queries.second_factor_required(user),
        ),
        status=400 if form.errors else 200,
    )


def _lock_message(user) -> str:
    try:
        services.ensure_not_locked(user=user)
    except ValidationError as error:
        return error.messages[0]
    return ""


@back_office
def setup(request):
    """Bind an authenticator app: scan the QR code, type the code it shows,
    then see the recovery codes once."""
    user = request.user
    if queries.has_authenticator(user) and not user.is_verified():
        # Replacing an authenticator needs the old one (or a recovery code) first.
        return _to("mfa:verify", reverse("mfa:setup"))
    device = services.begin_enrolment(user=user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_enrolment(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            otp_login(request, device)
            return render(
                request,
                "mfa/codes.html",
                _context(request, codes=codes, title="保存恢复码", enrolled=True),
            )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title="身份验证器绑定二维码"
    )
    return render(
        request,
        "mfa/setup.html",
        _context(
            request,
            form=form,
            title="绑定身份验证器",
            qr_svg=mark_safe(qr_svg),  # noqa: S308 - segno's own markup, no user text
            secret=" ".join(
                services.secret_of(device)[i : i + 4]
                for i in range(0, len(services.secret_of(device)), 4)
            ),
            required=queries.second_factor_required(user),
            replacing=queries.has_authenticator(user),
            lock=not form.errors and _lock_message(user),
        ),
        status=400 if form.errors else 200,
    )


@back_office
def manage(request):
    """The account's two-step status: bound or not, recovery codes left."""
    user = request.user
    if queries.second_factor_required(user) and not user.is_verified():
        step = "mfa:verify" if queries.has_authenticator(user) else "mfa:setup"
        return _to(step, reverse("mfa:manage"))
    return render(
        request,
        "mfa/manage.html",
        _context(
            request,
            title="两步验证",
            required=queries.second_factor_required(user),
            device=queries.authenticator(user),
            codes_left=queries.recovery_codes_left(user),
            verified=user.is_verified(),
        ),
    )


@require_POST
@back_office
def new_recovery_codes(request):
    user = request.user
    if not user.is_verified():
        return _to("mfa:verify", reverse("mfa:manage"))
    try:
        codes = services.regenerate_recovery_codes(user=user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("mfa:manage")
    return render(
        request,
        "mfa/codes.html",
        _context(request, codes=codes, title="新的恢复码", enrolled=False),
    )
