from django.urls import path  # noqa: F401

# Members' pages, mounted at /women/.
app_name = "women_portal"
urlpatterns = []
