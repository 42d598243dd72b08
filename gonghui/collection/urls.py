from django.urls import path

from gonghui.collection import views

# Mounted at admin/collection/ ahead of the admin; the collection models are not
# in the admin, so these paths hide nothing. The path words name the models, so
# the tenancy sweep requests them with another union's exact keys.
app_name = "collection"
urlpatterns = [
    path("", views.index, name="index"),
    path("collection-requests/new/", views.new_request, name="new_request"),
    path("collection-requests/<int:pk>/", views.board, name="board"),
    path("collection-requests/<int:pk>/remind/", views.remind, name="remind"),
    path("collection-requests/<int:pk>/consolidate/", views.consolidate, name="consolidate"),
    path("collection-requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("collection-requests/<int:pk>/extend/", views.extend, name="extend"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/submit/", views.submit, name="submit"),
    path("submissions/<int:pk>/send-back/", views.send_back, name="send_back"),
    path("submissions/<int:pk>/report.docx", views.submission_docx, name="submission_docx"),
    path("consolidated-reports/<int:pk>/", views.consolidated, name="consolidated"),
    path(
        "consolidated-reports/<int:pk>/lock/",
        views.lock_consolidated,
        name="lock_consolidated",
    ),
    path(
        "consolidated-reports/<int:pk>/export.docx",
        views.consolidated_docx,
        name="consolidated_docx",
    ),
    path(
        "consolidated-reports/<int:pk>/figures/<str:ref>/",
        views.consolidated_figure,
        name="consolidated_figure",
    ),
]
