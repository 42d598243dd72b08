from django.urls import path

from gonghui.democracy import congress_portal_views as views

# Mounted at /democracy/congress/ inside the "democracy_portal" namespace.
urlpatterns = [
    path("", views.home, name="home"),
    path("agenda/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("proposals/new/", views.new_proposal, name="new_proposal"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/co-sign/", views.co_sign, name="co_sign"),
    path("proposals/<int:pk>/submit/", views.submit, name="submit"),
    path("proposals/<int:pk>/rate/", views.rate, name="rate"),
    path("proposals/<int:pk>/reply/", views.reply, name="reply"),
    path("checkin/<str:token>/", views.check_in, name="check_in"),
]
