"""Filters for list rows. Each shows what a Django built-in shows, at a fraction of its cost per call:
a 50-row list calls them hundreds of times, and with the built-ins they were half of its rendering
(bench/RESULTS.md). Outside list rows, use the built-ins."""

from functools import cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.translation import pgettext

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


# A pk no row has: reverse() puts it in the pattern and each row's pk replaces it.
_SLOT = "2147483647"


@cache
def _pk_pattern(viewname: str, script_prefix: str) -> str:
    return reverse(viewname, args=[_SLOT])


@register.filter
def pk_url(obj, viewname: str) -> str:
    """{{ task|pk_url:'rectification:task_detail' }} is {% url 'rectification:task_detail' task.pk %} for a
    view whose one argument is a pk; {{ r.task_id|pk_url:'…' }} takes the pk itself. reverse() walks the
    URLconf on every call; this reverses once per view and script prefix."""
    return _pk_pattern(viewname, get_script_prefix()).replace(_SLOT, str(getattr(obj, "pk", obj)))


@register.filter
def clip(text, length: int) -> str:
    """{{ text|clip:30 }} is {{ text|truncatechars:30 }} for plain text: at most `length` characters, the
    cut marked as the built-in marks it in the active language ("..." in Chinese). The built-in measures
    every character for combining marks on each call; our texts have none."""
    text = "" if text is None else str(text)
    if length <= 0:
        return ""
    if len(text) <= length:
        return text
    mark = pgettext("String to return when truncating text", "%(truncated_text)s…") % {"truncated_text": ""}
    return text[: max(length - len(mark), 0)] + mark


@register.filter(expects_localtime=True)
def ymd(value) -> str:
    """{{ day|ymd }} is {{ day|date:"Y-m-d" }}; a datetime is shown in local time, as the built-in does."""
    return value.strftime("%Y-%m-%d") if value else ""


@register.filter(expects_localtime=True)
def ymd_hm(value) -> str:
    """{{ moment|ymd_hm }} is {{ moment|date:"Y-m-d H:i" }}, in local time."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""
