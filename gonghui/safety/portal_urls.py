from django.urls import path  # noqa: F401

# Members' pages, mounted at /safety/.
app_name = "safety_portal"
urlpatterns = []
