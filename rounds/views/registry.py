"""巡察对象库 and 巡察人才库: office writes, office and leadership read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds import exports
from xuncha.exports import export_response, wants_export
from xuncha.paging import paginate
from xuncha.roles import require_manage, require_oversight
from xuncha.submissions import resubmission_leads_to_first_result

from .. import selectors, services
from ..filtersets import InspectorFilterSet, UnitFilterSet
from ..forms import AvoidanceForm, InspectorForm, UnitForm
from ..models import Avoidance, Inspection, Inspector, PartyUnit
from .common import call_create, call_service, can_manage, edit_page, history_of

# --- Units ----------------------------------------------------------------------------------


@login_required
def unit_list(request):
    plan = selectors.current_plan()
    filterset = UnitFilterSet(
        request.GET, queryset=selectors.unit_list(user=request.user, plan=plan), request=request, plan=plan
    )
    if wants_export(request):
        return export_response(request, exports.UNITS, filterset=filterset)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "rounds/unit_list.html",
        {"filters": filterset.form, "page": page, "plan": plan, "can_manage": can_manage(request.user)},
    )


@login_required
def unit_detail(request, pk):
    require_oversight(request.user)
    units = PartyUnit.objects.select_related("parent", "head").prefetch_related("liaisons__user")
    unit = get_object_or_404(units, pk=pk)
    inspections = Inspection.objects.filter(unit=unit).select_related("round", "group")
    return render(
        request,
        "rounds/unit_detail.html",
        {
            "unit": unit,
            "inspections": inspections,
            "plan_entries": unit.plan_entries.select_related("plan"),
            "children": unit.children.order_by("name"),
            "can_manage": can_manage(request.user),
            **history_of(unit),
        },
    )


@login_required
@resubmission_leads_to_first_result
def unit_edit(request, pk=None):
    require_manage(request.user)
    unit = get_object_or_404(PartyUnit, pk=pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        if unit is None:
            saved = call_create(
                form,
                services.unit_create,
                request=request,
                detail="rounds:unit_detail",
                actor=request.user,
                **form.cleaned_data,
            )
        else:
            saved = call_service(form, services.unit_update, actor=request.user, unit=unit, **form.cleaned_data)
        if saved:
            messages.success(request, _("已保存巡察对象“%(name)s”。") % {"name": saved.name})
            return redirect("rounds:unit_detail", saved.pk)
    units = (_("巡察对象库"), reverse("rounds:unit_list"))
    if unit is None:
        return edit_page(request, form, heading=_("新增巡察对象"), cancel_url=units[1], crumbs=[units])
    here = reverse("rounds:unit_detail", args=[unit.pk])
    return edit_page(request, form, heading=_("修改巡察对象"), cancel_url=here, crumbs=[units, (unit.name, here)])


@login_required
@require_POST
def unit_set_active(request, pk, active):
    require_manage(request.user)
    unit = services.unit_set_active(actor=request.user, unit=get_object_or_404(PartyUnit, pk=pk), active=active)
    if active:
        messages.success(request, _("已恢复“%(name)s”。") % {"name": unit.name})
    else:
        messages.success(request, _("已停用“%(name)s”，其巡察记录保留。") % {"name": unit.name})
    return redirect("rounds:unit_detail", unit.pk)


# --- People pool ------------------------------------------------------------------------------


@login_required
def inspector_list(request):
    filterset = InspectorFilterSet(request.GET, queryset=selectors.inspector_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, exports.PEOPLE, filterset=filterset)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "rounds/inspector_list.html",
        {"filters": filterset.form, "page": page, "can_manage": can_manage(request.user)},
    )


def _inspector_page(request, inspector, avoidance_form=None, status=200):
    memberships = inspector.memberships.select_related("group", "group__round").order_by("-group__round__year")
    return render(
        request,
        "rounds/inspector_detail.html",
        {
            "inspector": inspector,
            "avoidances": inspector.avoidances.select_related("unit").order_by("unit__name"),
            "memberships": memberships,
            "avoidance_form": avoidance_form or AvoidanceForm(),
            "avoidance_log": Avoidance.history.filter(inspector_id=inspector.pk)
            .select_related("history_user", "unit")
            .order_by("-history_date")[:50],
            "can_manage": can_manage(request.user),
            **history_of(inspector),
        },
        status=status,
    )


@login_required
def inspector_detail(request, pk):
    require_oversight(request.user)
    return _inspector_page(request, get_object_or_404(Inspector.objects.select_related("home_unit", "user"), pk=pk))


@login_required
@resubmission_leads_to_first_result
def inspector_edit(request, pk=None):
    require_manage(request.user)
    inspector = get_object_or_404(Inspector, pk=pk) if pk else None
    form = InspectorForm(request.POST or None, instance=inspector)
    if request.method == "POST" and form.is_valid():
        if inspector is None:
            saved = call_create(
                form,
                services.inspector_create,
                request=request,
                detail="rounds:inspector_detail",
                actor=request.user,
                **form.cleaned_data,
            )
        else:
            saved = call_service(
                form, services.inspector_update, actor=request.user, inspector=inspector, **form.cleaned_data
            )
        if saved:
            messages.success(request, _("已保存“%(name)s”。") % {"name": saved.name})
            return redirect("rounds:inspector_detail", saved.pk)
    pool = (_("巡察人才库"), reverse("rounds:inspector_list"))
    if inspector is None:
        return edit_page(request, form, heading=_("新增巡察干部"), cancel_url=pool[1], crumbs=[pool])
    here = reverse("rounds:inspector_detail", args=[inspector.pk])
    return edit_page(
        request, form, heading=_("修改巡察干部信息"), cancel_url=here, crumbs=[pool, (inspector.name, here)]
    )


@login_required
@require_POST
@resubmission_leads_to_first_result
def avoidance_add(request, pk):
    require_manage(request.user)
    inspector = get_object_or_404(Inspector.objects.select_related("home_unit", "user"), pk=pk)
    form = AvoidanceForm(request.POST)
    if form.is_valid() and call_create(
        form,
        services.avoidance_declare,
        request=request,
        detail="rounds:inspector_detail",
        of=lambda made: made.inspector_id,
        actor=request.user,
        inspector=inspector,
        **form.cleaned_data,
    ):
        messages.success(request, _("已登记回避%(unit)s。") % {"unit": form.cleaned_data["unit"].name})
        return redirect("rounds:inspector_detail", inspector.pk)
    return _inspector_page(request, inspector, avoidance_form=form)


@login_required
@require_POST
def avoidance_remove(request, pk):
    require_manage(request.user)
    avoidance = get_object_or_404(Avoidance.objects.select_related("unit"), pk=pk)
    services.avoidance_withdraw(actor=request.user, avoidance=avoidance)
    messages.success(request, _("已撤销对%(unit)s的回避申报。") % {"unit": avoidance.unit.name})
    return redirect("rounds:inspector_detail", avoidance.inspector_id)
