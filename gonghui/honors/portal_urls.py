from django.urls import path

from gonghui.honors import portal_views

# Members' pages, mounted at /honors/.
app_name = "honors_portal"
urlpatterns = [
    path("", portal_views.my_awards, name="awards"),
]
