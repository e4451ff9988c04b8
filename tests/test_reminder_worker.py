"""Reminders through a REAL Celery worker (prefork, 2 processes) against Redis and the PostgreSQL test database.

Run like CI:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> \
              SECRET_KEY=x .venv/bin/python -m pytest -m worker tests/test_reminder_worker.py
The worker processes read the pytest-django test database (committed rows: transactional_db), so the
test can watch what they did. The Redis db is flushed: give this test a db number of its own.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from rectification import reminders
from rectification.choices import ReminderState, TaskStatus, TermType
from rectification.models import Notification, RectificationTask, Reminder

REDIS_URL = os.environ.get("REDIS_URL", "")
pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis for the Celery worker: set REDIS_URL"),
    # Committed rows: the worker reads them from its own connections. (The world makes its own reference rows,
    # so no serialized rollback: its set-up clashes with content types recreated by an earlier flush.)
    pytest.mark.django_db(transaction=True),
]

LEASE = 3  # seconds before a claimed-but-unfinished reminder may be taken over
VISIBILITY = 5  # seconds before Redis hands an unacknowledged message (dead worker) to another worker


@pytest.fixture
def celery_real(tmp_path):
    """The test's own tasks go to Redis (conftest makes them eager); workers are started by `start`."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database: run with DATABASE_URL=postgres://…")
    import redis

    from xuncha.celery import app

    redis.Redis.from_url(REDIS_URL).flushdb()
    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # see tests/conftest.py
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    database_url = f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    workers = []

    def start(name, *, delay=0):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "worker-test"),
            "DEBUG": "0",
            "DB_CONN_MAX_AGE": "0",
            "XUNCHA_REMINDER_LEASE_SECONDS": str(LEASE),
            "XUNCHA_REMINDER_TEST_DELAY": str(delay),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the worker
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "xuncha",
                "worker",
                "-P",
                "prefork",
                "-c",
                "2",
                "-n",
                f"{name}@%h",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL takes the pool processes too
        )
        workers.append((proc, log))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"worker {name} exited: {(tmp_path / f'{name}.log').read_text()[-3000:]}")
            if b"ready." in (tmp_path / f"{name}.log").read_bytes():
                return proc
            time.sleep(0.2)
        pytest.fail(f"worker {name} did not start: {(tmp_path / f'{name}.log').read_text()[-3000:]}")

    def kill(proc):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def mails():
        if not mail_dir.exists():
            return 0
        return sum(p.read_text(errors="ignore").count("\nSubject: ") for p in Path(mail_dir).iterdir())

    yield type("Celery", (), {"start": staticmethod(start), "kill": staticmethod(kill), "mails": staticmethod(mails)})
    for proc, log in workers:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    connection.close()


def _wait(condition, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def _ladder_of_tasks(world, n=30):
    """n open tasks spread over every rung, each with its own handler and leader."""
    from django.contrib.auth.models import User

    offsets = [20, 15, 10, 5, 0, -1, -10, -31, -60]
    for i in range(n):
        handler = User.objects.create_user(f"h{i}", email=f"h{i}@example.org")
        leader = User.objects.create_user(f"l{i}", email="" if i % 3 else f"l{i}@example.org")
        RectificationTask.objects.create(
            finding=world.g1.finding,
            measure=f"措施{i}",
            responsible_unit=world.units.finance,
            handler=handler,
            responsible_leader=leader,
            term_type=TermType.DEADLINE,
            due_date=world.today + timedelta(days=offsets[i % len(offsets)]),
            status=TaskStatus.IN_PROGRESS,
        )


def _expected_notifications():
    audience = reminders.Audience.load()
    total = 0
    for reminder in Reminder.objects.select_related("task__responsible_unit__head", "task__handler", "clue"):
        total += len(reminders.recipients(reminder, audience, {}))
    return total


def test_two_sweeps_at_once_send_each_reminder_exactly_once(world, celery_real):
    from rectification.tasks import reminder_sweep

    _ladder_of_tasks(world)
    celery_real.start("w1")
    day = world.today.isoformat()
    first, second = reminder_sweep.delay(day), reminder_sweep.delay(day)
    first.get(timeout=60), second.get(timeout=60)
    rows = Reminder.objects.count()
    assert rows == 30  # one per ladder task; the world's own tasks are due in 30 days, not yet on the ladder
    _wait(lambda: not Reminder.objects.exclude(state=ReminderState.SENT).exists(), what="all reminders sent")
    expected = _expected_notifications()
    assert Notification.objects.filter(reminder__isnull=False).count() == expected
    # One digest per person (the office hears of many tasks: still one), e-mailed once by the sweeps' last batch.
    digests = Notification.objects.filter(day__isnull=False).exclude(recipient__email="")
    assert digests.count() == digests.values("recipient").distinct().count()
    _wait(lambda: not digests.filter(emailed_at__isnull=True).exists(), what="the digests e-mailed")
    items = Notification.objects.filter(reminder__isnull=False).exclude(recipient__email="")
    assert items.filter(emailed_at__isnull=True).count() == 0
    assert celery_real.mails() == digests.count()  # each address mailed once, not once per sweep or per item


def test_a_worker_killed_mid_send_delivers_exactly_once(world, celery_real):
    from rectification.tasks import reminder_send_batch

    # The "due" rung: the handler (the unit's liaison here) and the leader (office), both with an address.
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(due_date=world.today, handler=world.users["liaison"])
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    reminders.plan(world.today)
    reminder = Reminder.objects.get()
    victim = celery_real.start("victim", delay=30)  # sleeps after writing the inbox rows, before "sent"
    reminder_send_batch.delay([reminder.pk])
    # Inbox rows written and gathered into the digests, but not yet marked sent: the worst moment to die.
    _wait(
        lambda: Notification.objects.filter(reminder=reminder, digest__isnull=False).count() == 2,
        what="the victim to deliver to both recipients",
    )
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.SENDING
    assert celery_real.mails() == 0  # the digests are mailed once nothing is left to send
    before = Notification.objects.filter(reminder=reminder).count()
    celery_real.kill(victim)  # SIGKILL, mid-send: the message was never acknowledged
    time.sleep(VISIBILITY + 1)
    celery_real.start("rescuer")
    _wait(lambda: Reminder.objects.get(pk=reminder.pk).state == ReminderState.SENT, what="redelivery", timeout=90)
    assert Notification.objects.filter(reminder=reminder).count() == before == 2
    _wait(lambda: celery_real.mails() == 2, what="the rescuer to mail both digests")
    time.sleep(1)
    assert celery_real.mails() == 2  # one digest e-mail each, nobody twice
    assert Notification.objects.filter(day__isnull=False).count() == 2
