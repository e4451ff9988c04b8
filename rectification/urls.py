from django.urls import path

from . import views
from .views import assessments, lookups, results

app_name = "rectification"

urlpatterns = [
    path("", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/transition/", views.task_transition, name="task_transition"),
    path("tasks/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("unassigned/", views.unassigned, name="unassigned"),
    path("findings/<int:finding_pk>/tasks/new/", views.task_create, name="task_create"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/inspections/<int:inspection_pk>/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("documents/<int:pk>/review/", views.document_review, name="document_review"),
    path("documents/files/<int:pk>/", views.document_file_download, name="document_file_download"),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/settings/", assessments.assessment_settings, name="assessment_settings"),
    path("assessments/new/<int:inspection_pk>/", assessments.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/files/<int:pk>/", assessments.assessment_file_download, name="assessment_file_download"),
    path("assessments/proposals/<int:pk>/decide/", assessments.proposal_decide, name="proposal_decide"),
    path("inspections/<int:inspection_pk>/outcomes/", assessments.inspection_outcomes, name="inspection_outcomes"),
    path(
        "inspections/<int:inspection_pk>/outcomes/<str:which>/",
        assessments.inspection_outcome_add,
        name="inspection_outcome_add",
    ),
    path("results/", results.results_sheet, name="results_sheet"),
    path("supervisors/", assessments.supervisor_list, name="supervisor_list"),
    path("supervisors/<int:pk>/", assessments.supervisor_list, name="supervisor_edit"),
    path("spotchecks/", views.spotcheck_list, name="spotcheck_list"),
    path("spotchecks/new/", views.spotcheck_create, name="spotcheck_create"),
    path("spotchecks/<int:pk>/", views.spotcheck_detail, name="spotcheck_detail"),
    path("spotchecks/items/<int:pk>/", views.spotcheck_item_record, name="spotcheck_item_record"),
    path("lookback/<int:inspection_pk>/findings/<int:finding_pk>/", views.lookback_check, name="lookback_check"),
    path("lookback/evidence/<int:pk>/", views.lookback_evidence, name="lookback_evidence"),
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    # Choices for the searchable selects, as JSON.
    path("lookups/ledger-units/", lookups.ledger_units, name="lookup_ledger_units"),
    path("lookups/ledger-rounds/", lookups.ledger_rounds, name="lookup_ledger_rounds"),
    path("lookups/responsible-units/", lookups.responsible_units, name="lookup_responsible_units"),
    path("lookups/people/", lookups.people, name="lookup_people"),
    path("lookups/spotcheck-rounds/", lookups.spotcheck_rounds, name="lookup_spotcheck_rounds"),
]
