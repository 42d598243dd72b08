from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/safety/ ahead of the admin: no path
# here may start with a safety model's name.
app_name = "safety"
urlpatterns = []
