from gonghui.api.v1 import api

app_name = "api"
urlpatterns = api.urls[0]
