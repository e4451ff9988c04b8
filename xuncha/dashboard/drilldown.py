"""The drill-down lists: for each figure family, the filters a link may carry and the rows they select.

Each list's filters are declared once, as a FilterSet (xuncha/filtersets.py) used by the page and its .xlsx
export. Its values are handed to the same selector functions the figures are counted with, so a list always
holds exactly the rows its figure counts. A filter that does not parse shows its error and no rows.
"""

from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from findings.choices import Disposition, PetitionChannel, PetitionStatus, ReceivingBody
from findings.exports import CLUES, FINDINGS
from findings.models import Clue, Finding, Petition
from findings.petition_exports import PETITIONS
from rectification.exports import LEDGER
from rectification.models import RectificationTask
from rounds.choices import Stage, UnitKind
from rounds.exports import INSPECTIONS
from rounds.models import Inspection, PlanUnit
from xuncha.exports import ExportSpec
from xuncha.filtersets import IdFilter, ListFilterSet, YesNoFilter

from . import selectors as s
from .exports import PLAN_UNITS, UNIT_RECTIFICATION


def row_id(label) -> IdFilter:
    return IdFilter(label=label, widget=forms.HiddenInput)


def with_blank(choices) -> list:
    return [("", _("全部"))] + list(choices)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class DrillDownFilterSet(ListFilterSet):
    """A figure's rows: the filters' values go to the figure's own selector (`rows`), over the dashboard's plan."""

    q = None  # no search, unless a list declares one
    row_model: type[models.Model]

    def __init__(self, data=None, queryset=None, *, scope: s.Scope | None = None, name: str = "", **kwargs):
        self.scope, self.name = scope, name
        if queryset is None:
            queryset = self.row_model._default_manager.none()
        super().__init__(data, queryset, **kwargs)

    def setup(self):
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_queryset(self, queryset):
        cleaned = self.form.cleaned_data
        return self.rows(self.scope, {name: cleaned.get(name) for name in self.filters})

    def rows(self, scope: s.Scope, d: dict) -> QuerySet:
        raise NotImplementedError

    def cleaned_filters(self) -> dict:
        """The log tells these rows from the whole list's: the dashboard's plan, then the figure's filters."""
        logged = {"dashboard": self.name, "plan": self.scope.plan.pk if self.scope else None}
        if self.is_bound and self.form.is_valid():
            logged |= {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        return logged


class UnitsFilter(DrillDownFilterSet):
    row_model = PlanUnit
    covered = YesNoFilter(label=_("已覆盖"))
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=UnitKind.choices, empty_label=_("全部"))
    year = IntegerFilter(label=_("计划年度"), min_value=1900, max_value=2999)

    def rows(self, scope, d):
        return (
            s.plan_units(scope.plan, covered=d["covered"], kind=d["kind"] or "", year=d["year"])
            .select_related("unit", "unit__parent")
            .order_by("planned_year", "pk")
        )


class InspectionsFilter(DrillDownFilterSet):
    row_model = Inspection
    round = row_id(_("轮次"))
    stage = django_filters.TypedChoiceFilter(
        label=_("阶段"), choices=with_blank(Stage.choices), coerce=int, empty_value=None
    )

    def rows(self, scope, d):
        return (
            s.plan_inspections(scope.plan, round_id=d["round"], stage=d["stage"])
            .select_related("round", "group", "unit")
            .order_by("-round__year", "-round__number", "group__order", "group__name", "unit__name", "pk")
        )


class FindingsFilter(DrillDownFilterSet):
    row_model = Finding
    category = row_id(_("问题类别"))
    key_minority = YesNoFilter(label=_("涉及关键少数"))

    def rows(self, scope, d):
        ids = None
        if d["category"] is not None:
            categories = s.category_tree()
            ids = s.subtree_ids(categories, d["category"]) if d["category"] in categories else set()
        return (
            s.plan_findings(scope.plan, category_ids=ids, key_minority=d["key_minority"])
            .select_related("inspection__unit", "inspection__round", "category", "category__parent")
            .order_by("-pk")
        )


class CluesFilter(DrillDownFilterSet):
    row_model = Clue
    body = django_filters.ChoiceFilter(label=_("移交单位"), choices=ReceivingBody.choices, empty_label=_("全部"))
    disposition = django_filters.ChoiceFilter(
        label=_("处置方式"),
        choices=[(s.NO_DISPOSITION, _("待处置")), *Disposition.choices],
        empty_label=_("全部"),
    )
    overdue = YesNoFilter(label=_("反馈逾期"))

    def rows(self, scope, d):
        return (
            s.plan_clues(
                scope.plan,
                scope.today,
                body=d["body"] or "",
                disposition=d["disposition"] or "",
                overdue=d["overdue"],
            )
            .select_related("inspection__unit", "inspection__round")
            .order_by("feedback_due_date", "pk")
        )


class PetitionsFilter(DrillDownFilterSet):
    row_model = Petition
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=PetitionChannel.choices, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(label=_("办理状态"), choices=PetitionStatus.choices, empty_label=_("全部"))

    def rows(self, scope, d):
        return (
            s.plan_petitions(scope.plan, channel=d["channel"] or "", status=d["status"] or "")
            .select_related("inspection__unit", "inspection__group", "subject_unit")
            .order_by("-received_date", "-pk")
        )


class TasksFilter(DrillDownFilterSet):
    row_model = RectificationTask
    round = row_id(_("轮次"))
    unit = row_id(_("责任单位"))
    closed = YesNoFilter(label=_("已销号"))
    overdue = YesNoFilter(label=_("已逾期"))
    bucket = django_filters.ChoiceFilter(
        label=_("逾期时长"),
        choices=[("1-30", _("1–30天")), ("31-90", _("31–90天")), ("90+", _("90天以上"))],
        empty_label=_("全部"),
    )

    def rows(self, scope, d):
        return (
            s.plan_tasks(
                scope.plan,
                scope.today,
                round_id=d["round"],
                unit_id=d["unit"],
                closed=d["closed"],
                overdue=d["overdue"],
                bucket=d["bucket"] or "",
            )
            .select_related("responsible_unit", "round", "finding")
            .order_by("due_date", "pk")
        )


class UnitRectificationFilter(DrillDownFilterSet):
    row_model = RectificationTask
    q = django_filters.CharFilter(label=_("单位名称"), max_length=100)

    def rows(self, scope, d):
        rows = s.tasks_by_unit(scope.plan, scope.today)
        q = (d["q"] or "").strip()
        return rows.filter(responsible_unit__name__icontains=q) if q else rows


@dataclass(frozen=True)
class DrillDown:
    filterset: type[DrillDownFilterSet]
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
