"""Pagination for every list: 50 rows a page (20 or 100 on asking, ?per=), built so that a list of
millions of rows stays quick.

- A page after the first is found by its ids alone, on the list's own table and index, before its
  rows are joined: an OFFSET over joined rows would join every row it skips.
- Row counts are cached per data version, like the dashboard's figures (any save of a row the count
  could read starts a new version), and per scope (xuncha.roles.scope_key): office and leadership share
  one count of the whole table (2 million tasks at province scale); a group member, a liaison, a unit
  head each have the count of their share, under a key that changes with their groups and roles.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.functional import cached_property

from xuncha.dataversion import WATCHED, version  # the one data version every cached figure follows
from xuncha.resilience import cached
from xuncha.roles import scope_key

PAGE_SIZE = 50
PAGE_SIZES = (20, 50, 100)  # what a reader may choose; the pager offers them


class ListPaginator(Paginator):
    sizes = PAGE_SIZES

    def __init__(self, object_list, per_page=PAGE_SIZE, *, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count() if self._count else super().count

    def get_page(self, number):
        """As Django's, but a page before the first (?page=0, -1) is the first, not the last."""
        try:
            if int(number) < 1:
                number = 1
        except (TypeError, ValueError):
            pass
        return super().get_page(number)

    def page(self, number):
        number = self.validate_number(number)
        rows = self.object_list
        bottom = (number - 1) * self.per_page
        if number == 1 or not _joins_rows(rows):
            # Always a full page's LIMIT, where Django's Paginator cuts a last page's to the rows left: told
            # to find 4 rows in order, the database walks the ordering's index expecting to meet them early
            # (units not covered: 8,520 units read, 29 ms, where a page of 50 sorts the plan's 430 in 4 ms).
            return self._get_page(rows[bottom : bottom + self.per_page], number, self)
        ids = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)  # deleted meanwhile: gone


def _joins_rows(rows) -> bool:
    """A queryset of model rows that joins or computes more than its ordering needs."""
    return (
        isinstance(rows, QuerySet)
        and rows._iterable_class is ModelIterable
        and bool(rows.query.select_related or rows.query.annotations)
    )


def cached_count(request, queryset: QuerySet) -> int:
    """The list's row count, kept until the data changes (or DASHBOARD_CACHE_SECONDS pass).

    Keyed by the reader's scope, the page's address and filters, not by the query's SQL (compiling it costs
    as much as the page's own query): everyone with the same scope reads the same rows at the same address."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("per", None)
    scope = scope_key(request.user)
    address = hashlib.sha256(f"{scope}:{queryset.model._meta.label}:{request.path}?{params.urlencode()}".encode())
    current = version()
    if current is None:  # the cache is unreachable: counted by the database (xuncha/resilience.py)
        return queryset.count()
    key = f"list-count:{current}:{timezone.localdate()}:{address.hexdigest()}"
    count = cached(lambda: cache.get(key))
    if count is None:
        count = queryset.count()
        cached(lambda: cache.set(key, count, timeout=settings.DASHBOARD_CACHE_SECONDS))
    return count


def chosen_per_page(request) -> int | None:
    """The page size the reader chose (?per=), when it is one of PAGE_SIZES; else None."""
    asked = request.GET.get("per", "")
    return int(asked) if asked in {str(size) for size in PAGE_SIZES} else None


def per_page(request) -> int:
    """The page size the reader chose, or PAGE_SIZE."""
    return chosen_per_page(request) or PAGE_SIZE


def paginate(request, queryset):
    count = None
    if isinstance(queryset, QuerySet) and queryset.model._meta.label in WATCHED and request.user.is_authenticated:
        count = lambda: cached_count(request, queryset)  # noqa: E731
    return ListPaginator(queryset, per_page(request), count=count).get_page(request.GET.get("page"))
