"""The reminder ladder (eager mode): each rung reaches its people once, catch-up, cancellation on change."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from findings.choices import ClueStatus
from rectification import reminders
from rectification.choices import ReminderState, Rung, TaskStatus
from rectification.models import Notification, RectificationTask, Reminder, UnitDocument
from rectification.services import task_transition, task_update
from rectification.tasks import reminder_sweep
from tests.task_support import submit_for_review


@pytest.fixture
def ladder(world):
    """Group 1's task with a named handler, leader and unit head; group 2's task out of the way."""
    handler = User.objects.create_user("handler", email="handler@example.org", first_name="经办人")
    leader = User.objects.create_user("leader", email="", first_name="责任领导")
    head = User.objects.create_user("head", email="head@example.org", first_name="局长")
    world.units.finance.head = head
    world.units.finance.save()
    task = world.g1.task
    RectificationTask.objects.filter(pk=task.pk).update(handler=handler, responsible_leader=leader)
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    # The clue's feedback is not due for months and the unit's documents are in: only the task is on the ladder.
    UnitDocument.objects.update(status="accepted", first_submitted_on=world.today, accepted_at=timezone.now())
    task.refresh_from_db()
    world.ladder = {"handler": handler, "leader": leader, "head": head}
    return world


def _due_in(world, days):
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(due_date=world.today + timedelta(days=days))


def _inbox(user):
    return list(
        Notification.objects.filter(recipient=user, reminder__isnull=False).values_list("reminder__rung", flat=True)
    )


@pytest.mark.parametrize(
    ("days", "rung", "who"),
    [
        (20, Rung.D20, {"handler"}),
        (15, Rung.D20, {"handler"}),
        (10, Rung.D10, {"handler", "leader"}),
        (0, Rung.DUE, {"handler", "leader"}),
        (-1, Rung.OVERDUE, {"head", "office"}),
        (-30, Rung.OVERDUE, {"head", "office"}),
        (-31, Rung.ESCALATED, {"leadership", "head", "office"}),
    ],
)
def test_each_rung_reaches_its_people(ladder, days, rung, who):
    _due_in(ladder, days)
    reminder_sweep.delay(ladder.today.isoformat())
    reminder = Reminder.objects.get(task=ladder.g1.task)
    assert (reminder.rung, reminder.state) == (rung, ReminderState.SENT)
    people = {**ladder.ladder, "office": ladder.users["office"], "leadership": ladder.users["leadership"]}
    reached = {name for name, user in people.items() if _inbox(user)}
    assert reached == who


def test_nothing_before_twenty_days_or_once_submitted(ladder):
    _due_in(ladder, 21)
    reminder_sweep.delay(ladder.today.isoformat())
    assert not Reminder.objects.exists()
    _due_in(ladder, 5)
    RectificationTask.objects.filter(pk=ladder.g1.task.pk).update(status=TaskStatus.SUBMITTED)
    reminder_sweep.delay(ladder.today.isoformat())
    assert not Reminder.objects.exists()


def test_the_ladder_day_by_day_sends_each_rung_once(ladder):
    _due_in(ladder, 25)
    for day in range(0, 60):
        call_command("send_reminders", date=(ladder.today + timedelta(days=day)).isoformat())
    rungs = list(Reminder.objects.order_by("pk").values_list("rung", "state"))
    assert rungs == [(r, ReminderState.SENT) for r in (Rung.D20, Rung.D10, Rung.DUE, Rung.OVERDUE, Rung.ESCALATED)]
    assert _inbox(ladder.ladder["handler"]) == [Rung.DUE, Rung.D10, Rung.D20]
    # One digest e-mail a day per person: here one item a day each, so one e-mail per delivered item.
    assert len(mail.outbox) == Notification.objects.filter(reminder__isnull=False).exclude(recipient__email="").count()


def test_send_reminders_twice_writes_and_sends_once(ladder):
    _due_in(ladder, 10)
    call_command("send_reminders", date=ladder.today.isoformat())
    call_command("send_reminders", date=ladder.today.isoformat())
    assert Reminder.objects.count() == 1
    assert Notification.objects.filter(reminder__isnull=False).count() == 2  # handler and leader
    assert len(mail.outbox) == 1  # the leader has no address


def test_a_missed_day_is_caught_up_the_next_day(ladder):
    _due_in(ladder, 20)  # the d20 rung was due today, but the sweep did not run
    call_command("send_reminders", date=(ladder.today + timedelta(days=1)).isoformat())
    assert list(Reminder.objects.values_list("rung", flat=True)) == [Rung.D20]
    assert _inbox(ladder.ladder["handler"]) == [Rung.D20]


def test_a_superseded_rung_is_skipped(ladder):
    _due_in(ladder, 5)  # first seen 5 days before: the d20 rung is stale news
    call_command("send_reminders", date=ladder.today.isoformat())
    assert list(Reminder.objects.values_list("rung", flat=True)) == [Rung.D10]


def test_new_due_date_cancels_pending_rungs_and_restarts(ladder):
    _due_in(ladder, 10)
    reminders.plan(ladder.today)  # written, not yet sent
    task = RectificationTask.objects.get(pk=ladder.g1.task.pk)
    task_update(actor=ladder.users["office"], task=task, due_date=ladder.today + timedelta(days=18))
    old = Reminder.objects.get(due_date=ladder.today + timedelta(days=10))
    assert old.state == ReminderState.CANCELLED
    call_command("send_reminders", date=ladder.today.isoformat())
    live = Reminder.objects.exclude(state=ReminderState.CANCELLED).get()
    assert (live.rung, live.due_date, live.state) == (Rung.D20, ladder.today + timedelta(days=18), ReminderState.SENT)
    assert _inbox(ladder.ladder["handler"]) == [Rung.D20]  # nothing from the cancelled d10


def test_new_handler_gets_the_pending_rung_not_the_old_one(ladder):
    _due_in(ladder, 10)
    reminders.plan(ladder.today)
    successor = User.objects.create_user("successor", email="s@example.org")
    task = RectificationTask.objects.get(pk=ladder.g1.task.pk)
    task_update(actor=ladder.users["office"], task=task, handler=successor)
    assert Reminder.objects.get().state == ReminderState.CANCELLED
    call_command("send_reminders", date=ladder.today.isoformat())
    assert _inbox(successor) == [Rung.D10]
    assert _inbox(ladder.ladder["handler"]) == []


def test_editing_the_measure_does_not_touch_the_ladder(ladder):
    _due_in(ladder, 10)
    reminders.plan(ladder.today)
    task = RectificationTask.objects.get(pk=ladder.g1.task.pk)
    task_update(actor=ladder.users["office"], task=task, measure="修订后的措施")
    assert Reminder.objects.get().state == ReminderState.PENDING


def test_a_claim_is_won_once(ladder):
    _due_in(ladder, 0)
    reminders.plan(ladder.today)
    ids = list(Reminder.objects.values_list("pk", flat=True))
    assert reminders.claim(ids) == ids
    assert reminders.claim(ids) == []


def test_a_sender_that_died_mid_send_is_taken_over_without_doubling(ladder, settings):
    _due_in(ladder, 0)
    reminders.plan(ladder.today)
    reminder = Reminder.objects.get()
    # The first sender claimed, wrote the handler's message, mailed it, then died.
    reminders.claim([reminder.pk])
    Notification.objects.create(
        recipient=ladder.ladder["handler"], reminder=reminder, title="t", emailed_at=timezone.now()
    )
    assert reminders.send([reminder.pk]) == []  # the lease still runs: not stolen
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=timezone.now() - timedelta(seconds=601))
    call_command("send_reminders", date=ladder.today.isoformat())
    reminder.refresh_from_db()
    assert reminder.state == ReminderState.SENT
    assert Notification.objects.filter(reminder=reminder).count() == 2  # handler once, leader added
    assert mail.outbox == []  # the handler was mailed before the crash; the leader has no address


def test_a_late_clue_reminds_the_office(world):
    clue = world.g1.clue
    type(clue).objects.filter(pk=clue.pk).update(feedback_due_date=world.today - timedelta(days=1))
    type(clue).objects.filter(pk=world.g2.clue.pk).update(status=ClueStatus.ANSWERED, answered_date=world.today)
    call_command("send_reminders", date=world.today.isoformat())
    reminder = Reminder.objects.get(clue__isnull=False)
    assert (reminder.clue_id, reminder.rung) == (clue.pk, Rung.OVERDUE)
    assert Notification.objects.filter(reminder=reminder, recipient=world.users["office"]).exists()
    assert not Notification.objects.filter(reminder=reminder, recipient=world.users["leadership"]).exists()


def test_a_closed_task_is_not_reminded_even_if_late(ladder):
    _due_in(ladder, -3)
    task = RectificationTask.objects.get(pk=ladder.g1.task.pk)
    office = ladder.users["office"]
    task = submit_for_review(office, task)
    task_transition(actor=office, task=task, to_status=TaskStatus.CLOSED)
    call_command("send_reminders", date=ladder.today.isoformat())
    assert not Reminder.objects.filter(task=task).exists()


def test_plan_batches_cover_every_task(ladder):
    _due_in(ladder, 10)
    RectificationTask.objects.filter(pk=ladder.g2.task.pk).update(status=TaskStatus.IN_PROGRESS)
    RectificationTask.objects.update(due_date=ladder.today + timedelta(days=10))
    assert reminders.plan(ladder.today, batch=1) == 2
    assert reminders.plan(ladder.today, batch=1) == 0


def test_the_inbox_message_says_what_when_and_where(ladder, login, settings):
    settings.SITE_URL = "http://testserver"
    _due_in(ladder, 10)
    call_command("send_reminders", date=ladder.today.isoformat())
    note = Notification.objects.get(recipient=ladder.ladder["handler"], reminder__isnull=False)
    due = ladder.today + timedelta(days=10)
    assert note.title == "【到期前10天】整改任务：甲组机密整改措施：修订议事规则"
    assert note.body == f"责任部门：县财政局党组；整改时限：{due:%Y-%m-%d}；当前状态：整改中；进度：0%。"
    assert note.url == f"/rectification/tasks/{ladder.g1.task.pk}/"
    assert mail.outbox[0].subject.startswith(note.digest.title)
    assert note.title in mail.outbox[0].body and f"http://testserver{note.url}" in mail.outbox[0].body


def test_the_sql_writer_and_recipients_agree_on_every_rung(ladder):
    """write_task_notifications (SQL, used when sending) against recipients() (Python, the readable rule)."""
    from rounds.models import UnitLiaison

    offsets = [20, 10, 0, -1, -31]
    for i, days in enumerate(offsets):
        RectificationTask.objects.create(
            finding=ladder.g1.finding,
            measure=f"措施{i}",
            responsible_unit=ladder.units.finance,
            handler=None if i % 2 else ladder.ladder["handler"],  # no handler: the liaison stands in
            responsible_leader=ladder.ladder["leader"],
            term_type="deadline",
            due_date=ladder.today + timedelta(days=days),
        )
    reminders.plan(ladder.today)
    audience = reminders.Audience.load()
    liaisons = {ladder.units.finance.pk: [u.user for u in UnitLiaison.objects.select_related("user")]}
    expected = {
        (r.pk, p.pk)
        for r in Reminder.objects.select_related("task__responsible_unit__head", "task__handler")
        for p in reminders.recipients(r, audience, liaisons)
    }
    reminders.send(list(Reminder.objects.values_list("pk", flat=True)))
    assert (
        set(Notification.objects.filter(reminder__isnull=False).values_list("reminder_id", "recipient_id")) == expected
    )
