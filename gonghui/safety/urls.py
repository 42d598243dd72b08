from django.urls import path

from gonghui.safety import views

# Back-office pages, mounted at admin/safety/ ahead of the admin: no path
# here may start with a safety model's name.
app_name = "safety"
urlpatterns = [
    path("cards/<int:pk>/assign/", views.assign, name="assign"),
    path("cards/<int:pk>/plan/", views.plan, name="plan"),
    path("cards/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("cards/<int:pk>/verify/", views.verify, name="verify"),
    path("cards/<int:pk>/print/", views.print_card, name="print_card"),
    path("overdue/", views.overdue, name="overdue"),
    path("checks/<int:pk>/results/", views.record_results, name="record_results"),
    path("checks/<int:pk>/finding/", views.add_finding, name="add_finding"),
    path("quiz/<int:pk>/results/", views.contest_results, name="contest_results"),
    path("quiz/<int:pk>/from-exam/", views.contest_from_exam, name="contest_from_exam"),
]
