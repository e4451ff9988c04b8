from django import template

from ..choices import STAGE_COLOURS

register = template.Library()


@register.filter
def stage_colour(stage) -> str:
    """Bootstrap colour of a stage badge (the colours live in rounds/choices.py)."""
    return STAGE_COLOURS.get(stage, "secondary")
