"""Browser journeys in Debian's headless Chromium, driven by Playwright (never a downloaded browser).

Mark browser tests `pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the live server
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


_migrated_rows = {}


def pytest_runtest_setup(item):
    # Keep the migrated content that serialized_rollback restores, while the connection still carries it.
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        _migrated_rows.setdefault("default", contents)


@pytest.fixture(autouse=True)
def _restore_migrated_rows(request):
    """serialized_rollback restores the migrated rows (roles, categories) from content Django keeps on the
    connection wrapper; after a live-server test the main thread can get a fresh wrapper without it, and
    the next test would start from an empty database. Restore from the content kept above instead."""
    if "django_db" not in {m.name for m in request.node.iter_markers()} or "default" not in _migrated_rows:
        return
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    if hasattr(connections["default"], "_test_serialized_contents"):
        return  # Django restored them itself
    if not Group.objects.exists():  # the role groups come from a data migration: the flush took them
        # The flush re-created content types and permissions under new ids; start clean, then restore.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connections["default"].creation.deserialize_db_from_string(_migrated_rows["default"])
