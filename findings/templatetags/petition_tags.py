"""The petition back-links the finding and clue pages include, and the status colours."""

from django import template

from findings import petition_selectors as sel
from findings.choices import PETITION_STATUS_COLOURS

register = template.Library()


@register.filter
def petition_colour(status) -> str:
    return PETITION_STATUS_COLOURS.get(status, "secondary")


@register.inclusion_tag("findings/petitions/backlink.html", takes_context=True)
def petition_backlink(context, finding=None, clue=None):
    """来源信访件 on a finding's or clue's page, for whoever may see that petition."""
    return {"petition": sel.petition_for(user=context["request"].user, finding=finding, clue=clue)}
