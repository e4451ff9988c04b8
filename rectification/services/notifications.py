from django.db import transaction
from django.utils import timezone

from ..models import Notification


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own messages read (a no-op if it already was)."""
    Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every digest and message of the actor's inbox read (a digest's items carry no read state of their own)."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True, reminder__isnull=True).update(
        read_at=timezone.now()
    )
