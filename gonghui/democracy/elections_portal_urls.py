from django.urls import path

from gonghui.democracy import elections_portal_views as views

# Mounted at /democracy/vote/ (namespace "democracy_portal").
urlpatterns = [
    path("", views.home, name="vote_home"),
    path("code/", views.code_vote, name="vote_code"),
    path("election/<int:pk>/", views.ballot, name="election_ballot"),
    path("election/<int:pk>/results/", views.results, name="election_results"),
    path("evaluation/<int:pk>/", views.evaluate, name="evaluation_form"),
    path("evaluation/<int:pk>/results/", views.evaluation_results, name="evaluation_results"),
]
