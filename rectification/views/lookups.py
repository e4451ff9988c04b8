"""Choices for the searchable selects of the rectification forms (xuncha/lookups.py): each lookup builds the form
as its page does and answers from that form's field, behind the same door as the page."""

from rounds.selectors import plan_name_q, round_label_q
from xuncha.lookups import lookup_view
from xuncha.roles import require_manage

from ..filtersets import TaskFilterSet
from ..forms import SpotCheckForm, TaskForm
from .common import require_ledger

UNIT = ("name",)
ROUND = ("theme", plan_name_q, round_label_q)
PERSON = ("first_name", "last_name", "username")


def _ledger_filter(request):
    require_ledger(request.user)
    return TaskFilterSet(user=request.user).form


def _task_form(request):
    require_manage(request.user)
    return TaskForm()


def _spotcheck_form(request):
    require_manage(request.user)
    return SpotCheckForm()


ledger_units = lookup_view(_ledger_filter, "unit", search=UNIT)
ledger_rounds = lookup_view(_ledger_filter, "round", search=ROUND)
responsible_units = lookup_view(_task_form, "responsible_unit", search=UNIT)
people = lookup_view(_task_form, "handler", search=PERSON)  # 责任领导 and 经办人 share one queryset
spotcheck_rounds = lookup_view(_spotcheck_form, "round", search=ROUND)
