"""巡察工作规划: term, scope with the year each unit is planned for, yearly coverage milestones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.paging import paginate
from xuncha.rates import rate
from xuncha.roles import require_manage, require_oversight
from xuncha.setup import plan_initial
from xuncha.submissions import resubmission_leads_to_first_result

from .. import selectors, services
from ..filtersets import ScopeFilterSet
from ..forms import MilestoneForm, PlanForm, PlannedYearForm, ScopeAddForm
from ..models import Milestone, Plan, PlanUnit
from .common import call_create, call_service, can_manage, edit_page, history_of


@login_required
def plan_list(request):
    plans = selectors.plan_list(user=request.user)
    return render(request, "rounds/plan_list.html", {"plans": plans, "can_manage": can_manage(request.user)})


def _plan_page(request, plan, *, scope_add_form=None, milestone_form=None):
    filterset = ScopeFilterSet(request.GET, queryset=selectors.plan_scope(plan=plan), request=request)
    filters = filterset.form
    page = paginate(request, filterset.qs)
    covered, total = selectors.plan_coverage(plan)
    return render(
        request,
        "rounds/plan_detail.html",
        {
            "plan": plan,
            "filters": filters,
            "page": page,
            "covered": covered,
            "total": total,
            "rate": rate(covered, total) or 0,  # rounded as the dashboard rounds it
            "milestones": plan.milestones.all(),
            "rounds": plan.rounds.all(),
            "years": range(plan.start_year, plan.end_year + 1),
            "scope_add_form": scope_add_form or ScopeAddForm(plan=plan),
            "milestone_form": milestone_form or MilestoneForm(),
            "can_manage": can_manage(request.user),
            # Scope and milestones change on this page: their changes show in its history.
            **history_of(
                plan,
                related=[
                    (_("规划范围"), PlanUnit.history.filter(plan_id=plan.pk)),
                    (_("年度目标"), Milestone.history.filter(plan_id=plan.pk)),
                ],
            ),
        },
    )


@login_required
def plan_detail(request, pk):
    require_oversight(request.user)
    return _plan_page(request, get_object_or_404(Plan, pk=pk))


@login_required
@resubmission_leads_to_first_result
def plan_edit(request, pk=None):
    require_manage(request.user)
    plan = get_object_or_404(Plan, pk=pk) if pk else None
    form = PlanForm(request.POST or None, instance=plan, initial=None if plan else plan_initial())
    if request.method == "POST" and form.is_valid():
        if plan is None:
            saved = call_create(
                form,
                services.plan_create,
                request=request,
                detail="rounds:plan_detail",
                actor=request.user,
                **form.cleaned_data,
            )
        else:
            saved = call_service(form, services.plan_update, actor=request.user, plan=plan, **form.cleaned_data)
        if saved:
            messages.success(request, _("已保存规划“%(name)s”。") % {"name": saved.name})
            return redirect("rounds:plan_detail", saved.pk)
    plans = (_("巡察工作规划"), reverse("rounds:plan_list"))
    if plan is None:
        return edit_page(request, form, heading=_("制定巡察规划"), cancel_url=plans[1], crumbs=[plans])
    here = reverse("rounds:plan_detail", args=[plan.pk])
    return edit_page(request, form, heading=_("修改巡察规划"), cancel_url=here, crumbs=[plans, (plan.name, here)])


@login_required
@require_POST
def scope_add(request, pk):
    require_manage(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    form = ScopeAddForm(request.POST, plan=plan)
    if form.is_valid():
        units = form.selected_units()
        added = call_service(
            form,
            services.plan_scope_add,
            actor=request.user,
            plan=plan,
            units=units,
            planned_year=form.cleaned_data["planned_year"],
        )
        if added is not None:
            if added:
                messages.success(request, _("已将 %(n)s 个单位纳入巡察范围。") % {"n": added})
            else:
                messages.warning(request, _("没有可纳入的单位：所选单位均已在范围内或已停用。"))
            return redirect("rounds:plan_detail", plan.pk)
    return _plan_page(request, plan, scope_add_form=form)


@login_required
@require_POST
def scope_year(request, pk):
    require_manage(request.user)
    entry = get_object_or_404(PlanUnit.objects.select_related("plan", "unit"), pk=pk)
    form = PlannedYearForm(request.POST, instance=entry)
    if form.is_valid() and call_service(
        form, services.plan_scope_set_year, actor=request.user, entry=entry, **form.cleaned_data
    ):
        messages.success(
            request, _("%(unit)s 计划于 %(year)s 年巡察。") % {"unit": entry.unit.name, "year": entry.planned_year}
        )
    else:
        messages.error(request, " ".join(form.errors.get("planned_year", []) + form.non_field_errors()))
    return redirect("rounds:plan_detail", entry.plan_id)


@login_required
@require_POST
def scope_remove(request, pk):
    require_manage(request.user)
    entry = get_object_or_404(PlanUnit.objects.select_related("unit"), pk=pk)
    services.plan_scope_remove(actor=request.user, entry=entry)
    messages.success(request, _("已将%(unit)s移出巡察范围。") % {"unit": entry.unit.name})
    return redirect("rounds:plan_detail", entry.plan_id)


@login_required
@require_POST
def milestone_set(request, pk):
    require_manage(request.user)
    plan = get_object_or_404(Plan, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid() and call_service(
        form, services.milestone_set, actor=request.user, plan=plan, **form.cleaned_data
    ):
        messages.success(request, _("已设定 %(year)s 年覆盖目标。") % {"year": form.cleaned_data["year"]})
        return redirect("rounds:plan_detail", plan.pk)
    return _plan_page(request, plan, milestone_form=form)


@login_required
@require_POST
def milestone_remove(request, pk):
    require_manage(request.user)
    milestone = get_object_or_404(Milestone, pk=pk)
    services.milestone_remove(actor=request.user, milestone=milestone)
    messages.success(request, _("已删除 %(year)s 年覆盖目标。") % {"year": milestone.year})
    return redirect("rounds:plan_detail", milestone.plan_id)
