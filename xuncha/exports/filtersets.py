"""The export log's filters (导出记录, office only), declared once as a FilterSet (xuncha/filtersets.py)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from xuncha.filtersets import IdFilter, ListFilterSet
from xuncha.forms import DateField
from xuncha.models import ExportLog


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class ExportLogFilterSet(ListFilterSet):
    """Who exported or downloaded what: by person, content (`kind`), dates (`from`, `to`), 涉密 only."""

    q = None
    user = IdFilter(label=_("导出人"), field_name="user_id")
    kind = django_filters.CharFilter(label=_("内容"), max_length=100)
    confidential = django_filters.ChoiceFilter(
        label=_("仅涉密材料"), choices=[("1", _("是"))], method="filter_confidential"
    )

    class Meta:
        model = ExportLog
        fields = []

    def filter_confidential(self, queryset, name, value):
        return queryset.filter(confidential=True) if value == "1" else queryset


# `from` and `to` are the page's parameter names (Python keywords, so not class attributes).
ExportLogFilterSet.base_filters["from"] = DateFilter(
    label=_("起始日期"), field_name="created_at", lookup_expr="date__gte"
)
ExportLogFilterSet.base_filters["to"] = DateFilter(
    label=_("截止日期"), field_name="created_at", lookup_expr="date__lte"
)
