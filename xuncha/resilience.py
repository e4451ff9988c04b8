"""Surviving a dead Redis (cache and broker) without failing what the database accepted.

- `after_commit(fn, what=…)`: the one way to run a side effect once the transaction commits (a cache
  version bump, a queued task, a notification). It is best-effort: a failure is logged as a warning and
  never reaches the user, whose write was saved. Each caller has a path that catches up (the periodic
  recount of the dashboard, the sweep of jobs left pending: rounds/jobs.py).
- `queue(task, *args)`: publish a task now, raising `QueueUnavailable` at once (short broker timeouts in
  settings) so that a caller can say "not queued" instead of hanging.
- `cached(fn, default)`: a cache read or write behind a process-local circuit breaker. When Redis fails,
  the breaker stays open for CACHE_DOWN_SECONDS: later calls skip the cache at once (no request waits on
  a dead Redis) and the caller computes from the database. `cache_is_down()` lets a page say its
  figures are live.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

_down_until = 0.0  # process-local: monotonic time before which the cache is not tried


class QueueUnavailable(Exception):
    """The broker did not accept the task (it is down or unreachable)."""


def cache_is_down() -> bool:
    return time.monotonic() < _down_until


def mark_cache_down(exc: BaseException | None = None) -> None:
    global _down_until
    if not cache_is_down():
        log.warning("cache unreachable (%s): reading from the database for %ss", exc, settings.CACHE_DOWN_SECONDS)
    _down_until = time.monotonic() + settings.CACHE_DOWN_SECONDS


def reset_cache_breaker() -> None:
    global _down_until
    _down_until = 0.0


def cached(fn: Callable[[], Any], default: Any = None) -> Any:
    """`fn()` (a cache call), or `default` when the cache is down or fails (which opens the breaker)."""
    if cache_is_down():
        return default
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - any cache failure: the database answers instead
        mark_cache_down(exc)
        return default


def best_effort(fn: Callable[[], Any], *, what: str) -> None:
    """Run `fn`; a failure is logged, never raised: what it would have done is caught up elsewhere."""
    try:
        fn()
    except Exception:  # noqa: BLE001 - the write it follows is committed; the user must see success
        log.warning("after-commit step failed (%s); it will be caught up", what, exc_info=True)


def after_commit(fn: Callable[[], Any], *, what: str) -> None:
    """Run `fn` best-effort once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: best_effort(fn, what=what))


def queue(task, *args, **kwargs):
    """Publish `task` now; raise QueueUnavailable quickly when the broker does not take it."""
    if task.app.conf.task_always_eager:  # in-process (no Redis): nothing to reach, and its errors are its own
        return task.apply_async(args=args, kwargs=kwargs)
    try:
        # A connection of its own, not retried: the pooled one retries for ~20 s before giving up.
        with task.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
            return task.apply_async(args=args, kwargs=kwargs, retry=False, connection=conn)
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise many kinds of connection errors
        log.warning("could not queue %s: %s", getattr(task, "name", task), exc)
        raise QueueUnavailable(str(exc)) from exc


WORKER_KEY = "xuncha:worker:heartbeat"


def worker_beat() -> None:
    """Called by every Celery worker every WORKER_HEARTBEAT_SECONDS (xuncha/celery.py)."""
    from django.core.cache import cache

    cached(lambda: cache.set(WORKER_KEY, time.time(), timeout=3 * settings.WORKER_HEARTBEAT_SECONDS))


def worker_alive() -> bool:
    """A worker beat within three intervals; always true without Redis (tasks run in-process)."""
    if not settings.REDIS_URL:
        return True
    from django.core.cache import cache

    beat = cached(lambda: cache.get(WORKER_KEY))
    return beat is not None and time.time() - beat < 3 * settings.WORKER_HEARTBEAT_SECONDS
