"""三审 exception: the office allows (or withdraws) 组长兼复核 for a group without a deputy, with a reason."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.roles import require_manage

from .. import selectors, services
from .common import call_service


class ReviewExceptionForm(forms.Form):
    allowed = forms.BooleanField(required=False)
    reason = forms.CharField(label=gettext_lazy("理由"), max_length=200, required=False)


@login_required
@require_POST
def group_review_exception(request, pk):
    require_manage(request.user)
    group = selectors.group_get(user=request.user, pk=pk)
    form = ReviewExceptionForm(request.POST)
    if form.is_valid() and call_service(
        form, services.group_set_review_exception, actor=request.user, group=group, **form.cleaned_data
    ):
        messages.success(request, _("已登记%(group)s的三审例外。") % {"group": group.name})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("rounds:group_detail", group.pk)
