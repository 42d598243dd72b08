"""Request scoping: every query on a union-owned table runs inside a scope of
the unions the signed-in user may read (django-scopes refuses any other)."""

from django_scopes import scope

from gonghui.orgs.access import access_for

_NO_TOKEN = object()


def request_user(request):
    """The session user, or the API token's user when a bearer token is sent.

    The token is looked up once per request (the middleware, the API's auth
    and the guards all ask), and the same user object is answered each time.
    """
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = request_token(request)
        return token.user if token is not None else None
    return request.user


def request_token(request):
    """The active API token named by the request's bearer header, or None."""
    found = getattr(request, "_gonghui_token", _NO_TOKEN)
    if found is _NO_TOKEN:
        from gonghui.api.tokens import token_for_key

        header = request.headers.get("Authorization", "")
        key = header[7:].strip() if header.startswith("Bearer ") else ""
        found = token_for_key(key)
        request._gonghui_token = found
    return found


class TenancyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request_user(request)
        request.access = access_for(user)
        with scope(union=sorted(request.access.read)):
            return self.get_response(request)
