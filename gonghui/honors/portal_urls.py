from django.urls import path  # noqa: F401

# Members' pages, mounted at /honors/.
app_name = "honors_portal"
urlpatterns = []
