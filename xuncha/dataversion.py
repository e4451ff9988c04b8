"""The data version: one number that changes whenever a row the cached figures and list counts read is saved
or deleted. The dashboard's figures (xuncha/dashboard/cache.py) and the office's list counts (xuncha/paging.py)
are cached per version, so any write retires them all at once.

The bump happens after the transaction commits, so a recomputation never caches a state about to change.
Redis down: `version()` answers None and readers compute from the database (xuncha/resilience.py `cached`: a
circuit breaker, so no request waits on a dead Redis), and a bump that could not be written is owed: the first
version read once the cache answers again starts a new one.
Bulk writes (`bulk_create`, `QuerySet.update()`) send no signal: code that makes them calls `bump()` itself
(the units import, seed_demo); DASHBOARD_CACHE_SECONDS bounds how stale any other leaves the figures.

A bottom module: it names the watched models by label and connects to them when the apps are ready
(xuncha/apps.py), so every app may import it without importing the features that read the version.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from xuncha.resilience import after_commit, cache_is_down, cached, mark_cache_down

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
    """A new data version once the transaction commits (a signal receiver; called by hand after bulk writes)."""
    after_commit(_bump, what="dashboard data version")


def connect_signals() -> None:
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"dashboard-{label}-delete")
