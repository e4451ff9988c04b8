"""Benchmark: the reminder sweep at province scale, against one INSERT … SELECT writing the same rows.

    createdb -h 127.0.0.1 -U postgres -T xuncha_scale xuncha_i4_bench     # or an empty db + --synthesize
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_i4_bench SECRET_KEY=x DEBUG=0 \\
      .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_i4_bench SECRET_KEY=x DEBUG=0 \\
      /usr/bin/time -v .venv/bin/python bench/reminder_sweep.py [--synthesize 2000000] [--date YYYY-MM-DD]

Never point it at a database you care about: it truncates the reminder and notification tables.
Phases, all in one run and on the same data:
  1. baseline: one INSERT … SELECT for every open task (what the sweep writes, in a single statement);
  2. plan: the sweep's own batched INSERT … SELECT by task id ranges (same rows: checked);
  3. plan again: the daily steady state, where every row already exists (writes 0);
  4. send: claiming and delivering every row (inbox rows; e-mail goes to the dummy backend).
Peak memory is the process's max RSS (also printed by /usr/bin/time -v as "Maximum resident set size").
"""

import argparse
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from rectification import reminders  # noqa: E402
from rectification.models import Notification, RectificationTask, Reminder  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label, fn):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:9.2f} s   max RSS {rss_mb():7.1f} MB   -> {value}", flush=True)
    return seconds, value


def truncate():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Notification._meta.db_table}, {Reminder._meta.db_table} RESTART IDENTITY")


def baseline(today):
    sql, params = reminders.task_plan_sql(today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def synthesize(n: int, today: date) -> int:
    """Top the task table up to n rows with a spread of due dates and statuses (PostgreSQL, set-based)."""
    from bench.synthetic import synthesize_tasks

    return synthesize_tasks(n, today)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=date.fromisoformat, default=None)
    parser.add_argument("--synthesize", type=int, default=0, help="top up to this many tasks first")
    parser.add_argument("--no-send", action="store_true", help="skip phase 4")
    parser.add_argument("--send-only", action="store_true", help="only phase 4, on the rows already pending")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmark is for PostgreSQL"
    today = args.date or date.today()
    if args.synthesize:
        timed("synthesize tasks", lambda: synthesize(args.synthesize, today))
    tasks = RectificationTask.objects.count()
    print(f"database {connection.settings_dict['NAME']}: {tasks} tasks, as of {today}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    base_s = plan_s = again_s = 0.0
    if not args.send_only:
        truncate()
        base_s, base_rows = timed("1. single INSERT … SELECT (baseline)", lambda: baseline(today))
        truncate()
        plan_s, plan_rows = timed("2. sweep plan, batched by task id", lambda: reminders.plan(today))
        assert plan_rows == base_rows + Reminder.objects.filter(clue__isnull=False).count(), (plan_rows, base_rows)
        again_s, again_rows = timed("3. sweep plan again (all rows exist)", lambda: reminders.plan(today))
    send_s = 0.0
    if not args.no_send:
        audience = reminders.Audience.load()

        def send_all():
            n, start, step = 0, time.perf_counter(), 50_000
            for ids in reminders.sendable_id_chunks():
                n += len(reminders.send(ids, audience=audience))
                if n // step != (n - len(ids)) // step:
                    rate = n / (time.perf_counter() - start)
                    print(f"   … {n} sent, {rate:.0f}/s, max RSS {rss_mb():.1f} MB", flush=True)
            return n

        send_s, _ = timed("4. sweep send (claim + inbox rows)", send_all)
        print(f"   notifications written: {Notification.objects.count()}")
    print()
    if base_s:
        print(f"plan / baseline            = {plan_s / base_s:.2f}x   ({plan_rows} rows)")
        print(f"plan again / baseline      = {again_s / base_s:.2f}x")
    if send_s and base_s:
        print(f"whole sweep / baseline     = {(plan_s + send_s) / base_s:.2f}x   ({plan_s + send_s:.1f} s)")
    print(f"peak RSS                   = {rss_mb():.1f} MB")


if __name__ == "__main__":
    main()
