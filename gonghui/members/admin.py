from django.contrib import admin
from unfold.admin import ModelAdmin

from gonghui.members.models import Application, Member, StatusChange


@admin.register(Member)
class MemberAdmin(ModelAdmin):
    list_display = ["name", "gender", "group", "status", "joined_on"]


@admin.register(Application)
class ApplicationAdmin(ModelAdmin):
    list_display = ["name", "state", "submitted_at"]


@admin.register(StatusChange)
class StatusChangeAdmin(ModelAdmin):
    list_display = ["member", "to_status", "on", "reason"]
