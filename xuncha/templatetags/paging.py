"""{{ request|chosen_per_page }}: the page size the reader chose, as the pager reads it (xuncha/paging.py)."""

from django import template

from xuncha.paging import chosen_per_page

register = template.Library()
register.filter("chosen_per_page", chosen_per_page)
