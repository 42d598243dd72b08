from django.urls import path

from gonghui.care import portal_views

app_name = "care_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("campaigns/<int:pk>/", portal_views.campaign, name="campaign"),
    path("campaigns/<int:pk>/donate/", portal_views.donate, name="donate"),
    path("donations/", portal_views.my_donations, name="donations"),
    path("received/", portal_views.received, name="received"),
    path("school-aid/", portal_views.school_aid, name="school_aid"),
    path("school-aid/apply/", portal_views.apply_school_aid, name="apply_school_aid"),
]
