from django.urls import path

from gonghui.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("join/<slug:code>/", views.join, name="join"),
    path("join/<slug:code>/done/", views.join_done, name="join_done"),
]
