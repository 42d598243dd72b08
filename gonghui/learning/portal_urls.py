from django.urls import path

from gonghui.learning import portal_views

# Members' pages, mounted at /learning/.
app_name = "learning_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("daily/", portal_views.answer_daily, name="answer_daily"),
    path("exams/<int:pk>/", portal_views.exam, name="exam"),
    path("record/", portal_views.record, name="record"),
]
