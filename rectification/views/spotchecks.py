from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.forms import add_service_errors
from xuncha.paging import paginate
from xuncha.roles import PERM_MANAGE, require_manage, require_oversight
from xuncha.submissions import create_once, resubmission_leads_to_first_result

from .. import services
from ..choices import SpotCheckResult
from ..forms import SpotCheckForm, SpotCheckResultForm
from ..models import SpotCheck, SpotCheckItem
from .common import error_text


def _list(request, form, status=200):
    checks = (
        SpotCheck.objects.select_related("round", "drawn_by")
        .annotate(
            n_items=Count("items"),
            n_failed=Count("items", filter=Q(items__result=SpotCheckResult.FAILED)),
            n_pending=Count("items", filter=Q(items__result=SpotCheckResult.PENDING)),
        )
        .order_by("-drawn_at", "-pk")
    )
    return render(
        request,
        "rectification/spotcheck_list.html",
        {"page": paginate(request, checks), "form": form, "is_office": request.user.has_perm(PERM_MANAGE)},
        status=status,
    )


@login_required
def spotcheck_list(request):
    require_oversight(request.user)
    return _list(request, SpotCheckForm())


@login_required
@require_POST
@resubmission_leads_to_first_result
def spotcheck_create(request):
    require_manage(request.user)
    form = SpotCheckForm(request.POST)
    if form.is_valid():
        try:
            check = create_once(
                request,
                form,
                lambda: services.spotcheck_draw(actor=request.user, **form.cleaned_data),
                lambda made: reverse("rectification:spotcheck_detail", args=[made.pk]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("已抽取 %(n)d 项，随机种子 %(seed)d。") % {"n": check.sample_size, "seed": check.seed}
            )
            return redirect("rectification:spotcheck_detail", pk=check.pk)
    return _list(request, form, status=400)


@login_required
def spotcheck_detail(request, pk):
    require_oversight(request.user)
    check = get_object_or_404(SpotCheck.objects.select_related("round", "drawn_by"), pk=pk)
    items = check.items.select_related(
        "task__responsible_unit",
        "task__finding",
        "inspection__unit",
        "inspection__group",
        "inspection__round",
        "checked_by",
    ).order_by("pk")
    return render(
        request,
        "rectification/spotcheck_detail.html",
        {
            "check": check,
            "items": items,
            "result_form": SpotCheckResultForm(),
            "is_office": request.user.has_perm(PERM_MANAGE),
            "Result": SpotCheckResult,
        },
    )


@login_required
@require_POST
def spotcheck_item_record(request, pk):
    require_manage(request.user)
    item = get_object_or_404(SpotCheckItem, pk=pk)
    form = SpotCheckResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择核查结果。"))
    else:
        try:
            services.spotcheck_record(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            failed = form.cleaned_data["result"] == SpotCheckResult.FAILED
            messages.success(
                request,
                _("已登记核查未通过，相关整改任务已重新打开。") if failed and item.task_id else _("已登记核查结果。"),
            )
    return redirect("rectification:spotcheck_detail", pk=item.spot_check_id)
