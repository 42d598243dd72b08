from django.urls import path

from gonghui.women import portal_views

# Members' pages, mounted at /women/.
app_name = "women_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("protection/", portal_views.protection, name="protection"),
]
