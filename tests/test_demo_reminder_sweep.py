"""The first reminder sweep on the demo county: each person gets at most one digest a day per channel (inbox and
e-mail), and every reminder link in every digest (inbox items, the e-mail's HTML and text parts) opens for its
recipient."""

import re
from collections import Counter
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from rectification import reminders
from rectification.models import Notification
from tests.world import ensure_reference_data

SITE = "https://xuncha.example.gov.cn"
LINK = re.compile(re.escape(SITE) + r"""[^\s"'<>]*""")


@pytest.fixture(scope="module")
def swept(django_db_setup, django_db_blocker):
    """The demo county at its smallest volume, swept once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(SITE_URL=SITE):
        ensure_reference_data()  # an earlier transactional test's flush may have removed the role groups
        call_command("seed_demo", tasks_per_county=400, stdout=StringIO())
        today = timezone.localdate()
        mail.outbox = []
        reminders.sweep(today)
        yield today, list(mail.outbox)
        transaction.set_rollback(True)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


pytestmark = pytest.mark.django_db


def test_first_sweep_leaves_each_person_at_most_one_digest_per_channel(swept):
    swept, outbox = swept
    digests = Notification.objects.filter(day=swept)
    assert digests.exists() and len(outbox) > 0
    per_person = Counter(digests.values_list("recipient_id", flat=True))
    assert max(per_person.values()) == 1
    # No reminder item sits outside a digest (the inbox lists digests, not one message per task).
    assert not Notification.objects.filter(reminder__isnull=False, digest__isnull=True).exists()
    mails = Counter(address for message in outbox for address in message.to)
    assert max(mails.values()) == 1
    emailed = set(User.objects.filter(pk__in=per_person).exclude(email="").values_list("email", flat=True))
    assert set(mails) == emailed


def test_every_reminder_link_in_every_digest_opens_for_its_recipient(swept):
    swept, outbox = swept
    links: dict[int, set[str]] = {}
    for recipient_id, url in Notification.objects.filter(day=swept).values_list("recipient_id", "url"):
        links.setdefault(recipient_id, set()).add(url)
    for recipient_id, url in Notification.objects.filter(digest__day=swept).values_list("recipient_id", "url"):
        assert url, "a reminder item without a link"
        links[recipient_id].add(url)
    by_email = dict(User.objects.exclude(email="").values_list("email", "pk"))
    for message in outbox:
        (address,) = message.to
        ((html, _mime),) = message.alternatives
        found = LINK.findall(message.body) + LINK.findall(html.replace("&amp;", "&"))
        assert found, message.subject
        links[by_email[address]].update(found)

    failures = []
    for recipient_id, urls in links.items():
        client = Client()
        client.force_login(User.objects.get(pk=recipient_id))
        for path in sorted({_path(url) for url in urls}):
            status = client.get(path).status_code
            if status != 200:
                failures.append((recipient_id, path, status))
    assert not failures, failures[:20]
