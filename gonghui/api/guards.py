"""Refuse a call on another union's object before its body is read.

Ninja validates the request body before the view runs, so a caller without
access would otherwise learn the body's shape from a 422 (and a sweep could
not tell "refused" from "malformed"). `guard` looks up the objects named in
the path first: not visible answers 404, visible without the permission 403,
exactly as the view itself would.
"""

from functools import wraps

from django.http import Http404
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from gonghui.api import schemas
from gonghui.api.access import require
from gonghui.api.auth import PREFIX
from gonghui.tenancy import request_user


def _visible(request, model, raw):
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None  # malformed: the view's own validation answers 422
    if not 1 <= pk <= schemas.MAX_ID:
        return None
    obj = model.objects.filter(pk=pk).only("pk", "union_id").first()
    if obj is None:
        raise Http404
    return obj


def guard(perm: str, **params):
    """`@guard(Perm.CHANGE_ACTIVITIES, activity_id=Activity)` under the route decorator."""

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            user = request_user(request)
            if (
                request.headers.get("Authorization", "").startswith(PREFIX)
                and user is not None
                and user.is_authenticated
            ):
                try:
                    for name, model in params.items():
                        obj = _visible(request, model, kwargs.get(name))
                        if obj is not None:
                            require(request, perm, obj.union_id)
                except (Http404, HttpError) as exc:
                    from gonghui.api.v1 import api

                    return api.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return checked

    return decorate_view(decorator)


def own_guard(find):
    """For steps a member takes as themself: `find(request, **path)` looks up the
    record in the path among the caller's own (raising Http404 when it is not
    theirs) before the body is read, so a caller who may not act on it gets 404
    rather than learning the body's shape from a 422."""

    def decorator(run):
        @wraps(run)
        def checked(request, *args, **kwargs):
            user = request_user(request)
            if user is None or not user.is_authenticated:
                return run(request, *args, **kwargs)  # ninja's authentication answers
            if getattr(request, "auth", None) is None:
                request.auth = user  # the guard runs before ninja sets it
            try:
                find(request, **kwargs)
            except (TypeError, ValueError):
                pass  # a malformed id: the view's own validation answers 422
            except Http404 as exc:
                from gonghui.api.v1 import api

                return api.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return checked

    return decorate_view(decorator)
