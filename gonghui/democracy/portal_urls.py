from django.urls import include, path

# Members' pages, mounted at /democracy/: congresses and proposals under
# congress/, elections and evaluations under vote/.
app_name = "democracy_portal"
urlpatterns = [
    path("congress/", include("gonghui.democracy.congress_portal_urls")),
    path("vote/", include("gonghui.democracy.elections_portal_urls")),
]
