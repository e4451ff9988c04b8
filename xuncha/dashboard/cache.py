"""The dashboard's figures, cached per data version (the version also keys the big lists' counts: xuncha/paging.py).

Any save or delete of a row the figures read bumps a version number (after the transaction commits,
so a recomputation never caches a state about to change). A request that finds the figures of an
older version recomputes them — one request at a time: while one recomputes (seconds, at province
scale), the others are served the previous figures, whose time the page shows ("数据更新于").
Redis down: the figures and counts are computed from the database on each request (xuncha/resilience.py
`cached`: a circuit breaker, so no request waits on a dead Redis), and a bump that could not be written is
owed: the first version read once the cache answers again starts a new one.
Bulk writes (`bulk_create`, `QuerySet.update()`) send no signal: code that makes them calls `bump()` itself
(the units import, seed_demo); DASHBOARD_CACHE_SECONDS bounds how stale any other leaves the figures.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from rounds.selectors import current_plan
from xuncha.resilience import after_commit, cache_is_down, cached, mark_cache_down

from . import figures
from .selectors import Scope, in_plan

VERSION_KEY = "dashboard:version"
WATCHED = (
    "rounds.PartyUnit",
    "rounds.Plan",
    "rounds.PlanUnit",
    "rounds.Milestone",
    "rounds.Round",
    "rounds.Inspection",
    "findings.FindingCategory",
    "findings.Finding",
    "findings.Clue",
    "findings.Petition",
    "rectification.RectificationTask",
)
KEEP_SECONDS = 24 * 60 * 60  # how long superseded figures may still be served while new ones are computed
LOCK_SECONDS = 120


def _fresh_version() -> int:
    # Clock-based, so that a version lost with an evicted key never repeats an older one.
    return time.time_ns() // 1000


_owed = False  # process-local: a bump failed (cache down); the next working read starts a new version


def version() -> int | None:
    """The current data version; None while the cache is unreachable (then nothing is read from it)."""
    global _owed
    if _owed and not cache_is_down():
        if cached(lambda: cache.set(VERSION_KEY, _fresh_version(), timeout=None), default=False) is not False:
            _owed = False
    return cached(lambda: cache.get_or_set(VERSION_KEY, _fresh_version, timeout=None))


def _bump() -> None:
    global _owed
    if cache_is_down():
        _owed = True
        return
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # evicted or never set
            cache.set(VERSION_KEY, _fresh_version(), timeout=None)
    except Exception as exc:
        _owed = True  # caught up by version(); DASHBOARD_CACHE_SECONDS bounds staleness in other processes
        mark_cache_down(exc)
        raise


def bump(**_kwargs) -> None:
    after_commit(_bump, what="dashboard data version")


def connect_signals() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-delete")


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
