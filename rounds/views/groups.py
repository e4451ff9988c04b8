"""Rounds and their groups: deploy a round, form groups, add members, give groups their units."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rounds import exports
from xuncha.exports import export_response, wants_export
from xuncha.paging import paginate
from xuncha.roles import require_manage, require_oversight
from xuncha.submissions import resubmission_leads_to_first_result

from .. import selectors, services
from ..choices import RoundStatus
from ..filtersets import RoundFilterSet
from ..forms import (
    GroupForm,
    InspectionAssignForm,
    MembershipForm,
    RoleForm,
    RoundForm,
    SuggestionForm,
)
from ..models import GroupMembership, Inspection, Round
from .common import call_create, call_service, can_manage, edit_page, history_of

# --- Rounds ---------------------------------------------------------------------------------


@login_required
def round_list(request):
    filterset = RoundFilterSet(request.GET, queryset=selectors.round_list(user=request.user), request=request)
    if wants_export(request):
        return export_response(request, exports.ROUNDS, filterset=filterset)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "rounds/round_list.html",
        {"filters": filterset.form, "page": page, "can_manage": can_manage(request.user)},
    )


def _round_page(request, round_, group_form=None):
    groups = round_.groups.annotate(
        member_count=Count("memberships", distinct=True), inspection_count=Count("inspections", distinct=True)
    ).order_by("order", "name")  # an aggregate query ignores Meta.ordering
    inspections = round_.inspections.select_related("unit", "group").order_by(
        "group__order", "group__name", "unit__name"
    )
    return render(
        request,
        "rounds/round_detail.html",
        {
            "round": round_,
            "groups": groups,
            "inspections": inspections,
            "group_form": group_form or GroupForm(round=round_),
            "can_manage": can_manage(request.user),
            **history_of(round_),
        },
    )


@login_required
def round_detail(request, pk):
    require_oversight(request.user)
    return _round_page(request, get_object_or_404(Round.objects.select_related("plan"), pk=pk))


@login_required
@resubmission_leads_to_first_result
def round_edit(request, pk=None):
    require_manage(request.user)
    round_ = get_object_or_404(Round, pk=pk) if pk else None
    initial = {}
    if round_ is None:
        plan = selectors.current_plan()
        if plan:
            latest = plan.rounds.order_by("-number").first()
            year = min(max(timezone.localdate().year, plan.start_year), plan.end_year)
            initial = {"plan": plan, "number": (latest.number + 1) if latest else 1, "year": year}
    form = RoundForm(request.POST or None, instance=round_, initial=initial)
    if request.method == "POST" and form.is_valid():
        if round_ is None:
            saved = call_create(
                form,
                services.round_create,
                request=request,
                detail="rounds:round_detail",
                actor=request.user,
                **form.cleaned_data,
            )
        else:
            saved = call_service(form, services.round_update, actor=request.user, round=round_, **form.cleaned_data)
        if saved:
            messages.success(request, _("已保存%(round)s。") % {"round": saved})
            return redirect("rounds:round_detail", saved.pk)
    rounds = (_("巡察轮次"), reverse("rounds:round_list"))
    if round_ is None:
        return edit_page(request, form, heading=_("部署巡察轮次"), cancel_url=rounds[1], crumbs=[rounds])
    here = reverse("rounds:round_detail", args=[round_.pk])
    return edit_page(request, form, heading=_("修改巡察轮次"), cancel_url=here, crumbs=[rounds, (str(round_), here)])


@login_required
@require_POST
@resubmission_leads_to_first_result
def group_create(request, pk):
    require_manage(request.user)
    round_ = get_object_or_404(Round, pk=pk)
    form = GroupForm(request.POST, round=round_)
    if form.is_valid():
        group = call_create(
            form,
            services.group_create,
            request=request,
            detail="rounds:group_detail",
            actor=request.user,
            round=round_,
            **form.cleaned_data,
        )
        if group:
            messages.success(request, _("已组建%(name)s，请添加成员并分配被巡察单位。") % {"name": group.name})
            return redirect("rounds:group_detail", group.pk)
    return _round_page(request, round_, group_form=form)


# --- Groups --------------------------------------------------------------------------------


def _group_page(request, group, *, member_form=None, assign_form=None):
    # A finished round's group is history: no forms to add members or assign units (the services refuse too).
    round_open = group.round.status != RoundStatus.CLOSED
    manage = can_manage(request.user) and round_open
    context = {
        "round_open": round_open,
        "group": group,
        "memberships": selectors.group_memberships(group),
        "inspections": selectors.group_inspections(group),
        "can_manage": manage,
        "membership_log": selectors.membership_log(group),
        **history_of(group),
    }
    if manage:
        suggestion_form = SuggestionForm(request.GET)
        context |= {
            "member_form": member_form or MembershipForm(group=group),
            "assign_form": assign_form or InspectionAssignForm(group=group),
            "role_choices": RoleForm.base_fields["role"].choices,
            "suggestion_form": suggestion_form,
            "suggestions": selectors.membership_suggestions(group=group, **suggestion_form.values()),
        }
    return render(request, "rounds/group_detail.html", context)


@login_required
def group_detail(request, pk):
    return _group_page(request, selectors.group_get(user=request.user, pk=pk))


@login_required
@require_POST
@resubmission_leads_to_first_result
def membership_add(request, pk):
    require_manage(request.user)
    group = selectors.group_get(user=request.user, pk=pk)
    form = MembershipForm(request.POST, group=group)
    if form.is_valid():
        membership = call_create(
            form,
            services.membership_add,
            request=request,
            detail="rounds:group_detail",
            of=lambda made: made.group_id,
            actor=request.user,
            group=group,
            **form.cleaned_data,
        )
        if membership:
            messages.success(
                request,
                _("%(person)s 已加入%(group)s，任%(role)s。")
                % {"person": membership.inspector.name, "group": group.name, "role": membership.get_role_display()},
            )
            return redirect("rounds:group_detail", group.pk)
    return _group_page(request, group, member_form=form)


@login_required
@require_POST
def membership_role(request, pk):
    require_manage(request.user)
    membership = get_object_or_404(GroupMembership.objects.select_related("group", "inspector"), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid() and call_service(
        form, services.membership_change_role, actor=request.user, membership=membership, **form.cleaned_data
    ):
        messages.success(
            request,
            _("%(person)s 现任%(role)s。")
            % {"person": membership.inspector.name, "role": membership.get_role_display()},
        )
    else:
        messages.error(request, " ".join(form.non_field_errors() + form.errors.get("role", [])))
    return redirect("rounds:group_detail", membership.group_id)


@login_required
@require_POST
def membership_remove(request, pk):
    require_manage(request.user)
    membership = get_object_or_404(GroupMembership.objects.select_related("group", "inspector__user"), pk=pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rounds:group_detail", membership.group_id)
    messages.success(
        request,
        _("%(person)s 已退出%(group)s，其本组权限已收回。")
        % {"person": membership.inspector.name, "group": membership.group.name},
    )
    return redirect("rounds:group_detail", membership.group_id)


@login_required
@require_POST
@resubmission_leads_to_first_result
def inspection_assign(request, pk):
    require_manage(request.user)
    group = selectors.group_get(user=request.user, pk=pk)
    form = InspectionAssignForm(request.POST, group=group)
    if form.is_valid():
        try:
            inspection = call_create(
                form,
                services.inspection_assign,
                request=request,
                detail="rounds:group_detail",
                of=lambda made: made.group_id,
                actor=request.user,
                group=group,
                **form.cleaned_data,
            )
        except services.NeedsConfirmation as exc:
            form.ask_confirmation(exc.messages)
            inspection = None
        if inspection:
            messages.success(
                request,
                _("已将%(unit)s（%(kind)s）分配给%(group)s。")
                % {"unit": inspection.unit.name, "kind": inspection.get_kind_display(), "group": group.name},
            )
            return redirect("rounds:group_detail", group.pk)
    return _group_page(request, group, assign_form=form)


@login_required
@require_POST
def inspection_unassign(request, pk):
    require_manage(request.user)
    inspection = get_object_or_404(Inspection.objects.select_related("unit", "group"), pk=pk)
    try:
        services.inspection_unassign(actor=request.user, inspection=inspection)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已撤销%(group)s对%(unit)s的巡察任务。") % {"group": inspection.group.name, "unit": inspection.unit.name},
        )
    return redirect("rounds:group_detail", inspection.group_id)
