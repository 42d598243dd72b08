from django.urls import path

from gonghui.reports import newsletter_views, views, work_views

# Mounted at admin/reports/ ahead of the admin; the reports models are not in the
# admin, so these paths hide nothing.
app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("metric/<str:key>/", views.metric_records, name="metric_records"),
    path("charts/<str:chart>.png", views.chart_png, name="chart_png"),
    path("plans/", work_views.plans, name="plans"),
    path("plans/new/", work_views.new_plan, name="new_plan"),
    path("plans/<int:pk>/", work_views.plan_detail, name="plan"),
    path("plans/<int:pk>/carry-over/", work_views.carry_over, name="carry_over"),
    path("plans/goals/<int:pk>/remove/", work_views.remove_goal, name="remove_goal"),
    path("summaries/", work_views.summaries, name="summaries"),
    path("summaries/new/", work_views.new_summary, name="new_summary"),
    path("summaries/<int:pk>/", work_views.summary, name="summary"),
    path("summaries/<int:pk>/submit/", work_views.submit_summary, name="submit_summary"),
    path("summaries/<int:pk>/export.docx", work_views.export_docx, name="export_docx"),
    path("summaries/<int:pk>/export.md", work_views.export_markdown, name="export_markdown"),
    path("newsletters/", newsletter_views.newsletters, name="newsletters"),
    path("newsletters/new/", newsletter_views.new_newsletter, name="new_newsletter"),
    path("newsletters/<int:newsletter_id>/", newsletter_views.newsletter, name="newsletter"),
    path(
        "newsletters/<int:newsletter_id>/regenerate/",
        newsletter_views.regenerate,
        name="regenerate_newsletter",
    ),
    path(
        "newsletters/<int:newsletter_id>/publish/",
        newsletter_views.publish,
        name="publish_newsletter",
    ),
    path(
        "newsletters/<int:newsletter_id>/export.docx",
        newsletter_views.export_docx,
        name="newsletter_docx",
    ),
    path(
        "newsletters/<int:newsletter_id>/items/<int:item_id>/",
        newsletter_views.newsletter_item,
        name="newsletter_item",
    ),
    path(
        "newsletters/<int:newsletter_id>/items/<int:item_id>/move/",
        newsletter_views.move_item,
        name="move_newsletter_item",
    ),
    path(
        "newsletters/<int:newsletter_id>/items/<int:item_id>/remove/",
        newsletter_views.remove_item,
        name="remove_newsletter_item",
    ),
    path(
        "newsletters/<int:newsletter_id>/photos/<int:photo_id>/",
        newsletter_views.photo,
        name="newsletter_photo",
    ),
    path(
        "newsletters/<int:newsletter_id>/photos/<int:photo_id>/remove/",
        newsletter_views.remove_photo,
        name="remove_newsletter_photo",
    ),
]
