"""Download views for every list, and the office's export log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from xuncha.models import ExportJob, ExportLog, ExportStatus
from xuncha.paging import paginate
from xuncha.resilience import worker_alive
from xuncha.roles import PERM_MANAGE

from . import export_response
from .filtersets import ExportLogFilterSet
from .registry import KIND_LABELS, specs


@require_GET
@login_required
def export_list(request, kind):
    """`exports:<kind>`: the list's rows the user may see, with the list's GET filters."""
    spec = specs().get(kind)
    if spec is None:
        raise Http404
    return export_response(request, spec)


@require_GET
@login_required
def export_log(request):
    """Office only: who exported or downloaded what, filtered by person, content and dates."""
    if not request.user.has_perm(PERM_MANAGE):
        raise Http404
    filterset = ExportLogFilterSet(request.GET, queryset=ExportLog.objects.select_related("user"), request=request)
    filterset.form.is_valid()
    user_id, kind = filterset.form.cleaned_data.get("user"), request.GET.get("kind", "")
    page = paginate(request, filterset.qs)
    page.object_list = list(page.object_list)
    for log in page.object_list:
        log.kind_label = KIND_LABELS.get(log.kind, log.kind)
    users = get_user_model().objects.filter(export_logs__isnull=False).distinct().order_by("username")
    return render(
        request,
        "exports/export_log.html",
        {
            "page": page,
            "users": users,
            "kinds": sorted(KIND_LABELS.items(), key=lambda kv: str(kv[1])),
            "kind_labels": KIND_LABELS,
            "selected": {
                "user": user_id,
                "kind": kind,
                "from": request.GET.get("from", ""),
                "to": request.GET.get("to", ""),
                "confidential": request.GET.get("confidential", ""),
            },
        },
    )


@require_GET
@login_required
def index(request):
    """导出中心: every export this user may take, with the ledger's filters; imports for the office."""
    from rectification.choices import TaskStatus
    from rounds.exports import rounds_queryset

    available = [spec for spec in specs().values() if spec.allowed(request.user)]
    if not available:
        raise Http404
    return render(
        request,
        "exports/index.html",
        {
            "exports": available,
            "ledger_allowed": any(s.kind == "ledger" for s in available),
            "rounds": rounds_queryset(request.user).order_by("-year", "-number")
            if specs()["rounds"].allowed(request.user)
            else [],
            "statuses": TaskStatus.choices,
            "can_manage": request.user.has_perm(PERM_MANAGE),
        },
    )


@require_GET
@login_required
def export_job(request, pk):
    """A background export's page: progress (htmx polls it), then the download; its requester's only."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    context = {
        "job": job,
        "kind_label": KIND_LABELS.get(job.kind, job.kind),
        "no_worker": not job.finished and not worker_alive(),
    }
    if request.htmx:
        return render(request, "exports/partials/job_progress.html", context)
    return render(request, "exports/job.html", context)


@require_GET
@login_required
def export_job_download(request, pk):
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportStatus.DONE)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@require_POST
@login_required
def export_job_retry_view(request, pk):
    from .jobs import export_job_retry

    job = export_job_retry(actor=request.user, job_id=pk)
    return redirect("exports:export_job", pk=job.pk)
