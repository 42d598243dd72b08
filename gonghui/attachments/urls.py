from django.contrib import admin
from django.urls import path

from gonghui.attachments import views

# Mounted at admin/attachments/ ahead of the admin.
app_name = "attachments"
urlpatterns = [
    path(
        "upload/<int:content_type_id>/<int:object_id>/",
        admin.site.admin_view(views.upload),
        name="upload",
    ),
    path("<int:pk>/", views.download, name="download"),
]
