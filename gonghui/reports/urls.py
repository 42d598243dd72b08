from django.urls import path

from gonghui.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("metric/<str:key>/", views.metric_records, name="metric_records"),
]
