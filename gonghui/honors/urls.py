from django.urls import path

from gonghui.honors import views

# Back-office pages, mounted at admin/honors/ ahead of the admin: no path
# here may start with a honors model's name.
app_name = "honors"
urlpatterns = [
    path("months/new/", views.open_month, name="open_month"),
    path("months/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("months/<int:pk>/publish/", views.publish, name="publish"),
]
