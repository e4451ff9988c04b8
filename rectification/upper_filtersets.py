"""The upper-level register's filters and sort (交办事项), declared once: the page and its .xlsx export use these."""

import django_filters
from django.utils.translation import gettext_lazy as _

from xuncha.filtersets import IdFilter, ListFilterSet, SortFilter

from . import upper_selectors as selectors
from .choices import RequestKind, RequestStatus
from .upper_models import UpperRequest

ALL = _("全部")


class RequestFilterSet(ListFilterSet):
    """交办事项: over `upper_selectors.request_list(user=…)`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("事项类型"), choices=RequestKind.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RequestStatus.choices, empty_label=ALL)
    visit = IdFilter(label=_("配合巡视"), field_name="visit_id")
    sort = SortFilter(
        columns={"requested": ("requested_date",), "due": ("due_date",), "status": ("status",), "kind": ("kind",)}
    )

    search = staticmethod(selectors.request_search)

    class Meta:
        model = UpperRequest
        fields = []
