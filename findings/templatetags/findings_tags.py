from django import template

from findings.choices import REVIEW_STATE_COLOURS, ClueStatus

register = template.Library()

CLUE_STATUS_COLOURS = {
    ClueStatus.DRAFT: "secondary",
    ClueStatus.TRANSFERRED: "primary",
    ClueStatus.ANSWERED: "success",
}


@register.filter
def review_colour(state) -> str:
    return REVIEW_STATE_COLOURS.get(state, "secondary")


@register.filter
def clue_colour(status) -> str:
    return CLUE_STATUS_COLOURS.get(status, "secondary")
