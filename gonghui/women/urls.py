from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/women/ ahead of the admin: no path
# here may start with a women model's name.
app_name = "women"
urlpatterns = []
