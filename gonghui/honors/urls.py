from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/honors/ ahead of the admin: no path
# here may start with a honors model's name.
app_name = "honors"
urlpatterns = []
