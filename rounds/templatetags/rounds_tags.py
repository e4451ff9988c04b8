from django import template

from ..choices import COVERAGE_COLOURS, STAGE_COLOURS
from ..selectors import coverage_of

register = template.Library()


@register.filter
def stage_colour(stage) -> str:
    """Bootstrap colour of a stage badge (the colours live in rounds/choices.py)."""
    return STAGE_COLOURS.get(stage, "secondary")


@register.filter
def coverage(unit):
    """{{ unit|coverage }}: 已覆盖, 未覆盖 or 不在范围 (rounds.selectors.coverage_of)."""
    return coverage_of(unit)


@register.filter
def coverage_colour(state) -> str:
    return COVERAGE_COLOURS.get(state, "secondary")
