"""/api/: the read-only REST API, its OpenAPI schema and the Swagger UI / Redoc pages (served locally)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import token_views, views

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("clues", views.ClueViewSet, basename="clue")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("progress", views.ProgressReportViewSet, basename="progress")
router.register("reminders", views.ReminderViewSet, basename="reminder")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="api:schema"), name="swagger"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    path("tokens/<int:user_pk>/new/", token_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("v1/", include(router.urls)),
]
