"""What every back-office screen beyond a model list needs, in one place.

The areas' `views.py` (care, safety, women, learning, disclosure, voice,
honours, rights, privacy) run inside the admin shell, find their record among
the unions where the user holds a permission (another union's record is 404),
render one form page and call one service. The steps are the same everywhere;
only the permission, the refusal text and the template differ, so each area
keeps a two-line wrapper naming those and calls these.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from unfold.admin import TabularInline

from gonghui.orgs.models import Union


def in_admin(view):
    """Run the view inside the admin shell (signed-in staff only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return admin.site.admin_view(view)(request, *args, **kwargs)

    return wrapped


def unions_with(request, perm: str, refusal: str) -> QuerySet:
    """The unions where the user holds `perm`, in tree order; `refusal` (Chinese)
    when there are none."""
    allowed = request.access.unions_with(perm)
    if not allowed:
        raise PermissionDenied(refusal)
    return Union.objects.filter(pk__in=allowed).order_by("path")


def record_of(request, model: type[Model], pk, perm: str) -> Model:
    """A record of a union where the user holds `perm`; any other is 404."""
    return get_object_or_404(
        model.objects.filter(union__in=request.access.unions_with(perm)), pk=pk
    )


def change_url(obj: Model) -> str:
    """The record's page in the admin."""
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def form_page(
    request, template: str, *, form, title: str, intro: str = "", submit: str = "保存", **extra
):
    """One form inside the admin shell. Bad input answers this same page with its
    Chinese message, status 200, like every back-office form (docs/decisions.md)."""
    context = {
        **admin.site.each_context(request),
        "title": title,
        "form": form,
        "intro": intro,
        "submit": submit,
        **extra,
    }
    return render(request, template, context)


def submit(request, form, act: Callable[[dict], object], *, done, said=None):
    """Validate, call the service, put its messages on the form.

    Returns the redirect to `done(result)` when the service succeeded, else
    None (the caller shows the form again). `said` is the success message: a
    function of the result, a fixed text, or by default "已保存：<result>".
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = act(dict(form.cleaned_data))
    except ValidationError as e:
        form.add_service_errors(e)
        return None
    if callable(said):
        message = said(result)
    elif said:
        message = said
    else:
        message = f"已保存：{result}"
    messages.success(request, message)
    return redirect(done(result))


class ReadOnlyInline(TabularInline):
    """A record's steps or parts listed under it, never edited there (they are
    written through the area's workflow pages). Seen by whoever holds the
    area's `view_perm` in the record's union."""

    view_perm: str = ""
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return obj is None or request.access.can(self.view_perm, obj.union_id)
