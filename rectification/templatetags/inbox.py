from django import template

from ..models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """One indexed COUNT (notification_unread_inbox) for the header badge: digests and messages, not their items."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True, reminder__isnull=True).count()
