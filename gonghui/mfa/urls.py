from django.urls import path

from gonghui.mfa import views

app_name = "mfa"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
]
