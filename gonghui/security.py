"""Response and session rules that hold for every page (docs/security.md).

- `NoStoreMiddleware`: pages seen by a signed-in user (or an API caller) may
  hold personal data, so neither the browser nor a proxy may keep a copy
  (unless the view itself chose `private`, for photos shown repeatedly).
- `SessionIdleMiddleware`: a session ends after SESSION_IDLE_SECONDS without
  a request and after SESSION_MAX_SECONDS in any case.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = ("/admin/", "/api/")
# Refreshing the session's expiry writes the session row; once a minute is
# enough to keep an active user signed in without a write per request.
TOUCH_INTERVAL_SECONDS = 60
LAST_SEEN = "_gonghui_last_seen"
STARTED = "_gonghui_started"


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user, to an
    API call, and on every back-office page (including its sign-in pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(PRIVATE_PREFIXES)
            or "Authorization" in request.headers
            or request.user.is_authenticated
        ) and not _kept_privately(response):
            add_never_cache_headers(response)
        return response


def _kept_privately(response) -> bool:
    """A view that chose to let the browser alone keep a file (a photo it
    shows again and again) says so with `private` or `no-store`; that choice stands."""
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store"})


class SessionIdleMiddleware:
    """Sign out a session that has been idle or alive too long.

    The check runs on the server, so a copied cookie is as dead as the
    browser's; the expiry is pushed forward at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            last_seen = session.get(LAST_SEEN, now)
            started = session.get(STARTED, now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_old = now - started > settings.SESSION_MAX_SECONDS
            if idle or too_old:
                logout(request)
            else:
                if STARTED not in session:
                    session[STARTED] = now
                if now - session.get(LAST_SEEN, 0) >= TOUCH_INTERVAL_SECONDS:
                    session[LAST_SEEN] = now
        return self.get_response(request)
