from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.paging import paginate

from .. import services
from ..models import Notification


@login_required
def inbox(request):
    notes = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread"):
        notes = notes.filter(read_at__isnull=True)
    return render(
        request,
        "rectification/inbox.html",
        {"page": paginate(request, notes), "unread_only": bool(request.GET.get("unread"))},
    )


@login_required
@require_POST
def inbox_read(request, pk):
    """Mark read, then follow the message's link (or come back to the inbox)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(actor=request.user, notification=note)
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("rectification:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    n = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %d 条消息标为已读。") % n)
    return redirect("rectification:inbox")
