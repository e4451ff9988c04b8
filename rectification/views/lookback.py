"""回头看 item checks: the office checks each fed-back finding of the earlier inspection, with evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from findings.evidence import content_type_for
from findings.models import Finding
from rounds.choices import InspectionKind
from rounds.models import Inspection
from xuncha.exports import log_download
from xuncha.forms import add_service_errors
from xuncha.roles import require_manage

from .. import services
from ..forms import LookbackCheckForm
from ..models import LookbackCheck


@login_required
def lookback_check(request, inspection_pk, finding_pk):
    require_manage(request.user)
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("unit", "group", "round", "follows__round"),
        pk=inspection_pk,
        kind=InspectionKind.LOOKBACK,
        follows__isnull=False,
    )
    finding = get_object_or_404(
        Finding.objects.select_related("category__parent"),
        pk=finding_pk,
        inspection_id=inspection.follows_id,
        feedback__isnull=False,
    )
    form = LookbackCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.lookback_check_record(
                actor=request.user, inspection=inspection, finding=finding, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记%(number)s的核查结论：%(result)s。")
                % {"number": finding.number, "result": check.get_result_display()},
            )
            return redirect(f"{inspection_url(inspection)}#lookback")
    tasks = finding.tasks.select_related("responsible_unit").order_by("due_date", "pk")
    return render(
        request,
        "rectification/lookback_check.html",
        {"inspection": inspection, "finding": finding, "tasks": tasks, "form": form},
        status=400 if form.errors else 200,
    )


def inspection_url(inspection):
    from django.urls import reverse

    return reverse("rounds:inspection_detail", args=[inspection.pk])


@login_required
def lookback_evidence(request, pk):
    """A check's evidence: for those who see the 回头看 inspection; logged, never cached."""
    check = get_object_or_404(
        LookbackCheck.objects.filter(inspection__in=Inspection.objects.visible_to(request.user).values("pk")),
        pk=pk,
    )
    if not check.evidence:
        raise Http404
    try:
        handle = check.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_download(user=request.user, kind="lookback_evidence", obj=check, filename=check.evidence_name)
    response = FileResponse(
        handle, as_attachment=True, filename=check.evidence_name, content_type=content_type_for(check.evidence_name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
