from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/rights/ ahead of the admin: no path
# here may start with a rights model's name.
app_name = "rights"
urlpatterns = []
