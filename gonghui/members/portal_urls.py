from django.urls import path

from gonghui.members import portal_views

# Members' pages, mounted at /membership/.
app_name = "members_portal"
urlpatterns = [
    path("transfers/", portal_views.my_transfers, name="transfers"),
]
