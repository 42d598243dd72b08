from django.urls import path

from gonghui.learning import views

# Back-office pages, mounted at admin/learning/ ahead of the admin: no path
# here may start with a learning model's name.
app_name = "learning"
urlpatterns = [
    path("papers/<int:pk>/results/", views.exam_results, name="exam_results"),
]
