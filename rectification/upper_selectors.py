"""Reads for 配合上级巡视/巡察, each from its model's `visible_to(user)` door."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from .upper_models import UpperRequest, UpperRequestAttachment, UpperRequestEvent, UpperVisit


def visit_list(*, user):
    return UpperVisit.objects.visible_to(user).annotate(
        request_count=Count("requests"),
        open_count=Count("requests", filter=Q(requests__status__in=["todo", "doing", "returned"])),
    )


def visit_get(*, user, pk) -> UpperVisit:
    return get_object_or_404(UpperVisit.objects.visible_to(user).select_related("created_by"), pk=pk)


def request_search(qs, words: str):
    """The register's one search (page, export): the request's title or detail, or the owner unit's name."""
    return qs.filter(Q(title__icontains=words) | Q(detail__icontains=words) | Q(owner_unit__name__icontains=words))


def request_list(*, user, visit=None):
    """交办事项 the user may see (of one visit, if given), by due date; RequestFilterSet filters them."""
    qs = UpperRequest.objects.visible_to(user).select_related("visit", "owner_unit", "owner").order_by("due_date", "pk")
    return qs.filter(visit=visit) if visit is not None else qs


def request_get(*, user, pk) -> UpperRequest:
    qs = UpperRequest.objects.visible_to(user).select_related("visit", "owner_unit", "owner", "created_by")
    return get_object_or_404(qs, pk=pk)


def request_tasks(*, user, request: UpperRequest):
    """The request's rectification tasks (整改台账, 来源 上级巡视巡察) that the user may see, with their status."""
    from .models import RectificationTask

    return (
        RectificationTask.objects.visible_to(user, named=True)
        .filter(upper_request=request)
        .select_related("responsible_unit", "handler")
        .order_by("due_date", "pk")
    )


def request_events(request):
    return UpperRequestEvent.objects.filter(request=request).select_related("actor")


def attachment_get(*, user, pk) -> UpperRequestAttachment:
    return get_object_or_404(
        UpperRequestAttachment.objects.filter(request__in=UpperRequest.objects.visible_to(user).values("pk")), pk=pk
    )


def has_requests(user) -> bool:
    return user.is_authenticated and UpperRequest.objects.filter(owner=user).exists()
