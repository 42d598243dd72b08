from django.urls import path

from gonghui.members import import_views

app_name = "members"
urlpatterns = [
    path("import/", import_views.import_start, name="import"),
    path("import/template.xlsx", import_views.template, name="template"),
    path("import/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors_file, name="import_errors_file"),
]
