"""Large exports run as background jobs: progress, a download only for the requester, the same rows and rights."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_list_exports import workbook_text
from xuncha.models import ExportJob, ExportLog, ExportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(settings):
    settings.EXPORT_JOB_ROWS = 1  # the world's lists have a few rows: any list of two or more is "large"


def _export(client, capture, url_name="rectification:task_list", **params):
    with capture(execute=True):
        return client.get(reverse(url_name), {"export": "xlsx", **params})


def test_a_large_export_becomes_a_job_with_a_download_for_its_requester(
    world, client, big, django_capture_on_commit_callbacks
):
    client.force_login(world.users["office"])
    response = _export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:export_job", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.total == 2  # in-process here; a worker with Redis
    page = client.get(response.url).content.decode()
    download = reverse("exports:export_job_download", args=[job.pk])
    assert download in page and "文件已生成" in page
    text = workbook_text(client.get(download))
    assert world.g1.marker in text and world.g2.marker in text
    log = ExportLog.objects.get()  # the export log records it, as the requester
    assert log.user == world.users["office"] and log.kind == "ledger" and log.row_count == 2


def test_a_small_export_stays_on_the_request(world, client, settings):
    settings.EXPORT_JOB_ROWS = 100
    client.force_login(world.users["office"])
    assert world.g1.marker in workbook_text(client.get(reverse("rectification:task_list"), {"export": "xlsx"}))
    assert not ExportJob.objects.exists()


def test_a_job_exports_the_requesters_rows_with_the_filters_on_screen(
    world, client, big, django_capture_on_commit_callbacks
):
    client.force_login(world.users["office"])
    _export(client, django_capture_on_commit_callbacks, url_name="findings:finding_list", q=world.g1.marker)
    _export(client, django_capture_on_commit_callbacks, url_name="findings:finding_list")
    filtered, everything = ExportJob.objects.order_by("pk")
    assert filtered.params["q"] == [world.g1.marker]
    text = workbook_text(client.get(reverse("exports:export_job_download", args=[everything.pk])))
    assert world.g2.marker in text
    text = workbook_text(client.get(reverse("exports:export_job_download", args=[filtered.pk])))
    assert world.g1.marker in text and world.g2.marker not in text
    client.force_login(world.users["group1_leader"])  # a group leader's job holds their group's rows only
    _export(client, django_capture_on_commit_callbacks, url_name="findings:finding_list")
    mine = ExportJob.objects.get(user=world.users["group1_leader"])
    text = workbook_text(client.get(reverse("exports:export_job_download", args=[mine.pk])))
    assert world.g1.marker in text and world.g2.marker not in text


@pytest.mark.parametrize("persona", ["leadership", "group1_leader", "group2_leader", "liaison"])
def test_nobody_but_the_requester_sees_or_downloads_a_job(
    world, client, big, django_capture_on_commit_callbacks, persona
):
    client.force_login(world.users["office"])
    _export(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.force_login(world.users[persona])
    assert client.get(reverse("exports:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("exports:export_job_download", args=[job.pk])).status_code == 404
    assert client.post(reverse("exports:export_job_retry", args=[job.pk])).status_code == 404


def test_an_export_job_whose_worker_vanished_fails_and_a_retry_completes(
    world, client, big, settings, django_capture_on_commit_callbacks
):
    from xuncha.exports.jobs import export_job_sweep

    job = ExportJob.objects.create(
        user=world.users["office"],
        kind="ledger",
        path=reverse("rectification:task_list"),
        params={"export": ["xlsx"]},
        total=2,
        status=ExportStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=settings.XUNCHA_JOB_STALE_SECONDS + 1),
    )
    assert export_job_sweep()["failed"] == 1
    client.force_login(world.users["office"])
    page = client.get(reverse("exports:export_job", args=[job.pk])).content.decode()
    assert "后台处理中断" in page and reverse("exports:export_job_retry", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exports:export_job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.file


def test_an_export_that_cannot_be_queued_says_so_at_once(world, client, big, django_capture_on_commit_callbacks):
    from xuncha.celery import app

    saved = app.conf.CELERY_BROKER_URL, app.conf.broker_url
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_BROKER_URL = app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        client.force_login(world.users["office"])
        response = _export(client, django_capture_on_commit_callbacks)
    finally:
        app.conf.CELERY_BROKER_URL, app.conf.broker_url = saved
        app.conf.CELERY_TASK_ALWAYS_EAGER = True
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert "未能加入后台处理队列" in client.get(response.url).content.decode()
