"""Benchmark: the dashboard, its JSON and the main list pages, served by gunicorn on PostgreSQL.

Each page's p50/p95 is reported as a ratio to a trivial logged-in page (the landing page) measured in
the same run, requests interleaved so that every page meets the same machine conditions.

    .venv/bin/python bench/dashboard.py --write

The script makes the database if it is missing, migrates it and runs `seed_demo --scale 100` (about
2 million tasks; a few minutes on a quiet machine; nothing to do when the data is there, and an
interrupted seed resumes), then VACUUM ANALYZE, as autovacuum would after a load. It adds one leadership
user (bench_leadership) and a session for it. With --write the results replace the latest run in the
"Dashboard and list pages" section of bench/RESULTS.md.
Targets: dashboard and JSON ≤ 3×, list pages ≤ 2× the landing page.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ("landing", "/")
# (name, path, target ratio): the dashboard, then the main list pages, then the dashboard's drill-downs.
PAGES = [
    ("dashboard", "/dashboard/", 3),
    ("dashboard JSON", "/dashboard/data.json", 3),
    ("整改台账 (tasks)", "/rectification/", 2),
    ("整改台账, overdue", "/rectification/?overdue=on", 2),
    ("整改台账, page 200", "/rectification/?page=200", 2),
    ("整改台账, search, a common word", "/rectification/?q=%E5%8F%B0%E8%B4%A6", 2),
    ("整改台账, search, one county's unit", "/rectification/?q=%E7%AC%AC37%E5%8E%BF%C2%B7%E6%B0%B8%E5%AE%89", 2),
    ("整改台账, 20 rows a page (?per=20)", "/rectification/?per=20", 2),
    ("findings", "/findings/", 2),
    ("findings, page 200", "/findings/?page=200", 2),
    ("findings, 20 rows a page (?per=20)", "/findings/?per=20", 2),
    ("units", "/units/", 2),
    ("units, not covered", "/units/?coverage=uncovered", 2),
    ("drill-down: tasks", "/dashboard/tasks/", 2),
    ("drill-down: tasks overdue 31–90", "/dashboard/tasks/?overdue=1&bucket=31-90", 2),
    ("drill-down: tasks, page 200", "/dashboard/tasks/?page=200", 2),
    ("drill-down: findings", "/dashboard/findings/", 2),
    ("drill-down: units not covered", "/dashboard/units/?covered=0", 2),
]
# Also measured with the cache emptied before each request, as right after any write: the figures and
# the lists' row counts are then recomputed.
COLD = {"dashboard", "dashboard JSON", "整改台账 (tasks)", "findings", "units"}
SECTION = "## Dashboard and list pages"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuncha_bench")
    p.add_argument("--scale", type=int, default=100, help="seed_demo --scale (counties of ≈20,000 tasks each)")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--port", type=int, default=0, help="default: a free port")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=60, help="samples per page (warm)")
    p.add_argument("--cold-rounds", type=int, default=8, help="samples per page with the cache emptied (COLD pages)")
    p.add_argument("--url", action="append", default=[], metavar="NAME=PATH", help="an extra list page (target 2×)")
    p.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = p.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not args.database_url.startswith("postgres"):
        p.error("--database-url must point at PostgreSQL (the database is made and seeded if missing)")
    for extra in args.url:
        name, _, path = extra.partition("=")
        PAGES.append((name, path, 2))
    return args


def server_env(args) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-throwaway-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }


def prepare_database(args, env):
    """Create, migrate and seed the database (each step does nothing when already done), then analyze it."""
    import psycopg2
    from psycopg2 import sql

    name = args.database_url.rsplit("/", 1)[-1]
    server = psycopg2.connect(args.database_url.rsplit("/", 1)[0] + "/postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            print(f"Creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    server.close()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run([*manage, "seed_demo", "--scale", str(args.scale)], cwd=ROOT, env=env, check=True)
    print(f"seed_demo --scale {args.scale}: {time.monotonic() - started:.0f} s")
    database = psycopg2.connect(args.database_url)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    database.close()


def django_setup(env):
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_cookie() -> str:
    """A logged-in session for a leadership user, made directly (the login form is not what we measure)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from xuncha.roles import LEADERSHIP_GROUP

    user, _ = User.objects.get_or_create(username="bench_leadership", defaults={"first_name": "基准测试"})
    user.groups.add(Group.objects.get(name=LEADERSHIP_GROUP))
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def empty_figure_cache():
    from django.core.cache import cache

    from xuncha.dataversion import VERSION_KEY

    cache.delete(VERSION_KEY)


