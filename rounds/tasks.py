from celery import shared_task
from django.conf import settings


@shared_task(bind=True, acks_late=True, max_retries=5)
def import_run(self, job_id: int) -> None:
    """Import an uploaded registry/people file (see rounds/jobs.py); safe to run twice.

    A redelivery that finds the job running with a live heartbeat (the first run is still at it, or died a
    moment ago) looks again once that heartbeat would have gone stale: then it finds the job done, or
    takes it over, or finds it failed by the sweep."""
    from .jobs import BUSY, import_job_run

    if import_job_run(job_id) == BUSY:
        raise self.retry(countdown=settings.XUNCHA_JOB_STALE_SECONDS + 5)


@shared_task(ignore_result=True)
def job_sweep() -> dict:
    """Beat, every minute: jobs (imports and exports) whose worker vanished end 失败; jobs left queued are
    queued again."""
    from xuncha.exports.jobs import export_job_sweep

    from .jobs import job_sweep as sweep

    return {"imports": sweep(), "exports": export_job_sweep()}
