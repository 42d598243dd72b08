from django.urls import path

from gonghui.voice import views

# Back-office pages, mounted at admin/voice/ ahead of the admin: no path
# here may start with a voice model's name (opinion).
app_name = "voice"
urlpatterns = [
    path("items/<int:pk>/judge/", views.judge, name="judge"),
    path("items/<int:pk>/assign/", views.assign, name="assign"),
    path("items/<int:pk>/implement/", views.implement, name="implement"),
    path("items/<int:pk>/reward/", views.reward, name="reward"),
]
