from django.urls import path  # noqa: F401

# Back-office pages, mounted at admin/voice/ ahead of the admin: no path
# here may start with a voice model's name.
app_name = "voice"
urlpatterns = []
