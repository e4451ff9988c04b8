"""The fault suite: what a user sees when Redis (cache and broker), PostgreSQL or the media disk fail.

Redis is made unreachable by pointing the cache and the broker at a closed port (127.0.0.1:1); PostgreSQL
"restarts" by having the app's connection terminated (pg_terminate_backend); the media folder is made
unwritable by placing it under a file (tests run as root, whom chmod does not stop). The runs with a real
worker killed mid-import are in tests/test_fault_worker.py.
"""

import io
import os
import time
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from findings.choices import ReviewState
from findings.models import Evidence, Finding
from rectification.choices import ReminderState
from rectification.models import Notification, ProgressReport, Reminder
from rounds.models import PartyUnit
from tests.findings_support import PDF
from xuncha import dataversion, resilience
from xuncha.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

DEAD = "redis://127.0.0.1:1/0"  # nothing listens there: connection refused at once


@pytest.fixture
def redis_down():
    """Cache and broker at a closed port, as when Redis has stopped (undone before conftest's cache cleanup)."""
    dead_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": DEAD,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
    resilience.reset_cache_breaker()
    with override_settings(REDIS_URL=DEAD, CACHES={"default": dead_cache}):
        yield
    resilience.reset_cache_breaker()
    dataversion._owed = False


@pytest.fixture
def broker_down():
    """Tasks published for real (not in-process), to a broker that does not answer."""
    from xuncha.celery import app

    saved = app.conf.CELERY_BROKER_URL, app.conf.broker_url
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_BROKER_URL = app.conf.broker_url = DEAD
    yield
    app.conf.CELERY_BROKER_URL, app.conf.broker_url = saved
    app.conf.CELERY_TASK_ALWAYS_EAGER = True


def _finding_data(world, title, **extra):
    return {
        "inspection": world.g1.inspection.pk,
        "category": world.category.pk,
        "title": title,
        "description": "三笔资金未入账",
        "source": "documents",
        **extra,
    }


def _xlsx(*rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入数据"
    ws.append(["名称", "类别", "上级单位", "在册"])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Redis down: writes ------------------------------------------------------------------------------


def test_with_redis_down_a_write_answers_success_and_exists_once(
    world, login, redis_down, django_capture_on_commit_callbacks
):
    client = login(world.users["group1_member"])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("findings:finding_create"), _finding_data(world, "停电期间的底稿"))
    assert callbacks  # the data-version bump ran after the commit, and failed
    assert response.status_code == 302  # success, not a 500 for a saved write
    assert Finding.objects.filter(title="停电期间的底稿").count() == 1
    assert resilience.cache_is_down()  # the breaker opened: the next requests skip Redis at once
    page = client.get(response.url)
    assert page.status_code == 200 and "停电期间的底稿" in page.content.decode()
    assert time.monotonic() - started < 10


def test_a_version_bump_lost_while_redis_was_down_is_caught_up(world, monkeypatch):
    before = dataversion.version()

    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as m:
        m.setattr(dataversion.cache, "incr", refuse)
        resilience.best_effort(dataversion._bump, what="test")  # logged, not raised
    assert dataversion._owed and resilience.cache_is_down()
    resilience.reset_cache_breaker()  # time passes; Redis answers again
    assert dataversion.version() != before  # the first read once Redis answers starts a new version
    assert not dataversion._owed


def test_the_breaker_skips_a_dead_cache_until_its_time_runs_out(settings):
    calls = []

    def dead():
        calls.append(1)
        raise ConnectionError("refused")

    resilience.reset_cache_breaker()
    try:
        assert resilience.cached(dead, default="db") == "db"
        assert resilience.cached(dead, default="db") == "db"
        assert len(calls) == 1  # the second call did not wait on the dead cache
        settings.CACHE_DOWN_SECONDS = 0
        resilience.mark_cache_down()
        assert resilience.cached(lambda: "cache") == "cache"
    finally:
        resilience.reset_cache_breaker()


# --- Redis down: reads -------------------------------------------------------------------------------


