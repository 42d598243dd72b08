"""Request scoping: every query on a union-owned table runs inside a scope of
the unions the signed-in user may read (django-scopes refuses any other)."""

from django_scopes import scope

from gonghui.orgs.access import access_for


def request_user(request):
    """The session user, or the API token's user when a bearer token is sent."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        from gonghui.api.tokens import user_for_token

        return user_for_token(header[7:].strip())
    return request.user


class TenancyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request_user(request)
        request.access = access_for(user)
        with scope(union=sorted(request.access.read)):
            return self.get_response(request)
