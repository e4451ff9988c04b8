"""What /healthz checks: each part answers "ok", "in-process" (no Redis: nothing to reach) or "error: <class>"."""

import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection


def _error(exc: BaseException) -> str:
    return f"error: {exc.__class__.__name__}"


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return _error(exc)


def broker() -> str:
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return _error(exc)


def cache() -> str:
    """The cache answers a round trip (straight, not through the circuit breaker: health must see it)."""
    from django.core.cache import cache as default_cache

    try:
        stamp = str(time.time())
        default_cache.set("xuncha:healthz", stamp, timeout=60)
        return "ok" if default_cache.get("xuncha:healthz") == stamp else "error: mismatch"
    except Exception as exc:  # noqa: BLE001
        return _error(exc)


def worker() -> str:
    """A Celery worker beat recently (xuncha/celery.py writes the key)."""
    from django.core.cache import cache as default_cache

    from .resilience import WORKER_KEY

    try:
        beat = default_cache.get(WORKER_KEY)
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    if beat is None or time.time() - beat >= 3 * settings.WORKER_HEARTBEAT_SECONDS:
        return "error: no worker heartbeat"
    return "ok"


def media() -> str:
    """Uploads can be stored: a small file written and removed through the storage uploads use."""
    from django.core.files.storage import default_storage

    try:
        name = default_storage.save("healthz/probe.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return _error(exc)


def checks() -> dict[str, str]:
    results = {"database": database(), "media": media()}
    if settings.REDIS_URL:
        results |= {"broker": broker(), "cache": cache()}
        results["worker"] = worker() if results["cache"] == "ok" else "error: cache unreachable"
    else:
        results |= {"broker": "in-process", "cache": "in-process", "worker": "in-process"}
    return results
