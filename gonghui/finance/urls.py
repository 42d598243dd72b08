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
]
