"""Choices for the searchable selects of the rounds forms (xuncha/lookups.py): each lookup builds the form as its
page does and answers from that form's field. Registry and plan choices are for office and leadership (the
filters) or the office alone (the forms that write); everyone else gets 404, as on the pages."""

from django.shortcuts import get_object_or_404

from xuncha.lookups import lookup_view
from xuncha.roles import require_manage, require_oversight

from .. import selectors
from ..filtersets import UnitFilterSet
from ..forms import (
    AvoidanceForm,
    InspectionAssignForm,
    InspectorForm,
    MembershipForm,
    ScopeAddForm,
    UnitForm,
)
from ..models import Inspector, PartyUnit, Plan

UNIT = ("name",)
PERSON = ("name",)
USER = ("username", "first_name", "last_name")


def _unit_filter(request):
    require_oversight(request.user)
    # Its 所属乡镇 is the same `townships()` as the scope filter's and the scope form's.
    return UnitFilterSet(user=request.user).form


def _unit_form(request, pk=None):
    require_manage(request.user)
    return UnitForm(instance=get_object_or_404(PartyUnit, pk=pk) if pk else None)


def _inspector_form(request, pk=None):
    require_manage(request.user)
    return InspectorForm(instance=get_object_or_404(Inspector, pk=pk) if pk else None)


def _avoidance_form(request):
    require_manage(request.user)
    return AvoidanceForm()


def _scope_form(request, pk):
    require_manage(request.user)
    return ScopeAddForm(plan=get_object_or_404(Plan, pk=pk))


def _member_form(request, pk):
    require_manage(request.user)
    return MembershipForm(group=selectors.group_get(user=request.user, pk=pk))


def _assign_form(request, pk):
    require_manage(request.user)
    return InspectionAssignForm(group=selectors.group_get(user=request.user, pk=pk))


townships = lookup_view(_unit_filter, "parent", search=UNIT)
unit_parents = lookup_view(_unit_form, "parent", search=UNIT)
home_units = lookup_view(_inspector_form, "home_unit", search=UNIT)
inspector_users = lookup_view(_inspector_form, "user", search=USER)
avoidance_units = lookup_view(_avoidance_form, "unit", search=UNIT)
scope_units = lookup_view(_scope_form, "units", search=UNIT)
group_inspectors = lookup_view(_member_form, "inspector", search=PERSON)
group_units = lookup_view(_assign_form, "unit", search=UNIT)
