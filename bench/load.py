"""Load run: 50 simulated users for 60 s across every role, against gunicorn on loopback, on PostgreSQL.

    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/xuncha_load [--write]

The script migrates the database and seeds the demo county if it is missing (`seed_demo`, a few thousand
tasks), prepares disjoint work for each simulated user (findings awaiting sign-off, tasks awaiting 销号,
tasks to report progress on), serves this code with gunicorn (4 workers, Redis cache) on 127.0.0.1, and
runs the users as threads, each with its own session:

- office (8): the 整改台账 and findings lists, the dashboard, an .xlsx export now and then, and 销号 of
  tasks awaiting it;
- leadership (6): the dashboard, its JSON, the lists, exports;
- group leaders (8): their findings, and 审签 of findings awaiting it;
- group members (10): their findings, and drafting new ones (问题底稿);
- unit liaisons (12): their tasks, and progress reports with a file attached;
- discipline liaisons (6): their clues.

Bounded: each user stops after --seconds or --max-requests, whichever comes first; only loopback traffic.
At the end it reports the error count (5xx, connection errors, unexpected statuses) and an integrity check:
every write the server acknowledged (a redirect after success) exists exactly once in the database.
"""

import argparse
import http.client
import http.cookiejar
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboard import django_setup, server_env  # noqa: E402 - one way to set up the server's environment

PASSWORD = "xuncha-demo-2026"
MIX = {  # simulated users per role, and the demo account they log in as
    "office": (8, "office"),
    "leadership": (6, "leadership"),
    "leader": (8, None),  # group1_leader / group2_leader, alternately
    "member": (10, None),
    "liaison": (12, "liaison"),
    "jiwei": (6, "jiwei"),
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class User:
    def __init__(self, base, username):
        self.base, self.username = base, username
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path, data=None, files=None):
        """(status, body bytes); a POST sends the CSRF token; files: [(field, name, bytes)]."""
        headers = {"Referer": self.base + path}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf()}
            if files:
                boundary = uuid.uuid4().hex
                parts = []
                for key, value in data.items():
                    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n')
                blob = "".join(parts).encode()
                for field, name, content in files:
                    blob += (
                        (
                            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                            "Content-Type: application/pdf\r\n\r\n"
                        ).encode()
                        + content
                        + b"\r\n"
                    )
                body = blob + f"--{boundary}--\r\n".encode()
                headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urllib.parse.urlencode(data).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def login(self):
        self.request("/accounts/login/")
        status, _ = self.request("/accounts/login/", {"username": self.username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login of {self.username} answered {status}")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xuncha_load")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--max-requests", type=int, default=400, help="per simulated user")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--tasks-per-county", type=int, default=5000)
    p.add_argument("--write", action="store_true", help="add the figures to bench/RESULTS.md")
    args = p.parse_args()
    if not args.database_url.startswith("postgres"):
        p.error("--database-url must point at PostgreSQL")
    return args


def prepare(args, env):
    """Migrate and seed (nothing to do when present), then hand each user its own share of the writes."""
    import psycopg2
    from psycopg2 import sql

    name = args.database_url.rsplit("/", 1)[-1]
    server = psycopg2.connect(args.database_url.rsplit("/", 1)[0] + "/postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    server.close()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--tasks-per-county", str(args.tasks_per_county)], cwd=ROOT, env=env, check=True
    )
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    django_setup(env)
    return work_shares()


def work_shares():
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from findings.choices import ReviewState
    from findings.models import Finding, FindingCategory
    from findings.selectors import inspections_for_drafting
    from rectification.choices import TaskStatus
    from rectification.models import RectificationTask

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "office",
                "leadership",
                "group1_leader",
                "group2_leader",
                "group1_member",
                "group2_member",
                "liaison",
                "jiwei",
            ]
        )
    }
    shares = {}
    for n in (1, 2):
        leader = users[f"group{n}_leader"]
        drafts = list(
            Finding.objects.visible_to(leader).filter(review_state=ReviewState.DRAFT).values_list("pk", flat=True)[:120]
        )
        Finding.objects.filter(pk__in=drafts).update(review_state=ReviewState.LEADER_SIGN)
        shares[f"sign{n}"] = drafts
        member = users[f"group{n}_member"]
        shares[f"inspections{n}"] = list(inspections_for_drafting(member).values_list("pk", flat=True)[:5])
    shares["category"] = FindingCategory.objects.filter(children__isnull=True).order_by("code").first().pk
    open_tasks = RectificationTask.objects.visible_to(users["liaison"]).filter(
        status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]
    )
    # Progress may not go back: each report raises its task's by one point (the tasks are shared out disjointly).
    shares["liaison_tasks"] = list(open_tasks.filter(progress__lte=50).values_list("pk", "progress")[:240])
    liaison_set = {pk for pk, _ in shares["liaison_tasks"]}
    to_close = [
        pk
        for pk in RectificationTask.objects.filter(status=TaskStatus.IN_PROGRESS)
        .order_by("pk")
        .values_list("pk", flat=True)[:600]
        if pk not in liaison_set
    ][:240]
    RectificationTask.objects.filter(pk__in=to_close).update(status=TaskStatus.SUBMITTED, progress=100)
    shares["to_close"] = to_close
    shares["urls"] = {
        "tasks": reverse("rectification:task_list"),
        "findings": reverse("findings:finding_list"),
        "clues": reverse("findings:clue_list"),
        "dashboard": reverse("dashboard:index"),
        "data": reverse("dashboard:data"),
        "export_ledger": reverse("exports:ledger"),
        "export_findings": reverse("exports:findings"),
        "create": reverse("findings:finding_create"),
        "sign": reverse("findings:finding_transition", args=[0]),
        "close": reverse("rectification:task_transition", args=[0]),
        "progress": reverse("rectification:progress_add", args=[0]),
    }
    return shares


