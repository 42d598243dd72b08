from django.urls import path  # noqa: F401

# Members' pages, mounted at /rights/.
app_name = "rights_portal"
urlpatterns = []
