from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/disclosure/ ahead of the admin: no path
# here may start with a disclosure model's name.
app_name = "disclosure"
urlpatterns = []
