from django.urls import path

from gonghui.rights import views

# Back-office pages, mounted at admin/rights/ ahead of the admin: no path
# here may start with a rights model's name (contract/, disputecase/…), or it
# would hide that model's admin pages. The first segment names the record,
# so the tenancy sweep knows which union's keys to try.
app_name = "rights"
urlpatterns = [
    path("contracts/<int:pk>/rounds/new/", views.hold_round, name="hold_round"),
    path("contracts/<int:pk>/drafts/new/", views.add_draft, name="add_draft"),
    path("contracts/<int:pk>/vote/", views.record_vote, name="record_vote"),
    path("contracts/<int:pk>/sign/", views.sign, name="sign"),
    path("contracts/<int:pk>/filing/", views.file, name="file"),
    path("contracts/<int:pk>/checks/new/", views.check, name="check"),
    path("contracts/expiring/", views.expiring, name="expiring"),
    path("disputes/<int:pk>/sessions/new/", views.record_session, name="record_session"),
    path("disputes/<int:pk>/close/", views.close_dispute, name="close_dispute"),
    path("consultations/<int:pk>/answer/", views.answer_consultation, name="answer"),
    path("supervision/<int:pk>/response/", views.record_response, name="record_response"),
    path("supervision/<int:pk>/resolved/", views.mark_resolved, name="mark_resolved"),
    path("supervision/<int:pk>/letter/", views.print_letter, name="print_letter"),
]
