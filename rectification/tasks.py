"""Celery tasks: the daily sweep (beat, 08:00 Asia/Shanghai) and the senders it fans out to.

Tasks take ids and call rectification.reminders; acks_late + reject_on_worker_lost (settings) mean a
worker killed mid-send gets its message redelivered, and the claim/lease in reminders.send makes the
redelivery finish the job without doubling anything."""

from datetime import date as Date

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from . import reminders
from .choices import ReminderState
from .models import Reminder


@shared_task(name="rectification.tasks.reminder_sweep")
def reminder_sweep(date: str | None = None) -> dict:
    """Write the rungs due as of `date` (ISO, default today in Asia/Shanghai) and queue their sending."""
    today = Date.fromisoformat(date) if date else timezone.localdate()
    result = reminders.sweep(today, dispatch=lambda ids: reminder_send_batch.delay(ids, today.isoformat()))
    return {"written": result.written, "dispatched": result.dispatched}


def _held_elsewhere(ids) -> bool:
    """Some of these rows are claimed by a sender whose lease has not run out (maybe a dead worker's)."""
    return Reminder.objects.filter(Q(pk__in=ids) & Q(state=ReminderState.SENDING)).exists()


@shared_task(bind=True, name="rectification.tasks.reminder_send_batch", max_retries=10)
def reminder_send_batch(self, reminder_ids: list[int], day: str | None = None) -> list[int]:
    """Deliver these rows into the digests of `day` (the sweep's date, ISO; default today)."""
    sent = reminders.send(reminder_ids, day=Date.fromisoformat(day) if day else None)
    rest = [pk for pk in reminder_ids if pk not in set(sent)]
    if rest and _held_elsewhere(rest):
        # Redelivered after a crash, the rows still look claimed: try again once the lease has run out.
        raise self.retry(args=[rest, day], countdown=reminders.lease().total_seconds() + 1)
    return sent
