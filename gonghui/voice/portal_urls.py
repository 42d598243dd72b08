from django.urls import path

from gonghui.voice import portal_views

# Members' pages, mounted at /voice/.
app_name = "voice_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("new/", portal_views.new, name="new"),
    path("<int:pk>/", portal_views.opinion, name="opinion"),
    path("handling/", portal_views.handling, name="handling"),
    path("handling/<int:pk>/", portal_views.handle, name="handle"),
    path("<int:pk>/files/<int:file_pk>/", portal_views.download, name="download"),
]
