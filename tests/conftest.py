"""Test-only tweaks and the shared world: two sealed groups and one persona per role."""

import os

import pytest

from tests.world import build_world


def _own_redis_database(settings):
    """Parallel test processes (pytest-xdist) each get their own Redis database, as each has its own test
    database: one process's flush, cache clean-up or Celery queue never reaches another's."""
    worker, url = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("REDIS_URL", "")
    if not worker.startswith("gw") or not url:
        return
    base, _, number = url.rpartition("/")
    url = f"{base}/{(int(number or 0) - int(worker[2:])) % 16}"
    os.environ["REDIS_URL"] = url  # for the test modules and the worker processes they start
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by flushing every table, the rows the data migrations made (role groups, category
    tree) included. Once its fixtures are torn down (the flush is the last of them), put those rows back: the
    parallel processes take whole files in any order, so a plain database test may come next in this process."""
    result = yield
    marker = item.get_closest_marker("django_db")
    flushed = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())) or (
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    if flushed and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        from tests.world import ensure_reference_data

        with item.config.stash[blocking_manager_key].unblock():
            ensure_reference_data()
    return result


def pytest_configure(config):
    from django.conf import settings

    _own_redis_database(settings)

    # Before any server starts: the test client and the live server speak plain HTTP, where
    # production redirects to HTTPS; static files come from the finders, not a collected manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server serves static files through WhiteNoise, from the finders (node_modules, static/): the
    # staticfiles app is xuncha.staticfiles, so pytest-django's live server does not add a static handler itself.
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Throttling has its own test, which switches it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language(settings):
    # A request in English leaves English active in the thread: every test starts in the default language.
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_dashboard_figures():
    # The database rolls back between tests and ids are reused: cached dashboard figures must not outlive
    # their test. Dropping the version key retires them all (without flushing a Redis shared with the broker).
    from django.core.cache import cache

    from xuncha.dataversion import VERSION_KEY

    cache.delete(VERSION_KEY)
    yield
    cache.delete(VERSION_KEY)


@pytest.fixture(autouse=True)
def _eager_celery():
    # Unit tests run tasks in-process even when REDIS_URL is set (CI); the worker tests opt out.
    from xuncha.celery import app

    # The namespaced key is the one Celery reads first: `task_always_eager` alone is shadowed by
    # settings.CELERY_TASK_ALWAYS_EAGER (False whenever REDIS_URL is set).
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Log the test client in as a persona user and return it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
