"""Reminders gathered: one digest a day per person per channel (inbox, e-mail), grouped by rung, with absolute links;
the inbox filters them by kind, rung group, read state and words, and files them by day."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rectification import reminders
from rectification.choices import ReminderState, TaskStatus
from rectification.models import Notification, RectificationTask, Reminder, UnitDocument

SITE = "https://xuncha.example.gov.cn"
OFFSETS = {"soon20": 15, "soon10": 10, "today": 0, "late": -3, "latest": -40, "almost_escalated": -30}


@pytest.fixture
def many(world, settings):
    """Six of group 1's tasks on every rung, the office as 责任领导 (so it hears of every rung but d20)."""
    settings.SITE_URL = SITE
    UnitDocument.objects.update(status="accepted", first_submitted_on=world.today, accepted_at=timezone.now())
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(status=TaskStatus.SUBMITTED)
    world.tasks = {}
    for name, days in OFFSETS.items():
        world.tasks[name] = RectificationTask.objects.create(
            finding=world.g1.finding,
            measure=f"汇总措施{name}",
            responsible_unit=world.units.finance,
            responsible_leader=world.users["office"],
            handler=world.users["liaison"],
            term_type="deadline",
            due_date=world.today + timedelta(days=days),
        )
    mail.outbox = []
    return world


def _digests(user, day=None):
    qs = Notification.objects.filter(recipient=user, day__isnull=False)
    return qs.filter(day=day) if day else qs


def _mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_many_due_items_make_one_notification_and_one_email_listing_all_by_rung(many):
    office = many.users["office"]
    reminders.sweep(many.today)
    # Inbox: one message (the digest), holding an item per task the office hears of (every rung but d20).
    assert Notification.objects.filter(recipient=office, reminder__isnull=True).count() == 1
    digest = _digests(office).get()
    assert digest.items.count() == 5
    # E-mail: one, counting and listing every item under its rung group, in ladder order.
    (message,) = _mails_to(office)
    assert message.subject == f"{many.today:%Y-%m-%d} 提醒汇总：5 项待办"
    text = message.body
    assert "即将到期 1 项；今日到期 1 项；已逾期 2 项；督办 1 项" in text
    for name in ("soon10", "today", "late", "almost_escalated", "latest"):
        assert f"汇总措施{name}" in text
    assert "汇总措施soon20" not in text  # d20 reaches the 经办人 only
    headings = [text.index(f"== {label}") for label in ("即将到期", "今日到期", "已逾期", "督办")]
    assert headings == sorted(headings)
    assert text.index("汇总措施late") > headings[2] and text.index("汇总措施latest") > headings[3]
    # The 经办人 hears of the three rungs before the due date, also in one message and one e-mail.
    liaison = many.users["liaison"]
    assert _digests(liaison).get().items.count() == 3
    assert len(_mails_to(liaison)) == 1


def test_the_email_has_a_text_and_an_html_part_with_absolute_links(many):
    reminders.sweep(many.today)
    (message,) = _mails_to(many.users["office"])
    task_url = f"{SITE}/rectification/tasks/{many.tasks['late'].pk}/"
    assert task_url in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{task_url}"' in html
    digest = _digests(many.users["office"]).get()
    assert f"{SITE}{reverse('rectification:inbox_digest', args=[digest.pk])}" in message.body
    assert 'href="/' not in html  # no relative link left


def test_sweeping_again_the_same_day_sends_nothing_new(many):
    reminders.sweep(many.today)
    notes, mails = Notification.objects.count(), len(mail.outbox)
    reminders.sweep(many.today)
    assert Notification.objects.count() == notes and len(mail.outbox) == mails


def test_the_next_day_s_new_rungs_make_a_new_digest(many):
    office = many.users["office"]
    reminders.sweep(many.today)
    tomorrow = many.today + timedelta(days=1)
    reminders.sweep(tomorrow)
    # Due today → overdue, and 30 days late → 督办: two new rungs, one new digest and one new e-mail.
    second = _digests(office, tomorrow).get()
    assert sorted(second.items.values_list("reminder__task__measure", flat=True)) == [
        "汇总措施almost_escalated",
        "汇总措施today",
    ]
    assert _digests(office).count() == 2
    assert len(_mails_to(office)) == 2
    assert "汇总措施latest" not in _mails_to(office)[1].body  # only what is new


def test_one_digest_whatever_the_batches_and_each_reminder_once(many):
    """Sent one reminder at a time (as many Celery batches would), still one digest and one e-mail a person."""
    office = many.users["office"]
    reminders.sweep(many.today, dispatch=lambda ids: [reminders.send([pk], day=many.today) for pk in ids])
    assert _digests(office).count() == 1 and len(_mails_to(office)) == 1
    assert set(Reminder.objects.values_list("state", flat=True)) == {ReminderState.SENT}
    pairs = list(Notification.objects.filter(reminder__isnull=False).values_list("reminder_id", "recipient_id"))
    assert len(pairs) == len(set(pairs))


def test_a_failed_mail_is_sent_by_the_next_attempt_once(many, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self, messages):
        raise OSError("mail server down")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refuse)
        reminders.sweep(many.today)
    assert mail.outbox == []
    assert _digests(many.users["office"]).get().emailed_at is None
    reminders.sweep(many.today)  # nothing new to deliver; the digests not yet e-mailed go now
    assert len(_mails_to(many.users["office"])) == 1
    reminders.sweep(many.today)
    assert len(_mails_to(many.users["office"])) == 1


