from django.urls import path

from gonghui.democracy import elections_views as views

# Mounted at admin/democracy/polls/ (namespace "democracy"); names start with
# election_/evaluation_ so they never meet the congress screens' names.
w = views.in_admin
urlpatterns = [
    path("election/<int:pk>/open/", w(views.open_election), name="election_open"),
    path("election/<int:pk>/close/", w(views.close_election), name="election_close"),
    path("election/<int:pk>/count/", w(views.count_election), name="election_count"),
    path("election/<int:pk>/codes/", w(views.codes), name="election_codes"),
    path("election/<int:pk>/desk/", w(views.desk), name="election_desk"),
    path("election/<int:pk>/teller/", w(views.teller), name="election_teller"),
    path("election/<int:pk>/reconcile/", w(views.reconcile), name="election_reconcile"),
    path("election/<int:pk>/results/", w(views.results), name="election_results"),
    path("election/<int:pk>/ballots.csv", w(views.export), name="election_export"),
    path("election/<int:pk>/publish/", w(views.publish), name="election_publish"),
    path("election/<int:pk>/runoff/", w(views.runoff), name="election_runoff"),
    path("candidate/<int:pk>/remove/", w(views.remove_candidate), name="election_remove_candidate"),
    path("evaluation/<int:pk>/close/", w(views.close_evaluation), name="evaluation_close"),
    path("evaluation/<int:pk>/publish/", w(views.publish_evaluation), name="evaluation_publish"),
]
