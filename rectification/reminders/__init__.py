"""The reminder ladder: which rung is due for which subject, who hears of it, and telling each person once a day.

Three phases, each safe to run any number of times and concurrently:

1. plan (`planning.py`): `plan(today)` writes one Reminder row per (subject, rung, due date) — subjects are tasks,
   late clue feedback, documents a unit owes (整改方案/整改报告) and upper-level requests. Catch-up rule: each open
   subject gets the *highest* rung due as of `today`, by windows over its due date:

       due_date in (today+10, today+20]  → d20        due_date == today           → due
       due_date in (today, today+10]     → d10        due_date in [today-30, today) → overdue
                                                      due_date < today-30          → escalated (督办)

   A missed day is caught up (the window still holds the subject the next day); a rung already superseded is
   skipped (a task first seen 5 days before its due date gets d10, never a stale d20).
2. deliver (`delivery.py`): `send(ids)` claims rows by a conditional UPDATE (pending → sending, or a "sending" row
   whose lease ran out because its worker died) and writes one inbox item per (reminder, recipient) — unique in the
   database, so a retry adds only what is missing. Who hears of which rung is one table (`ladder.RECIPIENTS`).
3. gather and send (`digests.py`): the items join each person's digest of the day (one inbox message, listing them
   by rung group: 即将到期 / 今日到期 / 已逾期 / 督办), the rows are marked sent, and once no reminder is left
   pending or sending, each digest not yet e-mailed goes out as one e-mail (claimed, so two senders do not both
   mail it). At most one digest per person per day per channel, whatever the number of items or batches.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as Date

from django.conf import settings
from django.utils import timezone

from ..choices import ReminderState
from ..models import Reminder
from .delivery import SEND_CHUNK, claim, lease, sendable_id_chunks, write_other_notifications, write_task_notifications
from .digests import drained, email_digests, gather
from .ladder import RECIPIENTS, RUNG_GROUPS, SUBJECTS, Audience, recipients
from .planning import PLAN_BATCH, clue_plan_sql, document_plan_sql, plan, request_plan_sql, task_plan_sql

__all__ = [
    "PLAN_BATCH",
    "RECIPIENTS",
    "RUNG_GROUPS",
    "SEND_CHUNK",
    "SUBJECTS",
    "Audience",
    "SweepResult",
    "claim",
    "clue_plan_sql",
    "document_plan_sql",
    "email_digests",
    "gather",
    "lease",
    "plan",
    "recipients",
    "request_plan_sql",
    "send",
    "sendable_id_chunks",
    "sweep",
    "task_plan_sql",
]

log = logging.getLogger(__name__)


def send(ids: Iterable[int], *, audience: Audience | None = None, day: Date | None = None) -> list[int]:
    """Deliver the rows this caller can claim into the recipients' digests of `day` (default today); returns the
    ids it delivered. The last sender of a sweep (nothing left pending) e-mails the digests."""
    mine = claim(ids)
    if mine:
        write_task_notifications(mine)
        write_other_notifications(mine, audience)
        gather(day=day or timezone.localdate())
        if settings.XUNCHA_REMINDER_TEST_DELAY:
            time.sleep(settings.XUNCHA_REMINDER_TEST_DELAY)  # test hook: widen the "killed mid-send" window
        Reminder.objects.filter(pk__in=mine, state=ReminderState.SENDING).update(
            state=ReminderState.SENT, sent_at=timezone.now()
        )
    if drained():
        email_digests()
    return mine


@dataclass
class SweepResult:
    written: int
    dispatched: int


def sweep(today: Date | None = None, *, dispatch: Callable[[list[int]], object] | None = None) -> SweepResult:
    """Plan today's rungs, then hand every sendable row to `dispatch` by chunks (in-process by default)."""
    today = today or timezone.localdate()
    email_digests(before=today)  # a day whose e-mails a stalled sender never sent goes out now
    written = plan(today)
    audience = Audience.load() if dispatch is None else None
    dispatch = dispatch or (lambda ids: send(ids, audience=audience, day=today))
    dispatched = 0
    for ids in sendable_id_chunks():
        dispatch(ids)
        dispatched += len(ids)
    if drained():  # nothing queued (or all sent in-process): digests a failed e-mail left behind go now
        email_digests()
    log.info("reminder sweep %s: %d new rows, %d dispatched", today, written, dispatched)
    return SweepResult(written=written, dispatched=dispatched)
