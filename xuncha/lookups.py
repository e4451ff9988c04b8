"""Searchable selects for the choice fields whose options grow with the data (units, inspections, people).

`SearchSelect` renders a plain <select> holding only the chosen option, so the page no longer carries every row;
static/js/search-select.js turns it into a Tom Select that asks the field's lookup URL for `?q=` as the user types.
A lookup (`lookup_view`) answers from the very field of the very form the page builds — same queryset, same labels —
so it offers exactly what the form accepts and nothing the user may not see.
"""

import operator
from functools import reduce

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

LIMIT = 20  # choices per answer: enough to pick from, small enough to stay fast at province scale
MAX_QUERY, MAX_TERMS = 100, 5  # what is typed is cut to this before it becomes LIKE clauses


class SearchSelect(forms.Select):
    """A <select data-lookup-url> with only the empty and the chosen options; the rest come from `url` on demand.

    `url` is the lookup's path (a `reverse_lazy` on the field, or set by the form where it needs an argument)."""

    class Media:
        css = {"all": ["vendor/tom-select/css/tom-select.bootstrap5.min.css", "css/search-select.css"]}
        js = ["vendor/tom-select/js/tom-select.complete.min.js", "js/search-select.js"]

    def __init__(self, url=None, attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-lookup-url": str(self.url),
                "data-clearable": "false" if self.is_required else "true",
                "data-msg-type-to-search": _("输入关键字搜索"),
                "data-msg-no-results": _("没有匹配的选项"),
                "data-msg-loading": _("正在搜索…"),
                "data-msg-clear": _("清除"),
            }
        )
        return context

    def use_required_attribute(self, initial):
        field = getattr(self.choices, "field", None)
        if field is None or self.allow_multiple_selected:
            return super().use_required_attribute(initial)
        # Select's own test reads the first choice, which would run the whole queryset.
        return forms.Widget.use_required_attribute(self, initial) and field.empty_label is not None

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v != ""]
        groups = []
        for index, (option_value, label) in enumerate(self._chosen_choices(chosen)):
            selected = str(option_value) in value
            option = self.create_option(name, option_value, label, selected, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups

    def _chosen_choices(self, chosen):
        """The empty choice (where the field has one) and the chosen rows: one small query, never the whole set."""
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return [c for c in choices if str(c[0]) in {"", *chosen}]
        field = choices.field
        rows = []
        if chosen:
            key = field.to_field_name or "pk"
            try:
                rows = list(choices.queryset.filter(**{f"{key}__in": chosen}))
            except (ValueError, TypeError, ValidationError, OverflowError):
                rows = []  # not an id at all (or beyond any id): the form says so; nothing to show
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        return empty + [choices.choice(obj) for obj in rows]


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    pass


def lookup_view(build_form, field_name, *, search):
    """A JSON lookup for `field_name` of the form `build_form(request, **url_kwargs)` returns.

    `build_form` decides who may ask (raising Http404 for anyone else) and builds the form as the page does; the
    answer is the field's own queryset, narrowed by every word of `?q=` (each matching one of `search`: a field,
    searched with icontains, or a function of the word giving a Q or None), first LIMIT rows in the queryset's
    order: `[{"value": pk, "text": label}]`."""

    @login_required
    @require_GET
    def view(request, **kwargs):
        field = build_form(request, **kwargs).fields[field_name]
        rows = field.queryset
        for term in request.GET.get("q", "")[:MAX_QUERY].split()[:MAX_TERMS]:
            matches = [f(term) if callable(f) else Q(**{f"{f}__icontains": term}) for f in search]
            rows = rows.filter(reduce(operator.or_, [q for q in matches if q is not None]))
        if not rows.ordered:
            rows = rows.order_by("pk")
        data = [{"value": field.prepare_value(obj), "text": field.label_from_instance(obj)} for obj in rows[:LIMIT]]
        return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})

    return view
