"""Benchmark: every main page, for every kind of reader, against the framework's own floor.

Served by gunicorn on PostgreSQL and Redis, requests interleaved so that every page meets the same machine
conditions. Two floors, served by the same gunicorn from URLs that exist only with BENCHMARK_FLOOR=1
(xuncha/floor.py): floor-0, no login; floor-1, a `@login_required` view returning "ok" through the full
middleware (session, user). Every ratio is a page's p50 over the same persona's floor-1 p50 in the same
repeat; the run is repeated (--repeats, 3) to show the spread, and the load average is recorded.

    .venv/bin/python bench/dashboard.py --scale 100 --write

Personas (seed_demo's users): leadership (reads everything), group1_leader, group1_member, liaison.
The script makes the database if it is missing, migrates it and runs `seed_demo --scale N` (nothing to do
when the data is there; an interrupted seed resumes), then VACUUM ANALYZE. With --write the results replace
the latest run in the "Dashboard and list pages" section of bench/RESULTS.md.
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
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FLOOR0 = ("floor-0 (no login)", "/_bench/floor0")
FLOOR1 = ("floor-1 (login, full middleware)", "/_bench/floor1")
PERSONAS = ["leadership", "group1_leader", "group1_member", "liaison"]
WORD = "台账"  # a common two-character word (in many measures and titles)


def pages(unit_name: str, finding_number: str):
    """(name, path, target × floor-1) for every page; a persona that may not read one gets 404 and skips it."""
    word, unit, number = quote(WORD), quote(unit_name), quote(finding_number)
    return [
        ("landing", "/", 1.5),
        ("dashboard", "/dashboard/", 2),
        ("dashboard JSON", "/dashboard/data.json", 2),
        ("整改台账", "/rectification/", 4),
        ("整改台账, search: two-character word", f"/rectification/?q={word}", None),
        ("整改台账, search: unit name", f"/rectification/?q={unit}", None),
        ("整改台账, search: finding number", f"/rectification/?q={number}", None),
        ("findings", "/findings/", 5),
        ("findings, search: two-character word", f"/findings/?q={word}", None),
        ("findings, search: finding number", f"/findings/?q={number}", None),
        ("units", "/units/", 4),
        ("units, search: unit name", f"/units/?q={unit}", None),
        ("clues", "/findings/clues/", 5),
        ("clues, search: two-character word", f"/findings/clues/?q={word}", None),
        ("inspections", "/inspections/", 4),
    ]


SECTION = "## Dashboard and list pages"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuncha_bench")
    p.add_argument("--scale", type=int, default=100, help="seed_demo --scale (counties of ≈20,000 tasks each)")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--port", type=int, default=0, help="default: a free port")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=15, help="samples per page, persona and repeat (warm)")
    p.add_argument("--repeats", type=int, default=3, help="the whole measurement, repeated to show the spread")
    p.add_argument("--write", action="store_true", help="record the results in bench/RESULTS.md")
    args = p.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not args.database_url.startswith("postgres"):
        p.error("--database-url must point at PostgreSQL (the database is made and seeded if missing)")
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
        "BENCHMARK_FLOOR": "1",
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


def session_cookies() -> dict:
    """A logged-in session per persona, made directly in the session engine in use (the login form is not
    what we measure)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    cookies = {}
    for username in PERSONAS:
        user = User.objects.get(username=username)
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies[username] = store.session_key
    return cookies


def search_terms() -> tuple[str, str]:
    """A unit name and a finding number the group personas can see (their county's first inspection)."""
    from django.contrib.auth.models import User

    from findings.models import Finding

    leader = User.objects.get(username="group1_leader")
    finding = Finding.objects.visible_to(leader).order_by("pk").select_related("inspection__unit").first()
    return finding.inspection.unit.name, finding.number


