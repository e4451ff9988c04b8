"""Browser journeys in Debian's headless Chromium, driven by Playwright (never a downloaded browser).

Mark browser tests `pytest.mark.django_db(transaction=True)`: the live server
needs committed data, and the rollback keeps the rows that data migrations made (roles, categories)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def log_in(page):
    """Log in through the real login form."""

    def _log_in(username, password="pw"):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _log_in


@pytest.fixture
def pick(page):
    """Choose in a searchable select (xuncha/lookups.py): type part of the label, then click the suggestion."""

    def _pick(select, typed, label=None):
        page.fill(f"{select}-ts-control", typed)
        page.click(f"{select}-ts-dropdown .option:has-text('{label or typed}')")
        return page

    return _pick