def test_the_header_badge_counts_digests_not_items(many, login):
    reminders.sweep(many.today)
    page = login(many.users["office"]).get(reverse("rectification:inbox")).content.decode()
    assert 'data-unread="1"' in page


# --- the inbox ---------------------------------------------------------------------------------------------------


def _inbox(client, **params):
    return [n.pk for n in client.get(reverse("rectification:inbox"), params).context["page"]]


def test_the_inbox_filters_by_kind_rung_read_state_and_words(many, login):
    office = many.users["office"]
    reminders.sweep(many.today)
    digest = _digests(office).get()
    plain = Notification.objects.create(recipient=office, title="系统通知：维护窗口")
    client = login(office)
    assert _inbox(client) == [plain.pk, digest.pk]
    assert _inbox(client, kind="task") == [digest.pk]
    assert _inbox(client, kind="clue") == []
    assert _inbox(client, rung="escalated") == [digest.pk]
    assert _inbox(client, q="汇总措施late") == [digest.pk]
    assert _inbox(client, q="维护窗口") == [plain.pk]
    assert _inbox(client, q="没有这样的字") == []
    assert _inbox(client, read="unread") == [plain.pk, digest.pk]
    assert _inbox(client, read="read") == []
    assert _inbox(client, unread="1") == [plain.pk, digest.pk]
    page = client.get(reverse("rectification:inbox"), {"rung": "overdue"}).content.decode()
    assert 'data-group="overdue"' in page and 'data-group="due"' not in page  # counts follow the filter
    assert _inbox(client, kind="nonsense") == [plain.pk, digest.pk]  # a bad value drops itself, nothing else


def test_the_inbox_groups_by_day_and_opens_a_digest_by_rung(many, login):
    office = many.users["office"]
    reminders.sweep(many.today)
    reminders.sweep(many.today + timedelta(days=1))
    client = login(office)
    page = client.get(reverse("rectification:inbox")).content.decode()
    assert page.count("data-day=") == 2
    assert page.index(f'data-day="{many.today + timedelta(days=1):%Y-%m-%d}"') < page.index(
        f'data-day="{many.today:%Y-%m-%d}"'
    )
    digest = _digests(office, many.today).get()
    response = client.get(reverse("rectification:inbox_digest", args=[digest.pk]), {"rung": "overdue"})
    assert sorted(i.reminder.task.measure for i in response.context["page"]) == [
        "汇总措施almost_escalated",
        "汇总措施late",
    ]
    response = client.get(reverse("rectification:inbox_digest", args=[digest.pk]))
    labels = [i.group_label for i in response.context["page"]]
    assert labels == ["即将到期", "今日到期", "已逾期", "已逾期", "督办"]
    digest.refresh_from_db()
    assert digest.read_at is not None  # opened: read


def test_a_digest_is_its_recipient_s_alone(many, login):
    reminders.sweep(many.today)
    digest = _digests(many.users["office"]).get()
    client = login(many.users["liaison"])
    assert client.get(reverse("rectification:inbox_digest", args=[digest.pk])).status_code == 404


def test_the_digest_e_mail_speaks_english_when_sent_in_english(many):
    from django.utils import translation

    with translation.override("en"):
        reminders.sweep(many.today)
    (message,) = _mails_to(many.users["office"])
    assert message.subject == f"Reminders for {many.today:%Y-%m-%d}: 5 items"
    for heading in ("== Due soon (1) ==", "== Due today (1) ==", "== Overdue (2) ==", "== Escalated (1) =="):
        assert heading in message.body
    assert "Due soon: 1; Due today: 1; Overdue: 2; Escalated: 1" in message.body
    assert f"Inbox: {SITE}/rectification/inbox/" in message.body


def test_a_unit_heads_late_document_reminder_opens_the_units_tasks(world, client):
    """The head answers for a late 整改方案 but reads only the unit's tasks (DESIGN.md): the link opens those; the
    unit's liaison and the office get the document itself."""
    finance = world.units.finance
    UnitDocument.objects.exclude(unit=finance).update(
        status="accepted", first_submitted_on=world.today, accepted_at=timezone.now()
    )
    late = UnitDocument.objects.filter(unit=finance).order_by("kind").first()
    UnitDocument.objects.filter(unit=finance).exclude(pk=late.pk).update(
        status="accepted", first_submitted_on=world.today, accepted_at=timezone.now()
    )
    UnitDocument.objects.filter(pk=late.pk).update(due_date=world.today - timedelta(days=3))
    reminders.sweep(world.today)
    items = Notification.objects.filter(reminder__document=late)
    head = items.get(recipient=world.users["unit_head"])
    assert head.url == f"{reverse('rectification:task_list')}?unit={finance.pk}"
    document = reverse("rectification:document_detail", args=[late.pk])
    assert items.get(recipient=world.users["liaison"]).url == document
    assert items.get(recipient=world.users["office"]).url == document
    client.force_login(world.users["unit_head"])
    assert client.get(head.url).status_code == 200
    assert client.get(document).status_code == 404