def get(conn, path, cookie) -> tuple[int, float]:
    start = time.perf_counter()
    headers = {"Host": "127.0.0.1"} | ({"Cookie": f"sessionid={cookie}"} if cookie else {})
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status not in (200, 404):
        raise SystemExit(f"GET {path}: {response.status} {response.getheader('Location', '')}\n{body[:500]!r}")
    return response.status, elapsed


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def measure(args, cookies, page_list) -> list[dict]:
    """Per repeat: {(persona, page name): [ms, ...]}, floors included; pages a persona may not read left out."""
    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
    readable = {}
    for persona in PERSONAS:  # warm the workers, connections and caches; find what each persona reads
        readable[persona] = [FLOOR1]
        for name, path, _ in page_list:
            for _ in range(2):
                status, _ms = get(conn, path, cookies[persona])
            if status == 200:
                readable[persona].append((name, path))
    runs = []
    for _ in range(args.repeats):
        samples = {}
        for _ in range(args.rounds):
            for persona in PERSONAS:
                samples.setdefault(("-", FLOOR0[0]), []).append(get(conn, FLOOR0[1], None)[1])
                for name, path in readable[persona]:
                    samples.setdefault((persona, name), []).append(get(conn, path, cookies[persona])[1])
        runs.append(samples)
    return runs


def counts() -> dict:
    from findings.models import Finding
    from rectification.models import RectificationTask
    from rounds.models import PartyUnit

    return {
        "tasks": RectificationTask.objects.count(),
        "findings": Finding.objects.count(),
        "units": PartyUnit.objects.count(),
    }


def _spread(values) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.1f}×" if f"{lo:.1f}" == f"{hi:.1f}" else f"{lo:.1f}–{hi:.1f}×"


def report(runs, data, page_list) -> str:
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on `{data['db']}` (seed_demo --scale {data['scale']}): "
        f"{data['tasks']:,} tasks, {data['findings']:,} findings, {data['units']:,} units; gunicorn "
        f"{data['workers']} workers, PostgreSQL and Redis; {data['rounds']} interleaved samples per page, "
        f"persona and repeat, {len(runs)} repeats, one client. Load average (1, 5, 15 min) before: "
        f"{data['load_before']}, after: {data['load_after']}.",
        "",
        "Each cell: the page's p50 as a multiple of the same persona's floor-1 p50, lowest–highest over the repeats "
        "(target in brackets). Floor-1 p50 in ms per repeat in the first row.",
        "",
        "| page | " + " | ".join(PERSONAS) + " |",
        "|---|" + "---:|" * len(PERSONAS),
    ]
    f0 = [pct(run[("-", FLOOR0[0])], 50) for run in runs]
    lines.append(f"| {FLOOR0[0]}, ms | " + " | ".join([" / ".join(f"{v:.1f}" for v in f0)] * len(PERSONAS)) + " |")
    floor1 = {p: [pct(run[(p, FLOOR1[0])], 50) for run in runs] for p in PERSONAS}
    lines.append(
        f"| {FLOOR1[0]}, ms | " + " | ".join(" / ".join(f"{v:.1f}" for v in floor1[p]) for p in PERSONAS) + " |"
    )
    plain = {}
    for name, path, target in page_list:
        cells = []
        for persona in PERSONAS:
            if (persona, name) not in runs[0]:
                cells.append("—")
                continue
            ratios = [pct(run[(persona, name)], 50) / floor1[persona][i] for i, run in enumerate(runs)]
            if "search" not in name:
                plain[(persona, name)] = ratios
            cell = _spread(ratios)
            base = name.split(",")[0]
            if "search" in name and (persona, base) in plain:
                over = [r / b for r, b in zip(ratios, plain[(persona, base)], strict=True)]
                cell += f" ({_spread(over)} the list)"
            cells.append(cell)
        label = f"{name} `{path}`" + (f" [≤ {target}×]" if target else " [≤ 2× the list]")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
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


def load() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def main():
    args = parse_args()
    env = server_env(args)
    prepare_database(args, env)
    django_setup(env)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    cookies = session_cookies()
    page_list = pages(*search_terms())
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
        load_before = load()
        runs = measure(args, cookies, page_list)
        load_after = load()
    finally:
        server.terminate()
        server.wait(timeout=30)
    data = {
        **counts(),
        "db": args.database_url.rsplit("/", 1)[-1],
        "scale": args.scale,
        "workers": args.workers,
        "rounds": args.rounds,
        "load_before": load_before,
        "load_after": load_after,
    }
    text = report(runs, data, page_list)
    print(text)
    if args.write:
        write_results(text, f".venv/bin/python bench/dashboard.py --scale {args.scale} --write")


if __name__ == "__main__":
    main()
