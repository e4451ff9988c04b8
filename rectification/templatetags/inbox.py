from django import template

from xuncha.roles import identity_of

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """The header badge, digests and messages (not their items): counted in the request's identity query
    (xuncha.roles.identity_of, on the notification_unread_inbox index)."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return identity_of(user).unread
