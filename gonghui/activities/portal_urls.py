from django.urls import path

from gonghui.activities import portal_views

app_name = "activities_portal"
urlpatterns = [
    path("", portal_views.my_activities, name="list"),
    path("<int:pk>/", portal_views.detail, name="detail"),
    path("<int:pk>/signup/", portal_views.sign_up, name="sign_up"),
    path("<int:pk>/cancel/", portal_views.cancel, name="cancel"),
    path("checkin/<str:token>/", portal_views.check_in, name="check_in"),
]