def get(conn, path, cookie) -> float:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {response.getheader('Location', '')}\n{body[:500]!r}")
    return elapsed


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def measure(args, cookie) -> tuple[dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
    for _ in range(3):  # warm the workers, the connections and the figures' cache
        for _, path in [BASELINE] + [(n, p) for n, p, _ in PAGES]:
            get(conn, path, cookie)
    warm = {name: [] for name in [BASELINE[0]] + [n for n, _, _ in PAGES]}
    for _ in range(args.rounds):
        warm[BASELINE[0]].append(get(conn, BASELINE[1], cookie))
        for name, path, _ in PAGES:
            warm[name].append(get(conn, path, cookie))
    cold = {BASELINE[0]: []} | {name: [] for name, _, _ in PAGES if name in COLD}
    for _ in range(args.cold_rounds):
        cold[BASELINE[0]].append(get(conn, BASELINE[1], cookie))
        for name, path, _ in PAGES:
            if name in COLD:
                empty_figure_cache()
                cold[name].append(get(conn, path, cookie))
    return warm, cold


def counts() -> dict:
    from findings.models import Finding
    from rectification.models import RectificationTask
    from rounds.models import PartyUnit

    return {
        "tasks": RectificationTask.objects.count(),
        "findings": Finding.objects.count(),
        "units": PartyUnit.objects.count(),
    }


def report(warm, cold, data) -> str:
    base = warm[BASELINE[0]]
    b50, b95 = pct(base, 50), pct(base, 95)
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on `{data['db']}`: {data['tasks']:,} tasks, "
        f"{data['findings']:,} findings, {data['units']:,} units; gunicorn {data['workers']} workers, "
        f"{data['rounds']} interleaved samples per page, one client.",
        "",
        "| page | p50 ms | p95 ms | p50 ratio | p95 ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|:---:|",
        f"| {BASELINE[0]} `{BASELINE[1]}` (baseline) | {b50:.1f} | {b95:.1f} | 1.0× | 1.0× | | |",
    ]
    for name, path, target in PAGES:
        p50, p95 = pct(warm[name], 50), pct(warm[name], 95)
        met = "yes" if p50 / b50 <= target and p95 / b95 <= target else "**no**"
        label = f"{name}, warm cache" if name in COLD else name
        lines.append(
            f"| {label} `{path}` | {p50:.1f} | {p95:.1f} | {p50 / b50:.1f}× | {p95 / b95:.1f}× | {target}× | {met} |"
        )
    cb = cold[BASELINE[0]]
    for name, path, target in PAGES:
        if name in cold:
            p50, p95 = pct(cold[name], 50), pct(cold[name], 95)
            c50, c95 = pct(cb, 50), pct(cb, 95)
            met = "yes" if p50 / c50 <= target else "**no**"
            lines.append(
                f"| {name}, cold (cache emptied) `{path}` | {p50:.1f} | {p95:.1f} | {p50 / c50:.1f}× | "
                f"{p95 / c95:.1f}× | {target}× | {met} |"
            )
    return "\n".join(lines)


START, END = "<!-- dashboard-bench:start -->", "<!-- dashboard-bench:end -->"


def write_results(text, command):
    """Replace the latest run between the markers; the notes around them in the section stay."""
    path = ROOT / "bench" / "RESULTS.md"
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    block = f"{START}\nReproduce: `{command}`\n\n{text}\n{END}"
    if START in current and END in current:
        head, _, rest = current.partition(START)
        _, _, tail = rest.partition(END)
        path.write_text(head + block + tail)
    else:
        path.write_text(f"{current.rstrip()}\n\n{SECTION}\n\n{block}\n")


def main():
    args = parse_args()
    env = server_env(args)
    prepare_database(args, env)
    django_setup(env)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    cookie = session_cookie()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "xuncha.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        warm, cold = measure(args, cookie)
    finally:
        server.terminate()
        server.wait(timeout=30)
    data = {**counts(), "db": args.database_url.rsplit("/", 1)[-1], "workers": args.workers, "rounds": args.rounds}
    text = report(warm, cold, data)
    print(text)
    if args.write:
        write_results(text, ".venv/bin/python bench/dashboard.py --write")


if __name__ == "__main__":
    main()
