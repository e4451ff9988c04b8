from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from rounds.selectors import current_plan

from . import cache
from .selectors import Scope


@shared_task(ignore_result=True)
def refresh_figures() -> None:
    """Keep the dashboard's figures warm (beat, every few minutes): readers then never wait for a recount."""
    today = timezone.localdate()
    plan = current_plan(today)
    if plan is None:
        return
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            cache.refresh(Scope(plan=plan, today=today))
