from django.urls import path

from . import views
from .views import lookups

app_name = "findings"

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
    # Choices for the searchable selects, as JSON.
    path("lookups/inspections/", lookups.finding_inspections, name="lookup_finding_inspections"),
    path("lookups/clue-inspections/", lookups.clue_inspections, name="lookup_clue_inspections"),
    path("lookups/drafting-inspections/", lookups.drafting_inspections, name="lookup_drafting_inspections"),
]
