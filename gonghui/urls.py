from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/reports/", include("gonghui.reports.urls")),
    path("admin/roster/", include("gonghui.members.urls")),
    path("admin/finance/", include("gonghui.finance.urls")),
    path("admin/activities/", include("gonghui.activities.urls")),
    path("admin/attachments/", include("gonghui.attachments.urls")),
    path("admin/care/", include("gonghui.care.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("gonghui.api.urls")),
    path("activities/", include("gonghui.activities.portal_urls")),
    path("care/", include("gonghui.care.portal_urls")),
    path("", include("gonghui.portal.urls")),
]