def test_with_redis_down_office_lists_and_the_dashboard_answer_from_the_database(world, login, redis_down):
    client = login(world.users["office"])
    for name in (
        "findings:finding_list",
        "rectification:task_list",
        "rounds:unit_list",
        "dashboard:index",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "data-figures-live" in page and "实时从数据库计算" in page
    data = client.get(reverse("dashboard:data")).json()
    assert data["live"] is True
    rows = client.get(reverse("findings:finding_list")).context["page_obj"].paginator.count
    assert rows == Finding.objects.count()  # counted by the database, correctly


# --- Jobs: broker down, vanished worker, retry ---------------------------------------------------------


def test_an_import_that_cannot_be_queued_says_so_at_once(world, login, broker_down, django_capture_on_commit_callbacks):
    client = login(world.users["office"])
    upload = SimpleUploadedFile("单位.xlsx", _xlsx(("断网镇党委", "乡镇党委", "", "是")))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:import_start", args=["units"]), {"file": upload})
    assert time.monotonic() - started < 8  # not the 20 s of publishing retries
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    page = client.get(response.url).content.decode()  # (in a request the commit comes before the redirect)
    assert "未能加入后台处理队列" in page and "重试" in page


def test_retry_queues_a_failed_job_and_it_imports_once(world, login, django_capture_on_commit_callbacks):
    job = ImportJob(
        kind="units",
        original_name="a.xlsx",
        total=1,
        created_by=world.users["office"],
        status=ImportStatus.FAILED,
        message="lost",
    )
    job.file.save("a.xlsx", ContentFile(_xlsx(("重试镇党委", "乡镇党委", "", "是"))), save=False)
    job.save()
    client = login(world.users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:import_job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.attempts == 1
    assert PartyUnit.objects.filter(name="重试镇党委").count() == 1
    with django_capture_on_commit_callbacks(execute=True):  # a second click on a finished job does nothing
        client.post(reverse("exports:import_job_retry", args=[job.pk]))
    assert PartyUnit.objects.filter(name="重试镇党委").count() == 1


def _running_job(world, *, beat_seconds_ago, name="心跳镇党委"):
    job = ImportJob(
        kind="units",
        original_name="a.xlsx",
        total=1,
        created_by=world.users["office"],
        status=ImportStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=beat_seconds_ago),
    )
    job.file.save("a.xlsx", ContentFile(_xlsx((name, "乡镇党委", "", "是"))), save=False)
    job.save()
    return job


def test_the_sweep_fails_a_job_whose_worker_vanished_and_the_page_offers_retry(world, login, settings):
    from rounds.jobs import job_sweep

    settings.XUNCHA_JOB_STALE_SECONDS = 60
    lost = _running_job(world, beat_seconds_ago=61)
    alive = _running_job(world, beat_seconds_ago=5, name="活着镇党委")
    assert job_sweep()["failed"] == 1
    lost.refresh_from_db(), alive.refresh_from_db()
    assert lost.status == ImportStatus.FAILED and "后台处理中断" in lost.message
    assert alive.status == ImportStatus.RUNNING
    page = login(world.users["office"]).get(reverse("exports:import_job", args=[lost.pk])).content.decode()
    assert "后台处理中断" in page and reverse("exports:import_job_retry", args=[lost.pk]) in page


def test_a_redelivered_import_waits_for_a_live_run_and_takes_over_a_dead_one(world, settings):
    from rounds.jobs import BUSY, import_job_run

    settings.XUNCHA_JOB_STALE_SECONDS = 60
    live = _running_job(world, beat_seconds_ago=5)
    assert import_job_run(live.pk) == BUSY  # the task retries later, once that heartbeat would be stale
    assert not PartyUnit.objects.filter(name="心跳镇党委").exists()
    ImportJob.objects.filter(pk=live.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=61))
    import_job_run(live.pk)
    live.refresh_from_db()
    assert live.status == ImportStatus.DONE and live.attempts == 2
    import_job_run(live.pk)  # and once more: a no-op
    assert PartyUnit.objects.filter(name="心跳镇党委").count() == 1


def test_the_sweep_queues_again_a_job_left_waiting(world, settings):
    from rounds.jobs import job_sweep

    settings.XUNCHA_JOB_STALE_SECONDS = 60
    job = _running_job(world, beat_seconds_ago=120, name="遗留镇党委")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING, attempts=0)
    assert job_sweep()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE  # in-process here; with Redis, a worker takes it
    assert PartyUnit.objects.filter(name="遗留镇党委").count() == 1


def test_a_job_page_says_when_no_worker_answers(world, login, settings):
    from django.core.cache import cache

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # a deployment with a worker expected; the cache stays locmem
    job = _running_job(world, beat_seconds_ago=1)
    client = login(world.users["office"])
    url = reverse("exports:import_job", args=[job.pk])
    cache.delete(resilience.WORKER_KEY)
    assert "后台处理进程没有响应" in client.get(url).content.decode()
    resilience.worker_beat()
    assert "后台处理进程没有响应" not in client.get(url).content.decode()
    cache.delete(resilience.WORKER_KEY)


# --- PostgreSQL restarted -----------------------------------------------------------------------------


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: set DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_after_postgresql_drops_the_apps_connection_the_next_request_succeeds(client):
    import psycopg2
    from django.contrib.auth.models import User

    User.objects.create_user("restart", password="pw")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    other.close()
    close_old_connections()  # what each request does first (the test client skips it)
    response = client.post(reverse("login"), {"username": "restart", "password": "pw"})
    assert response.status_code == 302  # logged in: the dead connection was noticed and replaced


# --- Storage unwritable --------------------------------------------------------------------------------


