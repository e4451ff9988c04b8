"""{% sort_header "due" _("整改时限") %}: a column header that sorts the list by that column (?sort=), a second
click reversing it; every other GET parameter (filters, page size) is kept and the page starts again at 1."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from xuncha.filtersets import SORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, column, label):
    request = context["request"]
    current = request.GET.get(SORT_PARAM, "")
    params = request.GET.copy()
    params.pop("page", None)
    if current == column:
        params[SORT_PARAM], icon, state = f"-{column}", "bi-sort-up", _("升序")
    elif current == f"-{column}":
        params[SORT_PARAM], icon, state = column, "bi-sort-down", _("降序")
    else:
        params[SORT_PARAM], icon, state = column, "bi-arrow-down-up text-muted opacity-50", ""
    return format_html(
        '<a class="sort-link text-reset text-decoration-none text-nowrap" href="?{}" data-sort="{}"{}>{} '
        '<i class="bi {}" aria-hidden="true"></i></a>',
        params.urlencode(),
        column,
        format_html(' aria-sort="{}" title="{}"', "ascending" if current == column else "descending", state)
        if state
        else "",
        label,
        icon,
    )


@register.simple_tag(takes_context=True)
def keep_sort(context):
    """Inside a list's filter form: a new filter keeps the column the list is sorted by."""
    value = context["request"].GET.get(SORT_PARAM, "")
    return format_html('<input type="hidden" name="{}" value="{}">', SORT_PARAM, value) if value else ""
