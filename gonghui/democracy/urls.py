from django.urls import include, path

# Back-office pages, mounted at admin/democracy/ ahead of the admin: no path
# here may start with a democracy model's name.
app_name = "democracy"
urlpatterns = [
    path("sessions/", include("gonghui.democracy.congress_urls")),
    path("polls/", include("gonghui.democracy.elections_urls")),
]
