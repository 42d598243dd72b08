from django.urls import path

from gonghui.women import views

# Back-office pages, mounted at admin/women/ ahead of the admin: no path
# here may start with a women model's name.
app_name = "women"
urlpatterns = [
    path("committee/", views.committee, name="committee"),
    path("periods/<int:pk>/open/", views.reveal, name="reveal"),
    path("periods/<int:pk>/close/", views.close_protection, name="close"),
    path("campaigns/<int:pk>/done/", views.record_checkups, name="record_checkups"),
    path("plans/<int:pk>/enrol/", views.enrol, name="enrol"),
]
