"""Choices for the searchable selects of the findings and clues forms (xuncha/lookups.py): each lookup builds the
form as its page does and answers from that form's field, behind the same door as the page — a group sees only
its own inspections."""

from functools import partial

from django.http import Http404

from rounds.selectors import round_label_q
from xuncha.lookups import lookup_view

from .. import selectors
from ..filtersets import ClueFilterSet, FindingFilterSet
from ..forms import FindingForm

INSPECTION = ("unit__name", "group__name", partial(round_label_q, prefix="round__"))


def _finding_filter(request):
    if not selectors.reads_findings(request.user):
        raise Http404
    return FindingFilterSet(user=request.user).form


def _clue_filter(request):
    if not selectors.reads_clues(request.user):
        raise Http404
    return ClueFilterSet(user=request.user).form


def _new_finding_form(request):
    inspections = selectors.inspections_for_drafting(request.user)
    if not inspections.exists():
        raise Http404
    return FindingForm(inspections=inspections)


finding_inspections = lookup_view(_finding_filter, "inspection", search=INSPECTION)
finding_units = lookup_view(_finding_filter, "unit", search=("name",))
clue_inspections = lookup_view(_clue_filter, "inspection", search=INSPECTION)
drafting_inspections = lookup_view(_new_finding_form, "inspection", search=INSPECTION)
