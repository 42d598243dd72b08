from django.urls import path

from gonghui.privacy import portal_views

# Members' pages, mounted at /privacy/.
app_name = "privacy_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("consent/<slug:category>/give/", portal_views.give, name="give"),
    path("consent/<slug:category>/withdraw/", portal_views.withdraw, name="withdraw"),
    path("my-data.xlsx", portal_views.download_xlsx, name="download_xlsx"),
    path("my-data.json", portal_views.download_json, name="download_json"),
]
