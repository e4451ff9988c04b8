from celery import shared_task
from django.conf import settings


@shared_task(bind=True, acks_late=True, max_retries=5)
def export_run(self, job_id: int) -> None:
    """A large list export (xuncha/exports/jobs.py); safe to run twice, like the imports' task."""
    from .exports.jobs import BUSY, export_job_run

    if export_job_run(job_id) == BUSY:
        raise self.retry(countdown=settings.XUNCHA_JOB_STALE_SECONDS + 5)
