"""Reminders go only to people who can open what they point to.

The unit head (责任单位负责人, PartyUnit.head) reads their unit's tasks (detail, ledger, reminders), never
writes; a 经办人 or 责任领导 named on a task of another unit opens that task's page read-only from the
reminder (the task does not join their ledger).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from rectification.choices import TaskStatus
from rectification.models import Notification, RectificationTask
from rectification.tasks import reminder_sweep

pytestmark = pytest.mark.django_db


def _sweep_with_due(world, task, days):
    RectificationTask.objects.filter(pk=task.pk).update(due_date=world.today + timedelta(days=days))
    reminder_sweep.delay(world.today.isoformat())


def test_the_unit_head_lands_on_their_units_tasks(world, login):
    page = login(world.users["unit_head"]).get(reverse("home")).content.decode()
    assert 'data-role="unit_head"' in page and "责任单位负责人" in page
    assert reverse("rectification:task_list") in page
    assert "尚未分配角色" not in page


def test_the_unit_heads_ledger_is_their_units_tasks_only(world, login):
    page = login(world.users["unit_head"]).get(reverse("rectification:task_list")).content.decode()
    assert world.g1.task.measure in page
    assert world.g2.task.measure not in page


def test_an_overdue_reminder_reaches_the_unit_head_and_opens_read_only(world, login):
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    _sweep_with_due(world, world.g1.task, -3)
    note = Notification.objects.get(recipient=world.users["unit_head"], reminder__isnull=False)
    client = login(world.users["unit_head"])
    page = client.get(note.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert world.g1.task.measure in body
    assert reverse("rectification:progress_add", args=[world.g1.task.pk]) not in body  # no report form
    assert reverse("rectification:task_transition", args=[world.g1.task.pk]) not in body  # no buttons
    # Read-only: the writes answer 404 and change nothing.
    url = reverse("rectification:progress_add", args=[world.g1.task.pk])
    assert client.post(url, {"text": "代报", "progress": 50}).status_code == 404
    assert RectificationTask.objects.get(pk=world.g1.task.pk).progress == world.g1.task.progress


def test_a_liaison_named_handler_of_another_units_task_opens_it_read_only(world, login):
    """The office named them 经办人: they are reminded, and can read the task, not report on it."""
    liaison, other = world.users["liaison"], world.g2.task
    RectificationTask.objects.filter(pk=other.pk).update(handler=liaison)
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(status=TaskStatus.SUBMITTED)
    _sweep_with_due(world, other, 15)
    note = Notification.objects.get(recipient=liaison, reminder__isnull=False)
    client = login(liaison)
    response = client.get(note.url)
    assert response.status_code == 200 and other.measure in response.content.decode()
    url = reverse("rectification:progress_add", args=[other.pk])
    assert client.post(url, {"text": "代报", "progress": 50}).status_code == 404
    # Unnamed, the same task is out of their sight again.
    RectificationTask.objects.filter(pk=other.pk).update(handler=None)
    assert client.get(note.url).status_code == 404


def test_a_responsible_leader_with_no_other_role_opens_the_task_from_the_reminder(world, login):
    leader = User.objects.create_user("leader", first_name="责任领导")
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(responsible_leader=leader)
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    _sweep_with_due(world, world.g1.task, 10)
    note = Notification.objects.get(recipient=leader, reminder__isnull=False)
    assert login(leader).get(note.url).status_code == 200


@pytest.mark.parametrize("days", [20, 10, 0, -1, -31])
def test_whoever_is_reminded_can_open_what_the_reminder_points_to(world, client, days):
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(handler=world.users["liaison"])
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(handler=world.users["liaison"])
    for task in (world.g1.task, world.g2.task):
        RectificationTask.objects.filter(pk=task.pk).update(due_date=world.today + timedelta(days=days))
    reminder_sweep.delay(world.today.isoformat())
    notes = list(Notification.objects.select_related("recipient"))
    assert notes
    for note in notes:
        client.force_login(note.recipient)
        assert client.get(note.url).status_code == 200, (note.recipient.username, note.url)
        client.logout()
