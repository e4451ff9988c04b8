from django.db import transaction
from django.utils import timezone

from xuncha.roles import forget_identity

from ..models import Notification


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own messages read (a no-op if it already was)."""
    Notification.objects.filter(pk=notification.pk, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    forget_identity(actor)  # the badge, if this request renders one
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every digest and message of the actor's inbox read (a digest's items carry no read state of their own)."""
    n = Notification.objects.filter(recipient=actor, read_at__isnull=True, reminder__isnull=True).update(
        read_at=timezone.now()
    )
    forget_identity(actor)  # the badge, if this request renders one
    return n
