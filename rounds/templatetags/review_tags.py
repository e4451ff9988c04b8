from django import template

from rounds.services import has_deputy
from xuncha.roles import PERM_MANAGE

register = template.Library()


@register.inclusion_tag("rounds/partials/review_exception_card.html", takes_context=True)
def review_exception_card(context, group):
    """三审 on the group's page: who does the 复核, and the office's exception for a group without a deputy."""
    return {
        "group": group,
        "has_deputy": has_deputy(group),
        "can_manage": context["request"].user.has_perm(PERM_MANAGE),
        "csrf_token": context.get("csrf_token"),
    }
