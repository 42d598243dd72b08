from django.urls import path

from gonghui.disclosure import views

# Back-office pages, mounted at admin/disclosure/ ahead of the admin: no path
# here may start with a disclosure model's name (post, read, feedback).
app_name = "disclosure"
urlpatterns = [
    path("items/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("items/<int:pk>/withdraw/", views.withdraw_post, name="withdraw_post"),
    path("questions/<int:pk>/reply/", views.reply, name="reply"),
    path("budgets/publish/", views.publish_budget, name="publish_budget"),
]
