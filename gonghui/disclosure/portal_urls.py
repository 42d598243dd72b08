from django.urls import path

from gonghui.disclosure import portal_views

# Members' pages, mounted at /disclosure/.
app_name = "disclosure_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("<int:pk>/", portal_views.post, name="post"),
    path("<int:pk>/ask/", portal_views.ask, name="ask"),
    path("<int:pk>/files/<int:file_pk>/", portal_views.download, name="download"),
]
