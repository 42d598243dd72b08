from django.contrib import admin
from unfold.admin import ModelAdmin

from gonghui.orgs.models import AccessLog, Department, Group, Term, Union, User


@admin.register(Union)
class UnionAdmin(ModelAdmin):
    list_display = ["name", "code", "kind", "headcount"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(ModelAdmin):
    list_display = ["name", "union"]


@admin.register(Group)
class GroupAdmin(ModelAdmin):
    list_display = ["name", "union", "department"]


@admin.register(Term)
class TermAdmin(ModelAdmin):
    list_display = ["__str__", "union", "starts_on", "ends_on"]


@admin.register(User)
class UserAdmin(ModelAdmin):
    list_display = ["username", "display_name", "is_active"]


@admin.register(AccessLog)
class AccessLogAdmin(ModelAdmin):
    list_display = ["at", "user", "subject", "field", "reason"]
