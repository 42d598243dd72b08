"""Back-office screen where staff create their own API tokens and see each key once."""

from django.contrib import admin
from django.template.response import TemplateResponse
from unfold.admin import ModelAdmin

from gonghui.api import tokens
from gonghui.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "last_used_at"]
    fields = ["name"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_queryset(self, request):
        tokens_ = super().get_queryset(request).select_related("user")
        return tokens_ if request.user.is_superuser else tokens_.filter(user=request.user)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", "prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["name", "prefix", "created_at", "last_used_at"]

    # Any active staff account may hold tokens; each sees and revokes only its own.
    def _is_staff(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request) and (obj is None or self._owns(request, obj))

    def has_add_permission(self, request):
        return self._is_staff(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self._is_staff(request) and (obj is None or self._owns(request, obj))

    def _owns(self, request, obj) -> bool:
        return request.user.is_superuser or obj.user_id == request.user.pk

    def save_model(self, request, obj, form, change):
        obj.user = request.user
        obj._key = tokens.save_new_token(token=obj)

    def response_add(self, request, obj, post_url_continue=None):
        # The key is rendered straight into this response and stored nowhere:
        # not in the session, not in a message cookie.
        context = {
            **self.admin_site.each_context(request),
            "title": "接口令牌已创建",
            "token": obj,
            "key": obj._key,
            "opts": self.opts,
        }
        response = TemplateResponse(request, "api/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response
