from celery import shared_task


@shared_task(acks_late=True)
def import_run(job_id: int) -> None:
    """Import an uploaded registry/people file (see rounds/imports.py); safe to run twice."""
    from .imports import import_job_run

    import_job_run(job_id)
