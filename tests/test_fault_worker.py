"""Imports through a REAL Celery worker that is killed mid-run: the job never hangs.

Run like CI (PostgreSQL and Redis; see tests/test_reminder_worker.py, whose worker fixture this reuses):
    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/<n> SECRET_KEY=x .venv/bin/python -m pytest \
        -m worker tests/test_fault_worker.py
"""

import io
import os
import time

import openpyxl
import pytest
from django.core.files.base import ContentFile

from rounds.jobs import import_job_retry, job_sweep
from rounds.models import PartyUnit
from rounds.tasks import import_run
from tests import test_reminder_worker
from xuncha.models import ImportJob, ImportStatus
from xuncha.resilience import queue, worker_alive

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real Redis for the Celery worker"),
    pytest.mark.django_db(transaction=True),
]

celery_real = test_reminder_worker.celery_real  # the real-worker fixture (starts and SIGKILLs workers)
_wait = test_reminder_worker._wait

STALE = 3  # seconds without a heartbeat before a running import counts as lost (the worker's and ours)
ROWS = 300
DELAY = "0.05"  # seconds per validated row in the victim: 15 s of validation, time enough to kill it


@pytest.fixture
def slow_import(world, monkeypatch, settings):
    monkeypatch.setenv("XUNCHA_JOB_STALE_SECONDS", str(STALE))
    monkeypatch.setenv("XUNCHA_JOB_TEST_DELAY", DELAY)
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker reads the uploaded file from there
    settings.XUNCHA_JOB_STALE_SECONDS = STALE
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入数据"
    ws.append(["名称", "类别", "上级单位", "在册"])
    for i in range(ROWS):
        ws.append([f"杀进程测试{i}镇党委", "乡镇党委", "", "是"])
    out = io.BytesIO()
    wb.save(out)
    job = ImportJob(kind="units", original_name="kill.xlsx", total=ROWS, created_by=world.users["office"])
    job.file.save("kill.xlsx", ContentFile(out.getvalue()), save=False)
    job.save()
    return job


def _status(job):
    return ImportJob.objects.get(pk=job.pk).status


def _imported():
    return PartyUnit.objects.filter(name__startswith="杀进程测试").count()


def test_a_worker_killed_mid_import_ends_failed_and_a_retry_imports_once(world, celery_real, slow_import, monkeypatch):
    job = slow_import
    victim = celery_real.start("victim")
    queue(import_run, job.pk)
    _wait(lambda: _status(job) == ImportStatus.RUNNING, what="the victim to take the job")
    time.sleep(1)
    celery_real.kill(victim)  # SIGKILL mid-validation: no worker left at all
    killed = time.monotonic()
    _wait(lambda: job_sweep()["failed"] or _status(job) != ImportStatus.RUNNING, timeout=STALE + 10, what="the sweep")
    assert time.monotonic() - killed < STALE + 10  # failed within the configured time, not forever
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "后台处理中断" in job.message
    assert _imported() == 0  # all or nothing

    monkeypatch.setenv("XUNCHA_JOB_TEST_DELAY", "0")
    celery_real.start("rescuer")  # also receives the victim's unacknowledged message, after the visibility timeout
    import_job_retry(actor=world.users["office"], job_id=job.pk)
    _wait(lambda: _status(job) == ImportStatus.DONE, timeout=90, what="the retried import")
    time.sleep(7)  # the redelivered message arrives meanwhile and must change nothing
    assert _imported() == ROWS


def test_a_redelivered_import_of_a_killed_worker_completes_once(world, celery_real, slow_import, monkeypatch):
    job = slow_import
    victim = celery_real.start("victim")
    queue(import_run, job.pk)
    _wait(lambda: _status(job) == ImportStatus.RUNNING, what="the victim to take the job")
    celery_real.kill(victim)
    time.sleep(test_reminder_worker.VISIBILITY + 1)  # Redis hands out an unacknowledged message only after this
    monkeypatch.setenv("XUNCHA_JOB_TEST_DELAY", "0")
    celery_real.start("rescuer")  # Redis hands it the unacknowledged message; the stale heartbeat lets it take over
    _wait(worker_alive, timeout=30, what="the worker's heartbeat key (/healthz and job pages read it)")
    _wait(lambda: _status(job) == ImportStatus.DONE, timeout=90, what="the redelivered import")
    job.refresh_from_db()
    assert job.attempts == 2 and _imported() == ROWS
