"""Import jobs: a lifecycle that cannot hang, whatever happens to the broker or the worker.

- Created: the file is stored and the job row saved in one transaction; after the commit the job is
  queued. A broker that refuses the task ends the job 失败 at once, with a 重试 button (no hang).
- Claimed by `import_job_run` with a conditional UPDATE (pending, or running with a heartbeat older than
  XUNCHA_JOB_STALE_SECONDS), which counts the attempt; a run beats the heartbeat while it validates.
- Written all or nothing: the rows and the job's 已导入 are one transaction, and that transaction only
  commits if the job is still this attempt's (a job failed meanwhile by the sweep rolls the rows back).
  So a redelivered or restarted task either runs the file again from the start or does nothing.
- `job_sweep` (beat, every minute): a running job whose heartbeat stopped lost its worker and ends 失败
  with a message and a 重试 button; a job still queued long after it was queued is queued again
  (its message may have been lost; a duplicate is a no-op by the claim).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.models import ImportJob, ImportStatus
from xuncha.resilience import QueueUnavailable, after_commit, cached, queue
from xuncha.roles import PERM_MANAGE

from .imports import MAX_ERRORS_KEPT, VALIDATORS, WRITERS, ImportFileError, read_rows

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a file that kills its worker every time is not run a fourth time
BUSY, DONE = "busy", "done"


class Superseded(Exception):
    """The job was failed (or taken over) while this run wrote: its rows must not be kept."""


def _progress_key(job_id):
    return f"xuncha:importjob:{job_id}:progress"


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.XUNCHA_JOB_STALE_SECONDS)


def live_progress(job: ImportJob) -> tuple[str, int]:
    """(phase, percent) while a job runs: validating is the first half, writing the second."""
    if job.finished:
        return "", 100
    default = ("validate" if job.status == ImportStatus.RUNNING else "queued", 0)
    phase, done = cached(lambda: cache.get(_progress_key(job.pk), default), default=default)
    total = max(job.total, 1)
    if phase == "validate":
        return phase, int(done * 50 / total)
    if phase == "write":
        return phase, 50 + int(done * 50 / total)
    return phase, 0


def import_job_create(*, actor, kind: str, upload, rows: int) -> ImportJob:
    """Store an uploaded file that passed `check_file` and queue its import once the row is committed."""
    with transaction.atomic():
        job = ImportJob(kind=kind, original_name=upload.name[:200], total=rows, created_by=actor)
        job.file.save(f"{kind}.xlsx", upload, save=False)
        job.full_clean()
        job.save()
        after_commit(lambda: _enqueue(job.pk), what=f"queue import job {job.pk}")
    job.refresh_from_db()  # 失败 at once when it could not be queued
    return job


def import_job_retry(*, actor, job_id: int) -> ImportJob:
    """Queue a failed job again (重试), from the start: a failed job wrote nothing."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise Http404
        if job.status == ImportStatus.FAILED:
            job.status, job.message, job.errors = ImportStatus.PENDING, "", []
            job.finished_at, job.heartbeat_at, job.attempts, job.processed = None, None, 0, 0
            job.save()
            after_commit(lambda: _enqueue(job.pk), what=f"queue import job {job.pk}")
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import import_run

    try:
        queue(import_run, job_id)
    except QueueUnavailable:
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
            status=ImportStatus.FAILED,
            message=_("未能加入后台处理队列（后台服务暂不可用），未导入任何数据。文件已保存，请稍后点击“重试”。"),
            finished_at=timezone.now(),
        )
    else:
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(heartbeat_at=timezone.now())


