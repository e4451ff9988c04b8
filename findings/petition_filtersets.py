"""巡察信访台账's filters and sort, declared once: the page, its .xlsx export use these."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.filtersets import ListFilterSet, SortFilter

from . import petition_selectors as selectors
from .choices import PetitionChannel, PetitionRoute, PetitionStatus
from .filtersets import InspectionFilter
from .models import Petition

ALL = _("全部")


class PetitionFilterSet(ListFilterSet):
    """巡察信访: over `petition_selectors.petition_list(user=…)`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search")
    inspection = InspectionFilter(label=_("巡察任务"), queryset=None)
    county_wide = django_filters.BooleanFilter(
        label=_("仅看全县信访件"), method="filter_county_wide", widget=forms.CheckboxInput
    )
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=PetitionChannel.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=PetitionStatus.choices, empty_label=ALL)
    route = django_filters.ChoiceFilter(label=_("分办去向"), choices=PetitionRoute.choices, empty_label=ALL)
    sort = SortFilter(
        columns={"received": ("received_date",), "channel": ("channel",), "status": ("status",), "route": ("route",)}
    )

    search = staticmethod(selectors.petition_search)

    class Meta:
        model = Petition
        fields = []

    def setup(self):
        if self.user is not None:
            self.filters["inspection"].queryset = selectors.petition_filter_inspections(self.user)

    def filter_county_wide(self, queryset, name, value):
        return queryset.filter(inspection__isnull=True) if value else queryset
