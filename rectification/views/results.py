"""巡察结果运用: the results sheet for cadre evaluation; every view and export is logged."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from xuncha.paging import paginate

from .. import results
from ..after_forms import ResultsFilterForm
from ..models import ResultsAccess
from ..results_exports import docx_response_for, xlsx_response


@require_safe
@login_required
def results_sheet(request):
    if not results.reads_results(request.user):
        raise Http404
    form = ResultsFilterForm(request.GET or None)
    inspections = results.inspections_for_results(user=request.user, **form.filters())
    today = timezone.localdate()
    export = request.GET.get("export", "")
    if export in ("xlsx", "docx") and request.method == "GET":
        units = results.unit_rows(list(inspections), today=today)
        officials = results.official_rows(units)
        ResultsAccess.objects.create(user=request.user, action=export, filters=form.logged())
        if export == "xlsx":
            return xlsx_response(
                user=request.user,
                units=units,
                officials=officials,
                categories=results.top_categories(),
                filters=form.logged(),
            )
        return docx_response_for(user=request.user, units=units, officials=officials, filters=form.logged())
    page = paginate(request, inspections)
    units = results.unit_rows(list(page), today=today)
    ResultsAccess.objects.create(user=request.user, action=ResultsAccess.Action.VIEW, filters=form.logged())
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
