"""Large exports as background jobs, so that no web worker is held for minutes by one ledger.

An export whose rows exceed EXPORT_JOB_ROWS becomes an ExportJob: the request answers at once with the
job's page (progress, then a download link only its requester can use). The worker runs the list's own
view again, as the requester, with the same path and filters: the same selector (`visible_to`), the same
FilterSet, the same columns and the same export log row, so rights and rows cannot drift from the page.
The lifecycle is the imports' (rounds/jobs.py): a claim that counts attempts, heartbeats with the progress,
a sweep that fails a job whose worker vanished (重试 on its page), and a broker refusal said at once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xuncha.models import ExportJob, ExportStatus
from xuncha.resilience import QueueUnavailable, after_commit, queue

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
BUSY = "busy"
JOB_ATTRIBUTE = "_xuncha_export_job"  # on a request the worker makes: export into the job, not a response
NOT_IN_PARAMS = ("download_token", "page")


class Superseded(Exception):
    """The job was failed (or taken over) while this run wrote."""


class Running:
    """The job a worker is exporting into; `progress(n)` records rows written and beats the heartbeat."""

    def __init__(self, job: ExportJob, attempt: int):
        self.job = job
        self.mine = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, attempts=attempt)

    def progress(self, n: int) -> None:
        if not self.mine.update(processed=min(n, self.job.total), heartbeat_at=timezone.now()):
            raise Superseded


def job_of(request) -> Running | None:
    return getattr(request, JOB_ATTRIBUTE, None)


def export_job_for(request, queryset, *, kind: str):
    """A redirect to a new background job when the export is too big for a request; else None."""
    threshold = settings.EXPORT_JOB_ROWS
    if not threshold:
        return None
    total = queryset.count()
    if total <= threshold:
        return None
    job = export_job_create(actor=request.user, request=request, kind=kind, total=total)
    return redirect("exports:export_job", pk=job.pk)


def export_job_create(*, actor, request, kind: str, total: int) -> ExportJob:
    params = {key: values for key, values in request.GET.lists() if key not in NOT_IN_PARAMS}
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=actor,
            kind=kind,
            path=request.path[:200],
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total=total,
        )
        after_commit(lambda: _enqueue(job.pk), what=f"queue export job {job.pk}")
    job.refresh_from_db()
    return job


def export_job_retry(*, actor, job_id: int) -> ExportJob:
    """重试 of a failed export: the requester's own job only (anyone else: 404)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id, user=actor).first()
        if job is None:
            raise Http404
        if job.status == ExportStatus.FAILED:
            job.status, job.message, job.processed, job.attempts = ExportStatus.PENDING, "", 0, 0
            job.finished_at = job.heartbeat_at = None
            job.save()
            after_commit(lambda: _enqueue(job.pk), what=f"queue export job {job.pk}")
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from xuncha.tasks import export_run

    try:
        queue(export_run, job_id)
    except QueueUnavailable:
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
            status=ExportStatus.FAILED,
            message=_("未能加入后台处理队列（后台服务暂不可用）。请稍后点击“重试”。"),
            finished_at=timezone.now(),
        )
    else:
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(heartbeat_at=timezone.now())


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.XUNCHA_JOB_STALE_SECONDS)


def _claim(job_id: int) -> int | str | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.status == ExportStatus.RUNNING and job.heartbeat_at and job.heartbeat_at >= _stale_before():
            return BUSY
        if job.attempts >= MAX_ATTEMPTS:
            job.status, job.finished_at = ExportStatus.FAILED, timezone.now()
            job.message = _("后台处理多次中断。请点击“重试”，或联系系统管理员。")
            job.save()
            return None
        job.status, job.heartbeat_at, job.attempts = ExportStatus.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "heartbeat_at", "attempts"])
        return job.attempts


def _request_for(job: ExportJob):
    """The list's GET as its requester made it (the same path and filters), for the list's own view."""
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    request = RequestFactory().get(job.path, job.params)
    request.user = job.user
    request.htmx = HtmxDetails(request)
    return request


def export_job_run(job_id: int) -> str | None:
    attempt = _claim(job_id)
    if attempt is None or attempt == BUSY:
        return attempt
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    running = Running(job, attempt)
    request = _request_for(job)
    setattr(request, JOB_ATTRIBUTE, running)
    try:
        with translation.override(job.language):
            match = resolve(job.path)
            response = match.func(request, *match.args, **match.kwargs)
        if not isinstance(response, FileResponse):
            raise RuntimeError(f"the list answered {response.status_code}, not a file")
        with transaction.atomic():
            job.file.save(f"{job.kind}.xlsx", File(response.file_to_stream), save=False)
            done = running.mine.update(
                status=ExportStatus.DONE,
                file=job.file.name,
                filename=response.filename[:200],
                processed=job.total,
                finished_at=timezone.now(),
            )
            if not done:
                raise Superseded
    except Superseded:
        logger.warning("export job %s was failed or taken over during attempt %s", job_id, attempt)
        return None
    except Http404:  # the requester lost the right meanwhile: nothing is exported
        running.mine.update(status=ExportStatus.FAILED, message=_("无权导出这些数据。"), finished_at=timezone.now())
    except Exception:  # noqa: BLE001 - the job must end in a state the user can read
        logger.exception("export job %s failed", job_id)
        running.mine.update(
            status=ExportStatus.FAILED,
            message=_("生成文件时出错。请点击“重试”，或联系系统管理员。"),
            finished_at=timezone.now(),
        )
    return "done"


def export_job_sweep() -> dict:
    """Fail the running exports whose worker vanished; queue again the ones left waiting."""
    stale = _stale_before()
    lost = ExportJob.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=ExportStatus.FAILED,
        message=_("后台处理中断（处理进程已停止响应）。请点击“重试”。"),
        finished_at=timezone.now(),
    )
    waiting = ExportJob.objects.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale), status=ExportStatus.PENDING
    )
    requeued = 0
    for pk in waiting.values_list("pk", flat=True)[:100]:
        _enqueue(pk)
        requeued += 1
    return {"failed": lost, "requeued": requeued}
