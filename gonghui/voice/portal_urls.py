from django.urls import path  # noqa: F401

# Members' pages, mounted at /voice/.
app_name = "voice_portal"
urlpatterns = []
