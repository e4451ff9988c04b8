"""The drill-down lists: for each figure family, the filters a link may carry and the rows they select.

The filters are parsed by a form and handed to the same selector functions the figures are counted
with, so a list always holds exactly the rows its figure counts.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from findings.choices import Disposition, PetitionChannel, PetitionStatus, ReceivingBody
from findings.exports import CLUES, FINDINGS
from findings.petition_exports import PETITIONS
from rectification.exports import LEDGER
from rounds.choices import Stage, UnitKind
from rounds.exports import INSPECTIONS
from xuncha.exports import ExportSpec

from . import selectors as s
from .exports import PLAN_UNITS, UNIT_RECTIFICATION

YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]


def yes_no(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "1", empty_value=None, required=False
    )


def row_id(label) -> forms.IntegerField:
    # Bounded to what the database can compare: a larger number is a form error, not a 500.
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


def with_blank(choices) -> list:
    return [("", _("全部"))] + list(choices)


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class UnitsFilter(FilterForm):
    covered = yes_no(_("已覆盖"))
    kind = forms.ChoiceField(label=_("类别"), choices=with_blank(UnitKind.choices), required=False)
    year = forms.IntegerField(label=_("计划年度"), required=False, min_value=1900, max_value=2999)

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        return (
            s.plan_units(scope.plan, covered=d["covered"], kind=d["kind"], year=d["year"])
            .select_related("unit", "unit__parent")
            .order_by("planned_year", "pk")
        )


class InspectionsFilter(FilterForm):
    round = row_id(_("轮次"))
    stage = forms.TypedChoiceField(
        label=_("阶段"), choices=with_blank(Stage.choices), coerce=int, empty_value=None, required=False
    )

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        return (
            s.plan_inspections(scope.plan, round_id=d["round"], stage=d["stage"])
            .select_related("round", "group", "unit")
            .order_by("-round__year", "-round__number", "group__order", "group__name", "unit__name", "pk")
        )


class FindingsFilter(FilterForm):
    category = row_id(_("问题类别"))
    key_minority = yes_no(_("涉及关键少数"))

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        ids = None
        if d["category"] is not None:
            categories = s.category_tree()
            ids = s.subtree_ids(categories, d["category"]) if d["category"] in categories else set()
        return (
            s.plan_findings(scope.plan, category_ids=ids, key_minority=d["key_minority"])
            .select_related("inspection__unit", "inspection__round", "category", "category__parent")
            .order_by("-pk")
        )


class CluesFilter(FilterForm):
    body = forms.ChoiceField(label=_("移交单位"), choices=with_blank(ReceivingBody.choices), required=False)
    disposition = forms.ChoiceField(
        label=_("处置方式"),
        choices=with_blank([(s.NO_DISPOSITION, _("待处置")), *Disposition.choices]),
        required=False,
    )
    overdue = yes_no(_("反馈逾期"))

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        return (
            s.plan_clues(scope.plan, scope.today, body=d["body"], disposition=d["disposition"], overdue=d["overdue"])
            .select_related("inspection__unit", "inspection__round")
            .order_by("feedback_due_date", "pk")
        )


class PetitionsFilter(FilterForm):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=with_blank(PetitionChannel.choices), required=False)
    status = forms.ChoiceField(label=_("办理状态"), choices=with_blank(PetitionStatus.choices), required=False)

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        return (
            s.plan_petitions(scope.plan, channel=d["channel"], status=d["status"])
            .select_related("inspection__unit", "inspection__group", "subject_unit")
            .order_by("-received_date", "-pk")
        )


class TasksFilter(FilterForm):
    round = row_id(_("轮次"))
    unit = row_id(_("责任单位"))
    closed = yes_no(_("已销号"))
    overdue = yes_no(_("已逾期"))
    bucket = forms.ChoiceField(
        label=_("逾期时长"),
        choices=with_blank([("1-30", _("1–30天")), ("31-90", _("31–90天")), ("90+", _("90天以上"))]),
        required=False,
    )

    def rows(self, scope: s.Scope) -> QuerySet:
        d = self.cleaned_data
        return (
            s.plan_tasks(
                scope.plan,
                scope.today,
                round_id=d["round"],
                unit_id=d["unit"],
                closed=d["closed"],
                overdue=d["overdue"],
                bucket=d["bucket"],
            )
            .select_related("responsible_unit", "round", "finding")
            .order_by("due_date", "pk")
        )


class UnitRectificationFilter(FilterForm):
    q = forms.CharField(label=_("单位名称"), required=False, max_length=100)

    def rows(self, scope: s.Scope) -> QuerySet:
        rows = s.tasks_by_unit(scope.plan, scope.today)
        q = self.cleaned_data["q"].strip()
        return rows.filter(responsible_unit__name__icontains=q) if q else rows


@dataclass(frozen=True)
class DrillDown:
    form: type[forms.Form]
    title: Any
    template: str
    export: ExportSpec  # the rows as .xlsx (?export=xlsx): the columns of the list they belong to
    section: str  # where on the dashboard its figures are: the way back leads there


DRILLDOWNS = {
    "units": DrillDown(UnitsFilter, _("巡察范围内单位"), "dashboard/list_units.html", PLAN_UNITS, "coverage"),
    "inspections": DrillDown(
        InspectionsFilter, pgettext_lazy("list", "巡察任务"), "dashboard/list_inspections.html", INSPECTIONS, "rounds"
    ),
    "findings": DrillDown(FindingsFilter, _("已报告问题"), "dashboard/list_findings.html", FINDINGS, "findings"),
    "clues": DrillDown(CluesFilter, _("已移交问题线索"), "dashboard/list_clues.html", CLUES, "clues"),
    "petitions": DrillDown(PetitionsFilter, _("巡察信访件"), "dashboard/list_petitions.html", PETITIONS, "petitions"),
    "tasks": DrillDown(
        TasksFilter, pgettext_lazy("list", "整改任务"), "dashboard/list_tasks.html", LEDGER, "rectification"
    ),
    "unit_rectification": DrillDown(
        UnitRectificationFilter,
        _("各责任单位整改完成情况"),
        "dashboard/list_unit_rectification.html",
        UNIT_RECTIFICATION,
        "rectification",
    ),
}
