from django import template

from xuncha.people import full_name

register = template.Library()


@register.filter
def person(user) -> str:
    """{{ user|person }}: the one way a user's name is shown (xuncha.people.full_name), or a dash for nobody."""
    return full_name(user) if user is not None else "—"
