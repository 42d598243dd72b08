from django.urls import path

from gonghui.democracy import congress_views as views

# Mounted at /admin/democracy/sessions/ inside the "democracy" namespace.
urlpatterns = [
    path("<int:pk>/", views.day, name="day"),
    path("<int:pk>/quorum/", views.quorum, name="quorum"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/open/", views.open_session, name="open_session"),
    path("<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("<int:pk>/agenda/", views.add_agenda, name="add_agenda"),
    path("<int:pk>/votes/<int:resolution_id>/open/", views.open_vote, name="open_vote"),
    path("<int:pk>/votes/<int:resolution_id>/tally/", views.secret_tally, name="secret_tally"),
    path("<int:pk>/close/", views.close_session, name="close_session"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/board/", views.board, name="board"),
    path("overdue/", views.overdue, name="overdue"),
    path("decide/<int:pk>/", views.decide, name="decide"),
    path("terms/<int:pk>/composition/", views.composition, name="congress_composition"),
]
