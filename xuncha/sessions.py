"""Sessions read from Redis, kept in the database (Django's cached_db), behind the cache's circuit breaker.

Django's cached_db already falls back to the database when a cache read fails, but each request would
still wait out the socket timeout on a dead Redis, and a failed delete (logout) would raise. Here every
cache call goes through `xuncha.resilience.cached`: when Redis is down the database answers at once.
A cached copy lives at most SESSION_CACHE_SECONDS: a logout made while Redis was unreachable (its cached
copy could not be deleted) cannot outlive that once Redis is back."""

from django.conf import settings
from django.contrib.sessions.backends import cached_db

from .resilience import cached


class _GuardedCache:
    def __init__(self, cache):
        self._cache = cache

    def _timeout(self, timeout):
        cap = settings.SESSION_CACHE_SECONDS
        return cap if timeout is None else min(timeout, cap)

    def get(self, key, default=None):
        return cached(lambda: self._cache.get(key, default), default)

    def set(self, key, value, timeout=None):
        cached(lambda: self._cache.set(key, value, self._timeout(timeout)))

    def delete(self, key):
        cached(lambda: self._cache.delete(key))

    def __contains__(self, key):
        return bool(cached(lambda: key in self._cache, False))


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _GuardedCache(self._cache)
