from django import template

from xuncha.roles import identity_of

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context) -> int:
    """The header badge: counted in the request's identity query (xuncha.roles.identity_of)."""
    user = context["request"].user
    if not user.is_authenticated:
        return 0
    return identity_of(user).unread
