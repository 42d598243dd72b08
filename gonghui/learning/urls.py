from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/learning/ ahead of the admin: no path
# here may start with a learning model's name.
app_name = "learning"
urlpatterns = []
