"""Phase 3, gather and send: each person's delivered items join their digest of the day (one inbox message), and
each digest goes out as at most one e-mail, with a plain-text and an HTML part, grouped by rung."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..choices import ReminderState
from ..models import Notification, Reminder
from .delivery import lease
from .ladder import GROUP_OF_RUNG, RUNG_GROUPS

log = logging.getLogger(__name__)

EMAIL_ITEMS_PER_GROUP = 200  # an e-mail lists this many items of a rung group, then links to the rest


def _ungathered():
    return Notification.objects.filter(reminder__isnull=False, digest__isnull=True)


def gather(*, day) -> int:
    """Attach every delivered, not yet gathered item to its recipient's digest of `day` (made if missing);
    returns how many items joined. Idempotent: a crash between delivery and here is completed by the next call.

    Set-based and free of per-digest counts (an office digest may gather tens of thousands of items over many
    batches): the inbox counts a page's digests by rung group when it shows them, the e-mail when it is sent."""
    recipient_ids = set(_ungathered().values_list("recipient_id", flat=True).distinct())
    if not recipient_ids:
        return 0
    # One digest per person per day (notification_one_digest_a_day): a concurrent gatherer's row wins, not a second.
    title = digest_title(day)
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, day=day, title=title) for pk in recipient_ids], ignore_conflicts=True
    )
    mine = Notification.objects.filter(recipient_id__in=recipient_ids, day=day)
    prefix = reverse("rectification:inbox_digest", args=[0]).rsplit("0/", 1)[0]
    mine.filter(url="").update(url=Concat(Value(prefix), Cast("pk", CharField()), Value("/")))
    digest = Notification.objects.filter(recipient_id=OuterRef("recipient_id"), day=day).values("pk")[:1]
    joined = _ungathered().filter(recipient_id__in=recipient_ids).update(digest=Subquery(digest))
    mine.filter(read_at__isnull=False).update(read_at=None)  # new items: unread again
    return joined


def digest_title(day) -> str:
    return _("%(day)s 提醒汇总") % {"day": formats.date_format(day, "Y-m-d")}


def digest_text(day, counts: dict) -> tuple[str, str]:
    """The e-mail's subject and its one-line summary: how many items in each rung group."""
    total = sum(counts.values())
    title = _("%(day)s 提醒汇总：%(count)s 项待办") % {"day": formats.date_format(day, "Y-m-d"), "count": total}
    body = _("；").join(
        _("%(group)s %(count)s 项") % {"group": label, "count": counts[key]}
        for key, label, _rungs in RUNG_GROUPS
        if counts.get(key)
    )
    return title, body


def grouped(items) -> list[tuple[str, str, list]]:
    """Items in rung groups (即将到期 / 今日到期 / 已逾期 / 督办), the groups in ladder order, empty ones left out."""
    by_group: dict = {}
    for item in items:
        by_group.setdefault(GROUP_OF_RUNG[item.reminder.rung], []).append(item)
    return [(key, label, by_group[key]) for key, label, _rungs in RUNG_GROUPS if key in by_group]


def drained() -> bool:
    """No reminder is waiting to be sent or being sent: today's digests are complete."""
    return not Reminder.objects.filter(state__in=[ReminderState.PENDING, ReminderState.SENDING]).exists()


def _claim_email(digest: Notification) -> bool:
    """One sender e-mails a digest: a conditional UPDATE that must touch exactly this row."""
    now = timezone.now()
    return bool(
        Notification.objects.filter(pk=digest.pk, emailed_at__isnull=True)
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - lease()))
        .update(email_claimed_at=now)
    )


def email_digests(*, before=None) -> int:
    """E-mail every digest not yet e-mailed (only those of days before `before`, if given); returns how many went.

    A digest lists its person's items not yet e-mailed — an item that joined a digest after that digest's e-mail
    went out waits for the person's next digest. A failed send releases the claim: the next call retries."""
    digests = (
        Notification.objects.filter(day__isnull=False, emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("day", "pk")
    )
    if before is not None:
        digests = digests.filter(day__lt=before)
    sent = 0
    with get_connection() as conn:
        for digest in digests.iterator(chunk_size=200):
            if not _claim_email(digest):
                continue
            items = list(
                Notification.objects.filter(
                    recipient_id=digest.recipient_id, digest__day__lte=digest.day, emailed_at__isnull=True
                )
                .select_related("reminder")
                .order_by("reminder__due_date", "pk")
            )
            if items:
                try:
                    conn.send_messages([digest_email(digest, items)])
                except Exception:  # noqa: BLE001 - a mail server hiccup must not stop the sweep; the next call retries
                    log.exception("reminder digest e-mail %s failed; will retry", digest.pk)
                    Notification.objects.filter(pk=digest.pk).update(email_claimed_at=None)
                    continue
                sent += 1
            with transaction.atomic():
                now = timezone.now()
                Notification.objects.filter(pk__in=[item.pk for item in items]).update(emailed_at=now)
                Notification.objects.filter(pk=digest.pk).update(emailed_at=now)
    return sent


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def digest_email(digest: Notification, items: list) -> EmailMultiAlternatives:
    groups = []
    for key, label, members in grouped(items):
        shown = members[:EMAIL_ITEMS_PER_GROUP]
        groups.append(
            {
                "key": key,
                "label": label,
                "count": len(members),
                "more": len(members) - len(shown),
                "items": [{"title": i.title, "body": i.body, "url": absolute(i.url)} for i in shown],
            }
        )
    subject, summary = digest_text(digest.day, {group["key"]: group["count"] for group in groups})
    context = {
        "digest": digest,
        "subject": subject,
        "summary": summary,
        "groups": groups,
        "total": len(items),
        "inbox_url": absolute(digest.url or reverse("rectification:inbox")),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject,
        render_to_string("rectification/email/digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [digest.recipient.email],
    )
    message.attach_alternative(render_to_string("rectification/email/digest.html", context), "text/html")
    return message
