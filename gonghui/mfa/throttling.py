"""A limit on failed password sign-ins per address, beside django-axes'
per-account lockout: password spraying (one password tried on many
accounts) never locks any one account, so it is counted per address.

Counted in the cache (per process with the default local-memory cache):
it slows down scripted spraying; it is not an accounting of attempts.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import reverse

WINDOW_SECONDS = 3600


def _address(request) -> str:
    # REMOTE_ADDR only: a forwarded header can be forged by the client itself.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(request) -> str:
    return f"gonghui-signin-failures:{_address(request)}:{int(time.time() // WINDOW_SECONDS)}"


def failures_from(request) -> int:
    return cache.get(_key(request), 0)


@receiver(user_login_failed)
def count_failure(sender, credentials=None, request=None, **kwargs):
    if request is None:
        return
    key = _key(request)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=WINDOW_SECONDS)


class SignInAddressLimitMiddleware:
    """Refuse sign-in attempts from an address that failed too often this hour."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths = None

    def __call__(self, request):
        if self._paths is None:
            self._paths = {reverse("admin:login"), reverse("portal:login")}
        if (
            request.method == "POST"
            and request.path_info in self._paths
            and failures_from(request) >= settings.GONGHUI_LOGIN_FAILURES_PER_ADDRESS
        ):
            return render(request, "mfa/too_many_sign_ins.html", status=429)
        return self.get_response(request)