def _claim(job_id: int) -> int | str | None:
    """This run's attempt number; BUSY when another run holds a live heartbeat; None when nothing to do."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        if job.status == ImportStatus.RUNNING and job.heartbeat_at and job.heartbeat_at >= _stale_before():
            return BUSY
        if job.attempts >= MAX_ATTEMPTS:
            job.status, job.finished_at = ImportStatus.FAILED, timezone.now()
            job.message = _("后台处理多次中断，未导入任何数据。请检查文件后点击“重试”，或联系系统管理员。")
            job.save()
            return None
        job.status, job.heartbeat_at, job.attempts = ImportStatus.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "heartbeat_at", "attempts"])
        return job.attempts


def import_job_run(job_id: int) -> str | None:
    """Validate and, when the whole file is clean, write it. BUSY: another run is at it (try later)."""
    attempt = _claim(job_id)
    if attempt is None or attempt == BUSY:
        return attempt
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    key = _progress_key(job.pk)
    mine = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, attempts=attempt)
    last_beat = [time.monotonic()]
    beat_every = min(5, settings.XUNCHA_JOB_STALE_SECONDS / 3)

    def progress(phase):
        def report(n):
            if n % 200 == 0 or n == job.total:
                cached(lambda: cache.set(key, (phase, min(n, job.total)), 3600))
            if phase == "validate" and time.monotonic() - last_beat[0] > beat_every:
                last_beat[0] = time.monotonic()
                if not mine.update(heartbeat_at=timezone.now()):
                    raise Superseded
            if phase == "validate" and settings.XUNCHA_JOB_TEST_DELAY:
                time.sleep(settings.XUNCHA_JOB_TEST_DELAY)  # test hook: widen the "killed mid-import" window

        return report

    try:
        with job.file.open("rb") as fileobj:
            clean, errors = VALIDATORS[job.kind](read_rows(fileobj, job.kind), progress("validate"))
        job.processed = job.total = len(clean) + len({e["row"] for e in errors})
        if errors:
            job.status = ImportStatus.REJECTED
            job.errors = errors[:MAX_ERRORS_KEPT]
            job.message = _("共 %(rows)d 行有错误（%(n)d 处），整个文件未导入。请修改后重新上传。") % {
                "rows": len({e["row"] for e in errors}),
                "n": len(errors),
            }
        else:
            with transaction.atomic():
                if not mine.update(heartbeat_at=timezone.now()):  # locks the job row until the rows commit
                    raise Superseded
                written = WRITERS[job.kind](actor=job.created_by, rows=clean, progress=progress("write"))
                job.created_count = written.created + written.updated
                job.status = ImportStatus.DONE
                if written.updated or written.unchanged:
                    job.message = _("新增 %(created)d 行，更新 %(updated)d 行，%(unchanged)d 行无变化。") % {
                        "created": written.created,
                        "updated": written.updated,
                        "unchanged": written.unchanged,
                    }
                else:
                    job.message = _("已导入 %(n)d 行。") % {"n": job.created_count}
                _finish(job, mine)
            cached(lambda: cache.delete(key))
            return DONE
    except Superseded:
        logger.warning(
            "import job %s was failed or taken over while attempt %s ran; its rows rolled back", job_id, attempt
        )
        return None
    except ImportFileError as exc:
        job.status, job.message = ImportStatus.REJECTED, str(exc)
    except Exception:  # noqa: BLE001 - the job must end in a state the user can read
        logger.exception("import job %s failed", job.pk)
        job.status, job.message = ImportStatus.FAILED, _("处理时出错，未导入任何数据。请联系系统管理员。")
    try:
        _finish(job, mine)
    except Superseded:
        return None
    cached(lambda: cache.delete(key))
    return DONE


def _finish(job: ImportJob, mine) -> None:
    """Write the job's outcome, only if it is still this attempt's (else Superseded, rolling back its rows)."""
    job.finished_at = timezone.now()
    fields = ("status", "message", "errors", "processed", "total", "created_count", "finished_at")
    if not mine.update(**{f: getattr(job, f) for f in fields}):
        raise Superseded


def job_sweep() -> dict:
    """Fail the running jobs whose worker vanished; queue again the ones left waiting (beat, every minute)."""
    stale = _stale_before()
    lost = ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=ImportStatus.FAILED,
        message=_("后台处理中断（处理进程已停止响应），未导入任何数据。请点击“重试”。"),
        finished_at=timezone.now(),
    )
    waiting = ImportJob.objects.filter(
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale), status=ImportStatus.PENDING
    )
    requeued = 0
    for pk in waiting.values_list("pk", flat=True)[:100]:
        _enqueue(pk)
        requeued += 1
    if lost:
        logger.warning("%d import job(s) lost their worker and were marked failed", lost)
    return {"failed": lost, "requeued": requeued}
