from django.urls import path

from gonghui.care import views

# Mounted at admin/care/ ahead of the admin: no path here may start with a
# care model's name, or it would hide that model's admin pages.
app_name = "care"
urlpatterns = [
    path("cases/<int:pk>/edit/", views.edit_case, name="edit_case"),
    path("cases/<int:pk>/review/", views.review_case, name="review_case"),
    path("cases/<int:pk>/close/", views.close_case, name="close_case"),
    path("cases/<int:pk>/health/", views.reveal, name="reveal"),
    path("assists/<int:pk>/approve/", views.approve_assistance, name="approve_assistance"),
    path("campaigns/<int:pk>/donations/new/", views.add_donation, name="add_donation"),
    path("campaigns/<int:pk>/fund/new/", views.add_fund, name="add_fund"),
    path("campaigns/<int:pk>/handover/new/", views.add_handover, name="add_handover"),
    path("aid/<int:pk>/approve/", views.approve_school_aid, name="approve_school_aid"),
    path("aid/<int:pk>/decline/", views.decline_school_aid, name="decline_school_aid"),
]
