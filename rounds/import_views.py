"""Import pages for the registry and the people pool: office only, everyone else gets 404."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.models import ImportJob, ImportKind
from xuncha.resilience import worker_alive
from xuncha.roles import PERM_MANAGE

from .imports import ImportFileError, check_file, max_bytes, template_workbook
from .jobs import import_job_create, import_job_retry, live_progress


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"),
        error_messages={
            "required": gettext_lazy("请选择要导入的 .xlsx 文件。"),
            "empty": gettext_lazy("文件是空的。"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.rows = check_file(upload, self.kind)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


def _office_only(request, kind=None):
    if not request.user.has_perm(PERM_MANAGE):
        raise Http404
    if kind is not None and kind not in ImportKind.values:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request, kind):
    """Upload a file; a wrong file is refused at once, a good one becomes a job with a progress bar."""
    _office_only(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        job = import_job_create(actor=request.user, kind=kind, upload=form.cleaned_data["file"], rows=form.rows)
        return redirect("exports:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(kind=kind).select_related("created_by")[:10]
    return render(
        request,
        "rounds/imports/start.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": ImportKind(kind).label,
            "jobs": jobs,
            "max_mb": max_bytes() // 1024 // 1024,
        },
    )


@login_required
@require_GET
def import_template(request, kind):
    _office_only(request, kind)
    response = HttpResponse(
        template_workbook(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = _("%(kind)s导入模板.xlsx") % {"kind": ImportKind(kind).label}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name):
    from urllib.parse import quote

    return quote(name)


@login_required
@require_GET
def import_job(request, pk):
    """The job's page; htmx polls its progress fragment every second until the job is finished."""
    _office_only(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    phase, percent = live_progress(job)
    context = {
        "job": job,
        "phase": phase,
        "percent": percent,
        "kind_label": job.get_kind_display(),
        # Waiting with no worker to take it: said on the page, not a progress bar that never moves.
        "no_worker": not job.finished and not worker_alive(),
    }
    if request.htmx:
        return render(request, "rounds/imports/partials/progress.html", context)
    return render(request, "rounds/imports/job.html", context)


@login_required
@require_POST
def import_job_retry_view(request, pk):
    """重试: a job that failed (its worker vanished, or it could not be queued) is queued again."""
    _office_only(request)
    job = import_job_retry(actor=request.user, job_id=pk)
    return redirect("exports:import_job", pk=job.pk)
