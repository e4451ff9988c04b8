"""Ledgers in and out: list exports, Word documents, Excel imports and the export log."""

from django.urls import path

from rounds import import_views

from . import views, word_views

app_name = "exports"

LIST_KINDS = ("units", "people", "rounds", "inspections", "findings", "clues", "ledger", "reminders", "petitions")

urlpatterns = [
    path("", views.index, name="index"),
    *[path(f"export/{kind}.xlsx", views.export_list, {"kind": kind}, name=kind) for kind in LIST_KINDS],
    # The task list's export is the 整改台账 itself.
    path("export/tasks.xlsx", views.export_list, {"kind": "ledger"}, name="tasks"),
    path("log/", views.export_log, name="export_log"),
    path("job/<int:pk>/", views.export_job, name="export_job"),
    path("job/<int:pk>/download/", views.export_job_download, name="export_job_download"),
    path("job/<int:pk>/retry/", views.export_job_retry_view, name="export_job_retry"),
    path("word/feedback/<int:inspection_id>.docx", word_views.feedback_letter, name="feedback_letter"),
    path("word/finding/<int:pk>.docx", word_views.finding_sheet, name="finding_sheet"),
    path("word/notice/<int:unit_id>.docx", word_views.rectification_notice, name="rectification_notice"),
    path("import/<str:kind>/", import_views.import_start, name="import_start"),
    path("import/<str:kind>/template.xlsx", import_views.import_template, name="import_template"),
    path("import/job/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/job/<int:pk>/retry/", import_views.import_job_retry_view, name="import_job_retry"),
]
