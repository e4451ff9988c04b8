"""The read-only REST API: each endpoint is a list page's rows, through the same `visible_to` door and the same
FilterSet as the page and its .xlsx export. A person without the page gets 404 here too (no existence leak);
reads of findings and clues are logged like an export."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from findings import selectors as finding_selectors
from findings.filtersets import ClueFilterSet, FindingFilterSet
from rectification import selectors as task_selectors
from rectification.exports import LEDGER
from rectification.filtersets import ProgressReportFilterSet, ReminderFilterSet, TaskFilterSet
from rectification.models import ProgressReport, RectificationTask
from rounds import selectors as round_selectors
from rounds.exports import INSPECTIONS, ROUNDS, rounds_queryset
from rounds.filtersets import InspectionFilterSet, PlanFilterSet, RoundFilterSet, UnitFilterSet
from rounds.models import Plan
from xuncha.exports import log_export
from xuncha.exports.access import any_role, overseers
from xuncha.paging import PAGE_SIZE, PAGE_SIZES

from . import serializers


class Pagination(PageNumberPagination):
    """`?page=` and `?per=` (at most 100), as on the pages."""

    page_size = PAGE_SIZE
    page_size_query_param = "per"
    max_page_size = max(PAGE_SIZES)


class ListAPI(viewsets.ReadOnlyModelViewSet):
    """A list and its rows, for readers of the matching page (`readers(user)`); everyone else 404."""

    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination
    readers = staticmethod(lambda user: False)
    log_kind = ""  # set for confidential lists: every read leaves an ExportLog row

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.readers(request.user):
            raise NotFound

    def rows(self, user):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return self.filterset_class._meta.model.objects.none()
        return self.rows(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._log(request, response, many=True)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._log(request, response, many=False)
        return response

    def _log(self, request, response, *, many):
        if not self.log_kind or response.status_code != 200:
            return
        if many:
            filterset = self.filterset_class(request.query_params, queryset=self.rows(request.user), request=request)
            filters = filterset.cleaned_filters()
            if request.query_params.get("page"):
                filters["page"] = request.query_params["page"][:20]
            rows = len(response.data.get("results", []))
        else:
            filters, rows = {"id": self.kwargs["pk"]}, 1
        log_export(
            user=request.user,
            kind=self.log_kind,
            filename=request.path,
            filters=filters,
            row_count=rows,
            confidential=True,
        )


@extend_schema_view(list=extend_schema(summary=_("巡察对象名录")), retrieve=extend_schema(summary=_("巡察对象")))
class UnitViewSet(ListAPI):
    serializer_class = serializers.UnitSerializer
    filterset_class = UnitFilterSet
    readers = staticmethod(overseers)

    def rows(self, user):
        return round_selectors.unit_list(user=user, plan=round_selectors.current_plan())


@extend_schema_view(list=extend_schema(summary=_("巡察工作规划")), retrieve=extend_schema(summary=_("巡察工作规划")))
class PlanViewSet(ListAPI):
    serializer_class = serializers.PlanSerializer
    filterset_class = PlanFilterSet
    readers = staticmethod(overseers)

    def rows(self, user):
        return Plan.objects.order_by("-start_year", "-pk")


@extend_schema_view(list=extend_schema(summary=_("巡察轮次")), retrieve=extend_schema(summary=_("巡察轮次")))
class RoundViewSet(ListAPI):
    serializer_class = serializers.RoundSerializer
    filterset_class = RoundFilterSet
    readers = staticmethod(ROUNDS.allowed)

    def rows(self, user):
        return rounds_queryset(user).order_by("-year", "-number", "-pk")


@extend_schema_view(list=extend_schema(summary=_("巡察任务")), retrieve=extend_schema(summary=_("巡察任务")))
class InspectionViewSet(ListAPI):
    serializer_class = serializers.InspectionSerializer
    filterset_class = InspectionFilterSet
    readers = staticmethod(INSPECTIONS.allowed)

    def rows(self, user):
        return round_selectors.inspection_list(user=user)


@extend_schema_view(list=extend_schema(summary=_("问题底稿")), retrieve=extend_schema(summary=_("问题底稿")))
class FindingViewSet(ListAPI):
    serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilterSet
    readers = staticmethod(finding_selectors.reads_findings)
    log_kind = "api_findings"

    def rows(self, user):
        return finding_selectors.finding_list(user=user)


@extend_schema_view(list=extend_schema(summary=_("问题线索")), retrieve=extend_schema(summary=_("问题线索")))
class ClueViewSet(ListAPI):
    serializer_class = serializers.ClueSerializer
    filterset_class = ClueFilterSet
    readers = staticmethod(finding_selectors.reads_clues)
    log_kind = "api_clues"

    def rows(self, user):
        return finding_selectors.clue_list(user=user)


@extend_schema_view(list=extend_schema(summary=_("整改台账")), retrieve=extend_schema(summary=_("整改任务")))
class TaskViewSet(ListAPI):
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilterSet
    readers = staticmethod(LEDGER.allowed)

    def rows(self, user):
        return task_selectors.task_list(user=user)


@extend_schema_view(list=extend_schema(summary=_("整改进展")), retrieve=extend_schema(summary=_("整改进展")))
class ProgressReportViewSet(ListAPI):
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    readers = staticmethod(LEDGER.allowed)

    def rows(self, user):
        tasks = RectificationTask.objects.visible_to(user).values("pk")
        return ProgressReport.objects.filter(task__in=tasks).order_by("-created_at", "-pk")


@extend_schema_view(list=extend_schema(summary=_("整改提醒")), retrieve=extend_schema(summary=_("整改提醒")))
class ReminderViewSet(ListAPI):
    serializer_class = serializers.ReminderSerializer
    filterset_class = ReminderFilterSet
    readers = staticmethod(any_role)

    def rows(self, user):
        return task_selectors.reminder_list(user=user)


# --- The documentation pages ---------------------------------------------------------------------------------


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's files, its set-up script a separate file (?script): no inline script."""

    template_name = "api/swagger_ui.html"


class RedocView(SpectacularRedocView):
    """Redoc from the sidecar's files, with no font CDN (api/redoc.html). Redoc's styled-components write <style>
    elements at run time, so this page alone allows inline *styles* (never scripts): a fixed header, no nonce."""

    template_name = "api/redoc.html"
    CSP = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = self.CSP  # the middleware leaves a page's own policy alone
        return response
