from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from rectification import exports
from xuncha.exports import export_response, wants_export
from xuncha.paging import paginate
from xuncha.roles import roles_of

from .. import selectors
from ..filtersets import ReminderFilterSet


@login_required
def reminder_list(request):
    """整改提醒: every rung of the reminder ladder sent (or due to be sent) for the user's tasks and clues."""
    if not roles_of(request.user):
        raise Http404
    filterset = ReminderFilterSet(
        request.GET or None, queryset=selectors.reminder_list(user=request.user), request=request
    )
    if wants_export(request):
        return export_response(request, exports.REMINDERS, filterset=filterset)
    page = paginate(request, filterset.qs)
    return render(request, "rectification/reminder_list.html", {"form": filterset.form, "page": page})
