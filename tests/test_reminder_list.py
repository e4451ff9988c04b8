"""整改提醒: each user sees the reminder ladder of the tasks and clues they may see, filtered, and can export it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectification.choices import ReminderState, Rung
from rectification.models import Reminder

pytestmark = pytest.mark.django_db
URL = reverse("rectification:reminder_list")


@pytest.fixture
def reminders(world):
    for side in (world.g1, world.g2):
        Reminder.objects.create(task=side.task, rung=Rung.D10, due_date=side.task.due_date)
        Reminder.objects.create(
            clue=side.clue, rung=Rung.OVERDUE, due_date=side.clue.feedback_due_date, state=ReminderState.SENT
        )
    return world


@pytest.mark.parametrize(
    ("persona", "sees", "never"),
    [
        ("office", ["甲组机密整改措施", "乙组机密整改措施", "甲组机密线索", "乙组机密线索"], []),
        ("group1_leader", ["甲组机密整改措施", "甲组机密线索"], ["乙组机密"]),
        ("group1_member", ["甲组机密整改措施"], ["乙组机密", "甲组机密线索"]),  # members never see clues
        ("liaison", ["甲组机密整改措施"], ["乙组机密", "机密线索"]),
        ("jiwei", ["甲组机密线索"], ["机密整改措施", "乙组机密"]),  # the clue transferred to the commission
    ],
)
def test_each_persona_sees_the_reminders_of_what_they_may_see(reminders, login, persona, sees, never):
    body = login(reminders.users[persona]).get(URL).content.decode()
    for text in sees:
        assert text in body, text
    for text in never:
        assert text not in body, text


def test_nobody_without_a_role_gets_404(reminders, login):
    assert login(reminders.users["nobody"]).get(URL).status_code == 404


def test_filters_by_rung_state_and_words(reminders, login):
    client = login(reminders.users["office"])
    body = client.get(URL, {"rung": Rung.OVERDUE}).content.decode()
    assert "甲组机密线索" in body and "整改措施" not in body
    body = client.get(URL, {"state": ReminderState.PENDING}).content.decode()
    assert "乙组机密整改措施" in body and "线索：" not in body
    body = client.get(URL, {"q": "乙组机密"}).content.decode()
    assert "乙组机密整改措施" in body and "甲组机密" not in body


def test_the_list_exports_what_it_shows(reminders, login):
    response = login(reminders.users["group1_leader"]).get(URL, {"export": "xlsx", "rung": Rung.D10})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_query_count_does_not_grow_with_rows(reminders, login, django_assert_max_num_queries):
    client = login(reminders.users["group1_leader"])  # counted afresh on every page (not an overseer)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    task, today = reminders.g1.task, reminders.today
    Reminder.objects.bulk_create(
        Reminder(task=task, rung=Rung.D20, due_date=today + timedelta(days=i)) for i in range(60)
    )
    with django_assert_max_num_queries(len(few)):
        page = client.get(URL).context["page"]
    assert len(page) == 50
