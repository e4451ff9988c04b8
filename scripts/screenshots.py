"""The README's screenshots, taken from the demo county: docs/img/*.png.

    .venv/bin/python scripts/screenshots.py                 # a fresh demo database in a temporary folder (~1 min)
    .venv/bin/python scripts/screenshots.py --database-url sqlite:///db.sqlite3   # the database `make run` made

It serves the app with runserver (DEBUG on, tasks in-process), logs in through the login form as each role and
photographs one page each in headless Chromium (Debian's, driven by Playwright — `make test` installs both).
Chromium needs a Chinese font (Debian: `apt-get install fonts-noto-cjk`, or the smaller fonts-wqy-microhei).
Run it after a visible change and commit the PNGs (`make screenshots` does the same).
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
PASSWORD = "xuncha-demo-2026"  # the demo accounts' (xuncha/demo/base.py)
WIDTH, HEIGHT = 1280, 720
# (file, account, page, what to wait for)
SHOTS = [
    ("dashboard.png", "leadership", "/dashboard/", "canvas"),
    ("ledger.png", "office", "/rectification/", "table"),
    ("findings.png", "group1_leader", "/findings/", "table"),
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help="use this demo database instead of seeding a fresh one")
    p.add_argument("--out", type=Path, default=OUT)
    return p.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    args = parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        sys.exit("Chromium is missing: `make test` installs Debian's chromium package.")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True) if shutil.which("fc-list") else None
    if not (fonts and fonts.stdout.strip()):
        sys.exit("No Chinese font (the pictures would show boxes): apt-get install fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="xuncha-screenshots-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(
            DEBUG="1",
            DATABASE_URL=args.database_url or f"sqlite:///{tmp}/demo.sqlite3",
            MEDIA_ROOT=f"{tmp}/media",
            AXES_ENABLED="0",
            LOG_LEVEL="WARNING",
        )
        manage = [sys.executable, "manage.py"]
        if not args.database_url:
            print("Seeding a fresh demo county…", flush=True)
            subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
            subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("runserver did not start")
                    time.sleep(0.5)
            shoot(chromium, base, args.out)
        finally:
            server.terminate()
            server.wait(10)


def shoot(chromium, base, out):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for filename, account, path, ready in SHOTS:
            context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": WIDTH, "height": HEIGHT})
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.goto("/accounts/login/")
            page.fill("#id_username", account)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(path)
            page.wait_for_selector(ready)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # charts finish their entry animation
            page.screenshot(path=out / filename)
            print(f"{out / filename}: {(out / filename).stat().st_size // 1024} KB", flush=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
