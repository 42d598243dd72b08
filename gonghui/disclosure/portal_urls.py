from django.urls import path  # noqa: F401

# Members' pages, mounted at /disclosure/.
app_name = "disclosure_portal"
urlpatterns = []
