"""The second step stands between a password sign-in and the back office.

An account that must use a second factor (queries.second_factor_required)
or has turned one on, and whose session has not been verified, is sent from any back-office page to
enrol an authenticator (none yet) or to type a code. API calls carry bearer
tokens instead of sessions (docs/security.md): a token of such an account is
refused while the account has no authenticator.
"""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from gonghui.mfa import queries

BACK_OFFICE = "/admin/"
API = "/api/"
# Reachable before the second step: signing in and out, and the step itself.
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/mfa/")
TOKEN_REFUSED = "该账号须先在后台绑定身份验证器（两步验证），接口令牌才能使用。"


def _needs_code(user) -> bool:
    """Signed in with the password only, and either bound to a second factor
    (it was turned on by choice) or required to have one."""
    return (
        user.is_authenticated
        and not user.is_verified()
        and (queries.has_authenticator(user) or queries.second_factor_required(user))
    )


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(BACK_OFFICE) and not path.startswith(OPEN_PATHS):
            if _needs_code(request.user):
                step = "mfa:verify" if queries.has_authenticator(request.user) else "mfa:setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        elif path.startswith(API) and request.headers.get("Authorization", "").startswith(
            "Bearer "
        ):
            from gonghui.tenancy import request_user

            user = request_user(request)
            if (
                user is not None
                and queries.second_factor_required(user)
                and not queries.has_authenticator(user)
            ):
                return JsonResponse({"detail": TOKEN_REFUSED}, status=403)
        return self.get_response(request)
