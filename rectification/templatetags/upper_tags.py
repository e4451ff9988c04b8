from django import template

from rectification.choices import REQUEST_STATUS_COLOURS

register = template.Library()


@register.filter
def request_colour(status) -> str:
    return REQUEST_STATUS_COLOURS.get(status, "secondary")