@pytest.fixture
def media_unwritable(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder's parent should be")
    settings.MEDIA_ROOT = blocker / "media"


def test_an_upload_to_unwritable_media_says_nothing_was_saved(world, login, media_unwritable):
    client = login(world.users["group1_member"])
    data = _finding_data(world, "存不下的底稿", files=[SimpleUploadedFile("账目.pdf", PDF)])
    response = client.post(reverse("findings:finding_create"), data)
    assert response.status_code == 503
    page = response.content.decode()
    assert "文件未能保存" in page and "均未保存" in page and "巡察办" in page
    assert not Finding.objects.filter(title="存不下的底稿").exists() and not Evidence.objects.exists()

    liaison = login(world.users["liaison"])
    url = reverse("rectification:progress_add", args=[world.g1.task.pk])
    pdf = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    response = liaison.post(url, {"text": "已修订制度", "progress": 60, "files": [pdf]})
    assert response.status_code == 503 and "文件未能保存" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_import_upload_to_unwritable_media_saves_no_job(world, login, media_unwritable):
    client = login(world.users["office"])
    upload = SimpleUploadedFile("单位.xlsx", _xlsx(("存不下镇党委", "乡镇党委", "", "是")))
    response = client.post(reverse("exports:import_start", args=["units"]), {"file": upload})
    assert response.status_code == 503 and "文件未能保存" in response.content.decode()
    assert not ImportJob.objects.exists()


# --- /healthz names the failed part ------------------------------------------------------------------


def test_healthz_names_redis_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"].startswith("error") and body["cache"].startswith("error")
    assert body["worker"].startswith("error") and body["database"] == "ok"
    assert "127.0.0.1" not in response.content.decode()  # no addresses in an unauthenticated answer


def test_healthz_names_unwritable_media(client, db, media_unwritable, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["media"].startswith("error") and response.json()["database"] == "ok"


def test_healthz_names_a_missing_worker(client, db, settings):
    from django.core.cache import cache

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    cache.delete(resilience.WORKER_KEY)
    body = client.get("/healthz").json()
    assert body["worker"] == "error: no worker heartbeat" and body["status"] == "error"


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="needs a real Redis: set REDIS_URL")
def test_healthz_is_ok_with_redis_and_a_live_worker(client, db):
    resilience.worker_beat()
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert set(response.json()) == {"status", "database", "media", "broker", "cache", "worker"}


def test_healthz_names_a_dead_database(client, db, monkeypatch):
    from django.db.utils import OperationalError

    from xuncha import health

    def refuse(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "error: OperationalError"


# --- A lost review race is said at page level ----------------------------------------------------------


def test_a_lost_sign_off_race_shows_the_conflict_though_no_buttons_remain(world, login):
    draft = world.g1.draft
    Finding.objects.filter(pk=draft.pk).update(review_state=ReviewState.LEADER_SIGN)
    client = login(world.users["group1_leader"])
    url = reverse("findings:finding_transition", args=[draft.pk])
    Finding.objects.filter(pk=draft.pk).update(review_state=ReviewState.REPORTED)  # the other leader signed first
    response = client.post(url, {"to_state": "reported", "comment": "", "expected_state": "leader_sign"})
    page = response.content.decode()
    assert "data-page-error" in page and "已被他人处理" in page
    assert 'name="to_state"' not in page  # no buttons left: the message stands on its own


# --- Reminder batches of a dead worker ----------------------------------------------------------------


def test_reminder_lease_and_visibility_are_minutes_not_an_hour():
    from django.conf import settings

    assert settings.XUNCHA_REMINDER_LEASE_SECONDS <= 300
    assert settings.XUNCHA_REMINDER_LEASE_SECONDS < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= 600


def test_a_batch_claimed_by_a_dead_sender_is_taken_over_after_the_lease_and_sent_once(world, settings):
    from rectification import reminders
    from rectification.models import RectificationTask

    RectificationTask.objects.filter(pk=world.g1.task.pk).update(due_date=world.today)
    reminders.plan(world.today)
    reminder = Reminder.objects.get(task=world.g1.task)
    assert reminders.send([reminder.pk]) == [reminder.pk]
    delivered = Notification.objects.filter(reminder=reminder).count()
    assert delivered
    # As if a worker died after writing the inbox rows, before marking the batch sent:
    claimed = timezone.now() - timedelta(seconds=settings.XUNCHA_REMINDER_LEASE_SECONDS - 5)
    Reminder.objects.filter(pk=reminder.pk).update(state=ReminderState.SENDING, claimed_at=claimed, sent_at=None)
    assert reminders.send([reminder.pk]) == []  # still within the lease: a live sender may be at it
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=claimed - timedelta(seconds=10))
    assert reminders.send([reminder.pk]) == [reminder.pk]  # lease run out: taken over within minutes
    assert Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT
    assert Notification.objects.filter(reminder=reminder).count() == delivered  # nobody told twice
