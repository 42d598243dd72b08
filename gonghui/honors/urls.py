from django.urls import path

from gonghui.honors import views

# Back-office pages, mounted at admin/honors/ ahead of the admin: no path
# here may start with a honors model's name. Adding a kind, nomination,
# model worker, rule or month goes through each model's admin "add" page.
app_name = "honors"
urlpatterns = [
    path("kinds/defaults/", views.default_kinds, name="default_kinds"),
    path("kinds/<int:pk>/edit/", views.edit_kind, name="edit_kind"),
    path("nominations/<int:pk>/decide/", views.decide, name="decide"),
    path("nominations/announce/", views.announce, name="announce"),
    path("workers/<int:pk>/edit/", views.edit_model_worker, name="edit_model_worker"),
    path("rules/<int:pk>/revise/", views.revise_rule, name="revise_rule"),
    path("months/new/", views.open_month, name="open_month"),
    path("months/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("months/<int:pk>/publish/", views.publish, name="publish"),
    path("ranking/", views.ranking, name="ranking"),
]
