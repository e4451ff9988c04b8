"""The dashboard's figures, cached: computed once per data version, plan, day and language.

Any save or delete of a row the figures read bumps a version number (after the transaction
commits, so a recomputation never caches a state about to change); the cache key carries that
version, so the next request recomputes. Bulk `QuerySet.update()` sends no signal: the short TTL
bounds how stale that can leave the page, and the page says when its figures were computed.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from . import figures
from .selectors import Scope

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
    "rectification.RectificationTask",
)


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


def figures_for(scope: Scope) -> dict:
    """The figures from the cache, or computed now (and cached) when missing."""
    key = f"dashboard:figures:{version()}:{scope.plan.pk}:{scope.today.isoformat()}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = figures.build(scope)
        cache.set(key, data, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return data
