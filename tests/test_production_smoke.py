"""The production path, end to end: gunicorn with DEBUG off on PostgreSQL and Redis, a real Celery worker,
static files collected for WhiteNoise, reached the way nginx reaches it (Host header, X-Forwarded-Proto).

A database of its own (`<DATABASE_URL's name>_smoke`) is made, migrated with `manage.py migrate` and dropped
afterwards; collectstatic writes into a temporary STATIC_ROOT. The office logs in over HTTP with the CSRF token,
downloads the units import template, fills a row, uploads it and follows the job page until the worker has
imported it; then a hashed static file and /healthz. Run like CI:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> REDIS_URL=redis://127.0.0.1:6379/<n> SECRET_KEY=x \
    .venv/bin/python -m pytest tests/test_production_smoke.py
"""

import http.client
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

import openpyxl
import pytest
from django.conf import settings

REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
HOST = "xuncha.example.gov.cn"  # what nginx passes on (proxy_set_header Host $host)
PASSWORD = "smoke-Test-2026-office"
UNIT = "烟测镇党委"

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not REDIS_URL, reason="needs Redis for the broker and the cache: set REDIS_URL"),
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"), reason="production runs PostgreSQL: set DATABASE_URL=postgres://…"
    ),
]


def _bounded(condition, *, timeout, what, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tails = "\n".join(f"--- {log.name} ---\n{log.read_text(errors='replace')[-2500:]}" for log in logs)
    pytest.fail(f"timed out after {timeout} s waiting for {what}\n{tails}")


@pytest.fixture
def database():
    """A fresh database next to DATABASE_URL's, dropped (with its connections) at the end."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/") + "_smoke"
    server = psycopg2.connect(parts._replace(path="/postgres").geturl())
    server.autocommit = True

    def drop():
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    drop()
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield parts._replace(path=f"/{name}").geturl()
    drop()
    server.close()


@pytest.fixture
def production(database, tmp_path):
    """Migrate, collect static files, make the office account; then gunicorn and a worker. Killed at the end."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env.update(
        DJANGO_SETTINGS_MODULE="xuncha.settings",
        DEBUG="0",
        SECRET_KEY="smoke-test-" + uuid.uuid4().hex,
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        ALLOWED_HOSTS=HOST,
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        TRUST_PROXY_SSL_HEADER="1",  # behind nginx, which sets X-Forwarded-Proto
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )
    (tmp_path / "media").mkdir()  # docs/production.md makes MEDIA_ROOT before the services start
    manage = [sys.executable, "manage.py"]

    def run(*args, timeout):
        result = subprocess.run(
            [*manage, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}"
        return result

    # The two slow steps are independent: migrate the database while static files are collected.
    with ThreadPoolExecutor(2) as pool:
        migrated = pool.submit(run, "migrate", "--no-input", timeout=120)
        collected = pool.submit(run, "collectstatic", "--no-input", timeout=120)
        migrated.result(), collected.result()
    create_office = (
        "from django.contrib.auth.models import Group, User; "
        f"u = User.objects.create_user('office', password={PASSWORD!r}); "
        "u.groups.add(Group.objects.get(name='巡察办'))"
    )
    run("shell", "-c", create_office, timeout=60)

    processes = []

    def start(name, *args):
        log = tmp_path / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                args,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the kill takes its children too
            )
        processes.append(proc)
        return log

    web_log = start(
        "gunicorn",
        *(sys.executable, "-m", "gunicorn", "xuncha.wsgi:application"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"),
    )
    celery = (sys.executable, "-m", "celery", "-A", "xuncha")
    worker_log = start("worker", *celery, "worker", "-l", "info", "-c", "1", "--without-mingle")
    try:

        def web_up():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                assert processes[0].poll() is None, web_log.read_text()[-3000:]
                return False

        def worker_ready():
            assert processes[1].poll() is None, worker_log.read_text()[-3000:]
            return b"ready." in worker_log.read_bytes()

        _bounded(web_up, timeout=30, what="gunicorn to listen", logs=[web_log])
        _bounded(worker_ready, timeout=30, what="the Celery worker", logs=[worker_log])
        yield Browser(port), [web_log, worker_log]
    finally:
        for proc in processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)  # the whole group: gunicorn's and the pool's children too
            proc.wait(10)


class Browser:
    """Plain HTTP to gunicorn, as nginx sends it: the public Host, X-Forwarded-Proto: https, and cookies kept by hand
    (they are Secure, which an HTTP client library would rightly refuse to send over plain HTTP)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        response.content = content
        response.text = content.decode("utf-8", errors="replace")
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, fields, files=None, *, referer):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in (files or {}).items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"https://{HOST}{referer}",  # Django checks it on HTTPS requests
            "Origin": f"https://{HOST}",
        }
        return self.request("POST", path, body=b"".join(parts), headers=headers)


def _csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_production_serves_logs_in_imports_through_the_worker_and_reports_health(production):
    browser, logs = production

    # HTTPS only: without the proxy's X-Forwarded-Proto the request is redirected to https://.
    plain = browser.get("/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/accounts/login/"

    login_page = browser.get("/accounts/login/")
    assert login_page.status == 200
    assert "Strict-Transport-Security" in login_page.headers
    answer = browser.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": _csrf(login_page), "username": "office", "password": PASSWORD},
        referer="/accounts/login/",
    )
    assert answer.status == 302, answer.text[:2000]
    assert "Secure" in " ".join(answer.headers.get_all("Set-Cookie"))  # the session cookie only travels over HTTPS

    # The import, as the office does it: template, one row, upload, the job page until the worker is done.
    template = browser.get("/ledgers/import/units/template.xlsx")
    assert template.status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = workbook["导入数据"]
    row = {"名称": UNIT, "类别": "乡镇党委", "在册": "是"}  # by the template's own headers (编号 empty: a new unit)
    sheet.append([row.get(cell.value) for cell in sheet[1]])
    filled = io.BytesIO()
    workbook.save(filled)
    start = browser.get("/ledgers/import/units/")
    assert start.status == 200
    answer = browser.post(
        "/ledgers/import/units/",
        {"csrfmiddlewaretoken": _csrf(start)},
        {"file": ("units.xlsx", filled.getvalue())},
        referer="/ledgers/import/units/",
    )
    assert answer.status == 302, answer.text[:2000]
    job_url = answer.getheader("Location")
    assert re.fullmatch(r"/ledgers/import/job/\d+/", job_url), job_url

    state = {}

    def imported():
        fragment = browser.get(job_url, headers={"HX-Request": "true"})
        assert fragment.status == 200
        state["status"] = re.search(r'data-status="(\w+)"', fragment.text).group(1)
        state["text"] = fragment.text
        return state["status"] not in ("pending", "running")

    _bounded(imported, timeout=30, what="the worker to run the import", logs=logs)
    assert state["status"] == "done", state["text"]
    assert "已导入 1 行。" in state["text"]
    units = browser.get("/units/?q=" + quote(UNIT))
    assert units.status == 200 and UNIT in units.text

    # A hashed static file, from the manifest collectstatic wrote, served by WhiteNoise for a year.
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', login_page.text)
    assert stylesheet, "the page does not link a hashed stylesheet"
    css = browser.get(stylesheet.group(1))
    assert css.status == 200 and b".container" in css.content
    assert "immutable" in css.getheader("Cache-Control", "")

    health = browser.get("/healthz")
    assert health.status == 200, health.text
    assert re.search(r'"database"\s*:\s*"ok"', health.text), health.text
