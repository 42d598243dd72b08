from django.urls import path

from gonghui.upper import views

# Mounted at admin/upper/ ahead of the admin; UnitTarget is not in the admin,
# so these paths hide nothing.
app_name = "upper"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ranking/", views.ranking, name="ranking"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:pk>/remove/", views.remove_target, name="remove_target"),
]
