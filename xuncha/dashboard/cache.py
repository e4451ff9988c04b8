"""The dashboard's figures, cached per data version (xuncha/dataversion.py; the version also keys the big lists'
counts: xuncha/paging.py).

Any save or delete of a row the figures read starts a new data version. A request that finds the figures of an
older version recomputes them — one request at a time: while one recomputes (seconds, at province
scale), the others are served the previous figures, whose time the page shows ("数据更新于").
Redis down: the figures are computed from the database on each request (xuncha/resilience.py `cached`).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from rounds.selectors import current_plan
from xuncha.dataversion import version
from xuncha.resilience import cache_is_down, cached

from . import figures
from .selectors import Scope, in_plan

KEEP_SECONDS = 24 * 60 * 60  # how long superseded figures may still be served while new ones are computed
LOCK_SECONDS = 120


def current_plan_cached(today):
    """The current plan, with whether it is the only one with rounds, per data version: two queries less a page."""
    current = version()
    key = f"dashboard:plan:{current}:{today.isoformat()}"
    plan = None if current is None else cached(lambda: cache.get(key))
    if plan is None:
        plan = current_plan(today)
        if plan is not None:
            in_plan(plan, "round")  # resolves and keeps the flag on the instance
        if current is not None:
            cached(lambda: cache.set(key, plan or False, timeout=settings.DASHBOARD_CACHE_SECONDS))
    return plan or None


def _key(scope: Scope) -> str:
    return f"dashboard:figures:{scope.plan.pk}:{scope.today.isoformat()}:{get_language()}"


def figures_for(scope: Scope) -> dict:
    """Current figures from the cache; else computed now, unless another request is already at it.

    With the cache unreachable, computed from the database on every request and marked `live`."""
    key, current = _key(scope), version()
    if current is None:
        return {**figures.build(scope), "live": True}
    entry = cached(lambda: cache.get(key))
    if entry and entry["version"] == current and time.time() - entry["at"] < settings.DASHBOARD_CACHE_SECONDS:
        return entry["data"]
    locked = cached(lambda: cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS), default=False)
    if entry and not locked:
        return entry["data"]  # someone is recomputing: the previous figures, with their time, meanwhile
    try:
        data = figures.build(scope)
        cached(lambda: cache.set(key, {"version": current, "at": time.time(), "data": data}, timeout=KEEP_SECONDS))
    finally:
        if locked:  # never another request's lock: it would let every request recompute at once
            cached(lambda: cache.delete(f"{key}:lock"))
    return {**data, "live": True} if cache_is_down() else data


def refresh(scope: Scope) -> None:
    """Recompute and store the figures now (the periodic task), so that no reader waits for them."""
    if not cache.add(f"{_key(scope)}:lock", 1, timeout=LOCK_SECONDS):
        return
    try:
        current = version()
        data = figures.build(scope)
        cache.set(_key(scope), {"version": current, "at": time.time(), "data": data}, timeout=KEEP_SECONDS)
    finally:
        cache.delete(f"{_key(scope)}:lock")
