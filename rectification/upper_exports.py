"""Export of the upper-level requests (交办事项台账): the same door and filters as the list."""

from django.utils.translation import gettext_lazy as _

from xuncha.exports import Column, ExportSpec
from xuncha.roles import sees_everything

from .choices import RequestKind, RequestStatus
from .upper_filtersets import RequestFilterSet
from .upper_models import UpperRequest
from .upper_selectors import has_requests


def _joins(qs):
    return qs.select_related("visit", "owner_unit", "owner")


def requests_queryset(user):
    return _joins(UpperRequest.objects.visible_to(user))


def _owner(r):
    return r.owner.get_full_name() or r.owner.username


UPPER_REQUESTS = ExportSpec(
    kind="upper_requests",
    title=_("上级交办事项台账"),
    columns=(
        Column(_("序号"), "pk", 7, "seq"),
        Column(_("巡视（巡察）组"), "visit.team", 20),
        Column(_("事项类型"), "kind", 12, choices=RequestKind),
        Column(_("事项内容"), "title", 36, "wrap"),
        Column(_("交办日期"), "requested_date", 12, "date"),
        Column(_("承办单位"), "owner_unit.name", 22),
        Column(_("承办人"), _owner, 10),
        Column(_("办理时限"), "due_date", 12, "date"),
        Column(_("状态"), "status", 10, choices=RequestStatus),
        Column(_("办理情况"), "reply", 40, "wrap"),
        Column(_("报送日期"), "submitted_date", 12, "date"),
    ),
    base=requests_queryset,
    # Office and leadership, and each owner (whose file holds their own requests); anyone else 404.
    allowed=lambda user: sees_everything(user) or has_requests(user),
    filterset=RequestFilterSet,
    order_by=("due_date", "pk"),
    prepare=_joins,
)
