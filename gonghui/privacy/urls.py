from django.urls import path

from gonghui.privacy import views

# Back-office pages, mounted at admin/privacy/ ahead of the admin: no path
# here may start with a privacy model's name.
app_name = "privacy"
urlpatterns = [
    path("paper-consent/", views.paper_consent, name="paper_consent"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("due/", views.due, name="due"),
    path("members/<int:member_id>/anonymise/", views.anonymise, name="anonymise"),
    path("access-log/", views.access_log, name="access_log"),
]
