from django.urls import path

from gonghui.finance import views

app_name = "finance"
urlpatterns = [
    path("execution/", views.execution, name="execution"),
    path("statement/", views.statement, name="statement"),
    path("statement.xlsx", views.statement_xlsx, name="statement_xlsx"),
    path("years/<int:year_id>/lines/new/", views.add_line, name="add_line"),
    path("years/<int:year_id>/close/", views.close_year, name="close_year"),
    path("lines/<int:line_id>/adjust/", views.adjust_line, name="adjust_line"),
    path("settings/", views.finance_settings, name="settings"),
    path("dues/arrears/", views.arrears_list, name="arrears"),
    path("dues/import/", views.deductions_import, name="deductions_import"),
    path(
        "allocations/<int:allocation_id>/receive/",
        views.receive_allocation,
        name="receive_allocation",
    ),
    path(
        "allocations/<int:allocation_id>/transfer/",
        views.transfer_upward,
        name="transfer_upward",
    ),
]
