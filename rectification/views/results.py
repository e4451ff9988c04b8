"""巡察结果运用: the results sheet for cadre evaluation; every view and export is logged."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from xuncha.paging import paginate

from .. import results
from ..after_filtersets import ResultsFilterSet
from ..models import ResultsAccess
from ..results_exports import docx_response_for, xlsx_response


@require_safe
@login_required
def results_sheet(request):
    if not results.reads_results(request.user):
        raise Http404
    filterset = ResultsFilterSet(
        request.GET, queryset=results.inspections_for_results(user=request.user), request=request
    )
    form, inspections, logged = filterset.form, filterset.qs, filterset.cleaned_filters()
    today = timezone.localdate()
    export = request.GET.get("export", "")
    if export in ("xlsx", "docx") and request.method == "GET":
        units = results.unit_rows(list(inspections), today=today)
        officials = results.official_rows(units)
        ResultsAccess.objects.create(user=request.user, action=export, filters=logged)
        if export == "xlsx":
            return xlsx_response(
                user=request.user,
                units=units,
                officials=officials,
                categories=results.top_categories(),
                filters=logged,
            )
        return docx_response_for(user=request.user, units=units, officials=officials, filters=logged)
    page = paginate(request, inspections)
    units = results.unit_rows(list(page), today=today)
    ResultsAccess.objects.create(user=request.user, action=ResultsAccess.Action.VIEW, filters=logged)
    return render(
        request,
        "rectification/results_sheet.html",
        {
            "form": form,
            "page": page,
            "units": units,
            "officials": results.official_rows(units),
            "categories": results.top_categories(),
        },
    )
