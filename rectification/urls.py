from django.urls import path

from . import views
from .views import lookups, upper

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
    path("spotchecks/", views.spotcheck_list, name="spotcheck_list"),
    path("spotchecks/new/", views.spotcheck_create, name="spotcheck_create"),
    path("spotchecks/<int:pk>/", views.spotcheck_detail, name="spotcheck_detail"),
    path("spotchecks/items/<int:pk>/", views.spotcheck_item_record, name="spotcheck_item_record"),
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    # 配合上级巡视/巡察
    path("upper/", upper.visit_list, name="upper_visit_list"),
    path("upper/new/", upper.visit_form, name="upper_visit_create"),
    path("upper/<int:pk>/", upper.visit_detail, name="upper_visit_detail"),
    path("upper/<int:pk>/edit/", upper.visit_form, name="upper_visit_edit"),
    path("upper/<int:pk>/report.docx", upper.upper_report, name="upper_report"),
    path("upper/<int:visit_pk>/requests/new/", upper.request_create, name="upper_request_create"),
    path("upper/requests/", upper.request_list, name="upper_request_list"),
    path("upper/requests/<int:pk>/", upper.request_detail, name="upper_request_detail"),
    path("upper/requests/<int:pk>/edit/", upper.request_edit, name="upper_request_edit"),
    path("upper/requests/<int:pk>/transition/", upper.request_transition, name="upper_request_transition"),
    path("upper/requests/<int:pk>/attach/", upper.request_attach, name="upper_request_attach"),
    path("upper/attachments/<int:pk>/", upper.attachment_download, name="upper_attachment_download"),
    # Choices for the searchable selects, as JSON.
    path("lookups/ledger-units/", lookups.ledger_units, name="lookup_ledger_units"),
    path("lookups/ledger-rounds/", lookups.ledger_rounds, name="lookup_ledger_rounds"),
    path("lookups/responsible-units/", lookups.responsible_units, name="lookup_responsible_units"),
    path("lookups/people/", lookups.people, name="lookup_people"),
    path("lookups/spotcheck-rounds/", lookups.spotcheck_rounds, name="lookup_spotcheck_rounds"),
]
