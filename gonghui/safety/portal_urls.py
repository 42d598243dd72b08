from django.urls import path

from gonghui.safety import portal_views

# Members' pages, mounted at /safety/.
app_name = "safety_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("report/", portal_views.report, name="report"),
    path("cards/<int:pk>/", portal_views.card, name="card"),
    path("cards/<int:pk>/plan/", portal_views.plan, name="plan"),
    path("cards/<int:pk>/rectify/", portal_views.rectify, name="rectify"),
    path("photos/<int:pk>/", portal_views.photo, name="photo"),
]
