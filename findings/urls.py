from django.urls import path

from . import views
from .views import categories, lookups, petitions, report_docs, reports

app_name = "findings"
ON, OFF = {"active": True}, {"active": False}

urlpatterns = [
    path("", views.finding_list, name="finding_list"),
    path("new/", views.finding_create, name="finding_create"),
    path("<int:pk>/", views.finding_detail, name="finding_detail"),
    path("<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("<int:pk>/review/", views.finding_transition, name="finding_transition"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/edit/", views.clue_edit, name="clue_edit"),
    path("clues/<int:pk>/transfer/", views.clue_transfer, name="clue_transfer"),
    path("clues/<int:pk>/disposition/", views.clue_disposition, name="clue_disposition"),
    # 问题类别 (the office keeps the tree)
    path("categories/", categories.category_list, name="category_list"),
    path("categories/<int:pk>/rename/", categories.category_rename, name="category_rename"),
    path("categories/<int:pk>/up/", categories.category_move, {"up": True}, name="category_up"),
    path("categories/<int:pk>/down/", categories.category_move, {"up": False}, name="category_down"),
    path(
        "categories/<int:pk>/deactivate/", categories.category_set_active, {"active": False}, name="category_deactivate"
    ),
    path(
        "categories/<int:pk>/reactivate/", categories.category_set_active, {"active": True}, name="category_reactivate"
    ),
    path("categories/<int:pk>/delete/", categories.category_delete, name="category_delete"),
    # 巡察信访
    path("petitions/", petitions.petition_list, name="petition_list"),
    path("petitions/new/", petitions.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/edit/", petitions.petition_edit, name="petition_edit"),
    path("petitions/<int:pk>/handle/", petitions.petition_transition, name="petition_transition"),
    path("petitions/<int:pk>/finding/", petitions.petition_to_finding, name="petition_to_finding"),
    path("petitions/<int:pk>/clue/", petitions.petition_to_clue, name="petition_to_clue"),
    # Choices for the searchable selects, as JSON.
    path("lookups/inspections/", lookups.finding_inspections, name="lookup_finding_inspections"),
    path("lookups/units/", lookups.finding_units, name="lookup_finding_units"),
    path("lookups/clue-inspections/", lookups.clue_inspections, name="lookup_clue_inspections"),
    path("lookups/drafting-inspections/", lookups.drafting_inspections, name="lookup_drafting_inspections"),
    # 巡察报告 and the round's 综合报告
    path("reports/", reports.report_list, name="report_list"),
    path("reports/new/<int:inspection_id>/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/review/", reports.report_transition, name="report_transition"),
    path("reports/<int:pk>/report.docx", report_docs.report_word, name="report_word"),
    path("reports/round/<int:round_id>/", reports.round_report, name="round_report"),
    path("reports/round/<int:round_id>/edit/", reports.round_report_edit, name="round_report_edit"),
    path("reports/round/<int:round_id>/common/", reports.round_report_common, name="round_report_common"),
    path("reports/round/<int:round_id>/review/", reports.round_report_transition, name="round_report_transition"),
    path("reports/round/<int:round_id>/report.docx", report_docs.round_report_word, name="round_report_word"),
]
