"""Choice labels for list rows: what get_FOO_display() shows, without its cost per call."""

from functools import cache

from django import template

register = template.Library()


@cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


@register.filter
def label(obj, field_name: str):
    """{{ task|label:"status" }} shows what {{ task.get_status_display }} does. Django's method rebuilds a
    dict of every choice on each call and hashes, so translates, every label: on a 50-row list that is
    hundreds of translations for a dozen distinct words."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field.attname)
    return _labels(field).get(value, value)
