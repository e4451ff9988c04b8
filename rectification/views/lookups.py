"""Choices for the searchable selects of the rectification forms (xuncha/lookups.py): each lookup builds the form
as its page does and answers from that form's field, behind the same door as the page."""

from rounds.selectors import plan_name_q, round_label_q
from xuncha.lookups import lookup_view
from xuncha.params import parse_id
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


def _staff_form(request):
    # The people of the unit the page's form has chosen (?unit=), by the rule the form checks a post against.
    require_manage(request.user)
    return TaskForm(unit=parse_id(request.GET.get("unit")))


def _spotcheck_form(request):
    require_manage(request.user)
    return SpotCheckForm()


ledger_units = lookup_view(_ledger_filter, "unit", search=UNIT)
ledger_rounds = lookup_view(_ledger_filter, "round", search=ROUND)
responsible_units = lookup_view(_task_form, "responsible_unit", search=UNIT)
# 责任领导, 经办人 (and the upper register's 承办人) share one rule: the staff of the chosen unit.
people = lookup_view(_staff_form, "handler", search=PERSON)
spotcheck_rounds = lookup_view(_spotcheck_form, "round", search=ROUND)
