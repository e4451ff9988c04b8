from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from rounds.choices import Stage
from rounds.models import Inspection
from xuncha.forms import add_service_errors
from xuncha.paging import paginate
from xuncha.roles import PERM_MANAGE, require_manage, require_oversight
from xuncha.submissions import create_once, resubmission_leads_to_first_result

from .. import services
from ..forms import FeedbackForm
from ..models import Feedback, RectificationTask
from ..services.feedback import feedback_candidates


@login_required
def feedback_list(request):
    """Inspections waiting for their feedback, then the feedbacks given (newest first)."""
    require_oversight(request.user)
    waiting = (
        Inspection.objects.visible_to(request.user)
        .filter(stage=Stage.FEEDBACK, feedback__isnull=True)
        .select_related("round", "group", "unit")
    )
    given = (
        Feedback.objects.visible_to(request.user)
        .select_related("inspection__round", "inspection__group", "inspection__unit", "given_by")
        .annotate(
            n_findings=Count("findings"),
            # 整改通知书 is offered where the unit has tasks from this inspection (the overseers see them all).
            has_notice=Exists(
                RectificationTask.objects.filter(
                    finding__inspection_id=OuterRef("inspection_id"),
                    responsible_unit_id=OuterRef("inspection__unit_id"),
                )
            ),
        )
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "rectification/feedback_list.html",
        {"waiting": waiting, "page": paginate(request, given), "is_office": request.user.has_perm(PERM_MANAGE)},
    )


@login_required
@resubmission_leads_to_first_result
def feedback_create(request, inspection_pk):
    require_manage(request.user)
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("round", "group", "unit"),
        pk=inspection_pk,
        stage=Stage.FEEDBACK,
        feedback__isnull=True,
    )
    form = FeedbackForm(request.POST or None, candidates=feedback_candidates(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            feedback = create_once(
                request,
                form,
                lambda: services.feedback_give(
                    actor=request.user,
                    inspection=inspection,
                    date=form.cleaned_data["date"],
                    findings=form.cleaned_data["findings"],
                ),
                lambda made: reverse("rectification:unassigned"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记反馈并移交 %(n)d 个问题；整改方案须于 %(due)s 前报送。请为每个问题分解整改任务。")
                % {"n": feedback.findings.count(), "due": f"{feedback.plan_due:%Y-%m-%d}"},
            )
            return redirect("rectification:unassigned")
    return render(request, "rectification/feedback_form.html", {"form": form, "inspection": inspection})
