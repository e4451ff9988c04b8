"""What every list's FilterSet shares (django-filter): one declaration of a list's filters and sort, used
by its page, its .xlsx export and the REST API.

A list's FilterSet is built over the selector's `visible_to(user)` queryset, never over a whole table, so
no filter can widen what the user may see. On the page a value the FilterSet refuses drops only itself and
shows its error; the API answers it with a 400 (django-filter's DRF backend).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuncha.params import parse_id

SORT_PARAM = "sort"


class SortFilter(django_filters.ChoiceFilter):
    """`?sort=<column>` or `?sort=-<column>`: one of the list's whitelisted columns, each naming the order_by
    expressions it sorts by. The primary key breaks ties so that the pager never shows a row twice."""

    def __init__(self, *args, columns: dict, **kwargs):
        self.columns = dict(columns)
        choices = []
        for param in self.columns:
            choices += [(param, param), (f"-{param}", f"-{param}")]
        kwargs.setdefault("label", _("排序"))
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        descending = value.startswith("-")
        ordering = []
        for expression in self.columns[value.lstrip("-")]:
            flip = expression.startswith("-") != descending
            ordering.append(f"-{expression.lstrip('-')}" if flip else expression.lstrip("-"))
        return qs.order_by(*ordering, "-pk" if descending else "pk")


class DefaultChoiceFilter(django_filters.ChoiceFilter):
    """A choice whose empty value means its `default` (the registry's 在册), not "all"; `all` means all."""

    def __init__(self, *args, default, lookups, **kwargs):
        self.default, self.lookups = default, lookups  # {choice: Q or None}
        kwargs.setdefault("initial", default)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        condition = self.lookups.get(value or self.default)
        return qs.filter(condition) if condition is not None else qs


class YesNoField(forms.TypedChoiceField):
    """The pages' 是/否 select (`1` / `0`); the API may also say `true` / `false`."""

    def valid_value(self, value):
        return str(value).lower() in ("true", "false") or super().valid_value(value)


class YesNoFilter(django_filters.TypedChoiceFilter):
    """`1` / `0`, `true` / `false`; empty: either."""

    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("", _("全部")), ("1", _("是")), ("0", _("否"))])
        kwargs.setdefault("coerce", lambda v: str(v).lower() in ("1", "true"))
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})


class IdField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        pk = parse_id(str(value))
        if pk is None:
            raise ValidationError(_("请输入有效的编号。"), code="invalid")
        return pk


class IdFilter(django_filters.NumberFilter):
    """A row's id (`?inspection=12`) for what a list does not offer as a select: read with parse_id, and never
    looked up on its own, so that an id outside the user's rows says nothing (the list is simply empty)."""

    field_class = IdField


class ListFilterSet(django_filters.FilterSet):
    """A list's filters and sort over the user's own rows.

    `search` is the list's one search function, `(queryset, words) -> queryset`, owned by its selectors
    module: `q` delegates to it, so the page, the export and the API search the same way."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    # Each list declares `sort = SortFilter(columns={...})` with its own columns.

    search = None  # staticmethod(queryset, words) -> queryset

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.setup()

    def setup(self):
        """Narrow the choice querysets to what the user may see (a hook for subclasses)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for name, filter_ in self.filters.items():
            if isinstance(filter_, DefaultChoiceFilter) and name not in self.form.cleaned_data:
                queryset = filter_.filter(queryset, None)  # a refused value: the default, never "all"
        return queryset

    def filter_search(self, queryset, name, value):
        words = (value or "").strip()
        if not words or self.search is None:
            return queryset
        return type(self).search(queryset, words)

    @property
    def sorted(self) -> bool:
        """The reader chose a sort column (a valid one)."""
        if not self.is_bound or SORT_PARAM not in self.filters:
            return False
        self.form.is_valid()
        return bool(self.form.cleaned_data.get(SORT_PARAM))

    def cleaned_filters(self) -> dict:
        """The filters that narrowed (or sorted) the rows, as the export log records them: each valid value as the
        reader set it (at most 100 characters; an id as a number); not a refused value (it filtered nothing), an
        empty one or an unticked box; but an empty field the list reads as its default (the registry's 在册)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        logged = {}
        for name, value in self.form.cleaned_data.items():
            filter_ = self.filters[name]
            if value is None or value in ("", [], ()) or (value is False and not isinstance(filter_, YesNoFilter)):
                default = getattr(filter_, "default", None)
                if default:
                    logged[name] = default
                continue
            if isinstance(value, models.Model):
                logged[name] = value.pk
            elif isinstance(value, int) and not isinstance(value, bool):
                logged[name] = value
            else:
                logged[name] = str(self.form.data.get(name) or value)[:100]
        return logged
