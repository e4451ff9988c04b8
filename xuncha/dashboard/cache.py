"""The dashboard's figures, cached per data version (the version also keys the big lists' counts: xuncha/paging.py).

Any save or delete of a row the figures read bumps a version number (after the transaction commits,
so a recomputation never caches a state about to change). A request that finds the figures of an
older version recomputes them — one request at a time: while one recomputes (seconds, at province
scale), the others are served the previous figures, whose time the page shows ("数据更新于").
Bulk writes (`bulk_create`, `QuerySet.update()`) send no signal: code that makes them calls `bump()` itself
(the units import, seed_demo); DASHBOARD_CACHE_SECONDS bounds how stale any other leaves the figures.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from rounds.selectors import current_plan

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


def version() -> int:
    return cache.get_or_set(VERSION_KEY, _fresh_version, timeout=None)


def bump(**_kwargs) -> None:
    def _bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # evicted or never set
            cache.set(VERSION_KEY, _fresh_version(), timeout=None)

    transaction.on_commit(_bump)


def connect_signals() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-delete")


def current_plan_cached(today):
    """The current plan, with whether it is the only one with rounds, per data version: two queries less a page."""
    key = f"dashboard:plan:{version()}:{today.isoformat()}"
    plan = cache.get(key)
    if plan is None:
        plan = current_plan(today)
        if plan is not None:
            in_plan(plan, "round")  # resolves and keeps the flag on the instance
        cache.set(key, plan or False, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return plan or None


def _key(scope: Scope) -> str:
    return f"dashboard:figures:{scope.plan.pk}:{scope.today.isoformat()}:{get_language()}"


def figures_for(scope: Scope) -> dict:
    """Current figures from the cache; else computed now, unless another request is already at it."""
    key, current = _key(scope), version()
    entry = cache.get(key)
    if entry and entry["version"] == current and time.time() - entry["at"] < settings.DASHBOARD_CACHE_SECONDS:
        return entry["data"]
    locked = cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS)
    if entry and not locked:
        return entry["data"]  # someone is recomputing: the previous figures, with their time, meanwhile
    try:
        data = figures.build(scope)
        cache.set(key, {"version": current, "at": time.time(), "data": data}, timeout=KEEP_SECONDS)
    finally:
        if locked:  # never another request's lock: it would let every request recompute at once
            cache.delete(f"{key}:lock")
    return data


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
