"""Sessions on Redis (cached_db) behind the cache's circuit breaker: a dead cache costs nothing but the speed."""

import pytest

from xuncha import resilience
from xuncha.sessions import SessionStore


@pytest.fixture(autouse=True)
def _breaker_closed():
    resilience.reset_cache_breaker()
    yield
    resilience.reset_cache_breaker()


class Broken:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis is down")

        return fail

    def __contains__(self, key):
        raise ConnectionError("redis is down")


def test_a_session_is_read_from_the_cache_without_the_database(db, django_assert_num_queries):
    store = SessionStore()
    store["who"] = "someone"
    store.create()
    with django_assert_num_queries(0):
        assert SessionStore(store.session_key)["who"] == "someone"


def test_a_dead_cache_falls_back_to_the_database_and_logout_still_works(db):
    store = SessionStore()
    store["who"] = "someone"
    store.create()
    broken = SessionStore(store.session_key)
    broken._cache._cache = Broken()
    assert broken["who"] == "someone"  # from the database
    assert resilience.cache_is_down()
    broken.delete()  # no error: the database row is gone, the cached copy expires on its own
    fresh = SessionStore(store.session_key)
    fresh._cache._cache = Broken()
    assert "who" not in fresh.load()


def test_a_cached_copy_lives_at_most_the_cap(db, settings):
    settings.SESSION_CACHE_SECONDS = 60
    store = SessionStore()
    seen = {}

    class Spy:
        def set(self, key, value, timeout):
            seen["timeout"] = timeout

        def __contains__(self, key):
            return False

    store._cache._cache = Spy()
    store["who"] = "someone"
    store.create()
    assert seen["timeout"] == 60