def at(url, pk):
    """A URL reversed with pk 0, for another pk."""
    return url.replace("/0/", f"/{pk}/")


def split(items, parts):
    return [items[i::parts] for i in range(parts)]


def run_users(base, shares, args):
    urls = shares["urls"]
    stats = Counter()
    errors = []
    acknowledged = defaultdict(list)  # kind -> markers the server acknowledged
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    latencies = []

    def call(user, label, path, data=None, files=None, ok=(200,)):
        started = time.monotonic()
        try:
            status, body = user.request(path, data, files)
        except (OSError, http.client.HTTPException) as exc:
            status, body = 0, str(exc).encode()
        took = time.monotonic() - started
        with lock:
            stats[label] += 1
            latencies.append(took)
            if status not in ok:
                errors.append((label, status, body[:200]))
        return status

    def loop(user, actions):
        n = 0
        while time.monotonic() < deadline and n < args.max_requests:
            random.choice(actions)()
            n += 1

    threads = []

    def spawn(username, make_actions):
        user = User(base, username)
        user.login()
        threads.append(threading.Thread(target=loop, args=(user, make_actions(user)), daemon=True))

    closes = split(shares["to_close"], MIX["office"][0])
    for i in range(MIX["office"][0]):
        mine = closes[i]

        def actions(u, mine=mine):
            def close():
                if not mine:
                    return call(u, "list", urls["tasks"])
                pk = mine.pop()
                if call(u, "close", at(urls["close"], pk), {"to_status": "closed"}, ok=(302,)) == 302:
                    with lock:
                        acknowledged["close"].append(pk)

            return [
                lambda: call(u, "list", urls["tasks"]),
                lambda: call(u, "list", urls["findings"] + "?page=2"),
                lambda: call(u, "dashboard", urls["dashboard"]),
                lambda: call(u, "export", urls["export_ledger"] + "?status=submitted"),
                close,
                close,
            ]

        spawn("office", actions)
    for _ in range(MIX["leadership"][0]):
        spawn(
            "leadership",
            lambda u: [
                lambda: call(u, "dashboard", urls["dashboard"]),
                lambda: call(u, "data", urls["data"]),
                lambda: call(u, "list", urls["tasks"] + "?overdue=true"),
                lambda: call(u, "list", urls["findings"]),
                lambda: call(u, "export", urls["export_findings"] + "?review_state=reported&key_minority=true"),
            ],
        )
    signs = {n: split(shares[f"sign{n}"], MIX["leader"][0] // 2) for n in (1, 2)}
    for i in range(MIX["leader"][0]):
        n = 1 + i % 2
        mine = signs[n][i // 2]

        def actions(u, mine=mine):
            def sign():
                if not mine:
                    return call(u, "list", urls["findings"])
                pk = mine.pop()
                data = {"to_state": "reported", "comment": "", "expected_state": "leader_sign"}
                if call(u, "sign", at(urls["sign"], pk), data, ok=(302,)) == 302:
                    with lock:
                        acknowledged["sign"].append(pk)

            return [lambda: call(u, "list", urls["findings"]), sign, sign]

        spawn(f"group{n}_leader", actions)
    for i in range(MIX["member"][0]):
        n = 1 + i % 2

        def actions(u, n=n):
            def draft():
                title = f"压测底稿 {uuid.uuid4().hex[:12]}"
                data = {
                    "inspection": random.choice(shares[f"inspections{n}"]),
                    "category": shares["category"],
                    "title": title,
                    "description": "负载测试写入",
                    "source": "documents",
                }
                if call(u, "draft", urls["create"], data, ok=(302,)) == 302:
                    with lock:
                        acknowledged["draft"].append(title)

            return [lambda: call(u, "list", urls["findings"]), draft]

        spawn(f"group{n}_member", actions)
    reports = split(shares["liaison_tasks"], MIX["liaison"][0])
    for i in range(MIX["liaison"][0]):
        mine = dict(reports[i])

        def actions(u, mine=mine):
            def report():
                if not mine:
                    return call(u, "list", urls["tasks"])
                pk = random.choice(list(mine))
                mine[pk] = min(mine[pk] + 1, 99)
                text = f"压测进展 {uuid.uuid4().hex[:12]}"
                files = [("files", "佐证.pdf", b"%PDF-1.4 load test evidence")]
                data = {"text": text, "progress": mine[pk]}
                status = call(u, "progress", at(urls["progress"], pk), data, files, ok=(302,))
                if status == 302:
                    with lock:
                        acknowledged["progress"].append(text)

            return [lambda: call(u, "list", urls["tasks"]), lambda: call(u, "export", urls["export_ledger"]), report]

        spawn("liaison", actions)
    for _ in range(MIX["jiwei"][0]):
        spawn("jiwei", lambda u: [lambda: call(u, "list", urls["clues"])])

    started = time.monotonic()
    deadline = started + args.seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.seconds + 180)
    return stats, errors, acknowledged, latencies, time.monotonic() - started, len(threads)


def integrity(acknowledged):
    """Each acknowledged write exists exactly once (and its history with it)."""
    from findings.models import Finding, FindingReview
    from rectification.models import ProgressReport, RectificationTask, TaskEvent

    problems = []
    drafts = Counter(Finding.objects.filter(title__in=acknowledged["draft"]).values_list("title", flat=True))
    problems += [f"draft {t!r}: {drafts[t]} rows" for t in acknowledged["draft"] if drafts[t] != 1]
    history = Counter(
        Finding.history.filter(title__in=acknowledged["draft"], history_type="+").values_list("title", flat=True)
    )
    problems += [f"draft {t!r}: {history[t]} creation history rows" for t in acknowledged["draft"] if history[t] != 1]
    signs = Counter(
        FindingReview.objects.filter(finding_id__in=acknowledged["sign"], to_state="reported").values_list(
            "finding_id", flat=True
        )
    )
    problems += [f"sign {pk}: {signs[pk]} reviews" for pk in acknowledged["sign"] if signs[pk] != 1]
    reports = Counter(ProgressReport.objects.filter(text__in=acknowledged["progress"]).values_list("text", flat=True))
    problems += [f"progress {t!r}: {reports[t]} rows" for t in acknowledged["progress"] if reports[t] != 1]
    with_files = ProgressReport.objects.filter(text__in=acknowledged["progress"], evidence__isnull=False).count()
    if with_files != len(acknowledged["progress"]):
        problems.append(f"progress: {with_files} of {len(acknowledged['progress'])} with their file")
    closes = Counter(
        TaskEvent.objects.filter(task_id__in=acknowledged["close"], to_status="closed").values_list(
            "task_id", flat=True
        )
    )
    problems += [f"close {pk}: {closes[pk]} events" for pk in acknowledged["close"] if closes[pk] != 1]
    closed = RectificationTask.objects.filter(pk__in=acknowledged["close"], status="closed").count()
    if closed != len(acknowledged["close"]):
        problems.append(f"close: {closed} of {len(acknowledged['close'])} tasks closed")
    return problems


def main():
    args = parse_args()
    env = {**server_env(args), "DB_CONN_MAX_AGE": "60"}
    shares = prepare(args, env)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "xuncha.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        stats, errors, acknowledged, latencies, elapsed, users = run_users(f"http://127.0.0.1:{port}", shares, args)
    finally:
        server.terminate()
        server.wait(timeout=60)
    problems = integrity(acknowledged)
    latencies.sort()

    def pct(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0

    total = sum(stats.values())
    by_status = Counter(status for _, status, _ in errors)
    text = "\n".join(
        [
            f"### Load run, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"`.venv/bin/python bench/load.py --database-url …/{args.database_url.rsplit('/', 1)[-1]}`: {users} users "
            f"for {args.seconds} s (ran {elapsed:.0f} s), gunicorn {args.workers} workers on 127.0.0.1, PostgreSQL, "
            f"Redis cache.",
            "",
            f"- requests: {total} ({total / elapsed:.0f}/s); p50 {pct(0.5):.0f} ms, p95 {pct(0.95):.0f} ms, "
            f"max {pct(1.0):.0f} ms",
            "- by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())),
            f"- errors: {len(errors)}" + (f" ({dict(by_status)})" if errors else ""),
            "- acknowledged writes: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(acknowledged.items())),
            f"- integrity: {'every acknowledged write exists exactly once' if not problems else problems[:10]}",
        ]
    )
    print(text)
    for label, status, body in errors[:10]:
        print("  error:", label, status, body[:120])
    if args.write:
        results = ROOT / "bench" / "RESULTS.md"
        results.write_text(results.read_text().rstrip("\n") + "\n\n" + text + "\n")
    sys.exit(1 if errors or problems else 0)


if __name__ == "__main__":
    main()
