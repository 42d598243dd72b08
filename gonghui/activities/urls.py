from django.urls import path

from gonghui.activities import views

app_name = "activities"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/results/", views.add_result, name="add_result"),
    path("<int:pk>/signups/<int:signup_id>/cancel/", views.cancel_signup, name="cancel_signup"),
]
