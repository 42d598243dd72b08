from django.urls import path  # noqa: F401

# Members' pages, mounted at /learning/.
app_name = "learning_portal"
urlpatterns = []
