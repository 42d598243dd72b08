"""Who is calling the API, and how often they may."""

from django.conf import settings
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from gonghui.api import tokens
from gonghui.tenancy import request_token

PREFIX = "Bearer "


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`.

    The header is read exactly as TenancyMiddleware reads it, so the user the
    API acts for is always the user whose unions the request is scoped to.
    """

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith(PREFIX):
            return None
        key = header[len(PREFIX) :].strip()
        return self.authenticate(request, key)

    def authenticate(self, request, token):
        found = request_token(request)
        if found is None:
            return None
        tokens.mark_used(found)
        return found.user


class UserRateThrottle(SimpleRateThrottle):
    """Requests per signed-in account (by primary key, never by display name)."""

    scope = "gonghui_api"

    def __init__(self):
        super().__init__(rate=self.current_rate())

    @staticmethod
    def current_rate() -> str:
        return getattr(settings, "API_THROTTLE_RATE", "600/min")

    def allow_request(self, request):
        # Read the rate per request so a changed setting applies without a restart.
        self.rate = self.current_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        auth = getattr(request, "auth", None)
        ident = f"user-{auth.pk}" if auth is not None else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
