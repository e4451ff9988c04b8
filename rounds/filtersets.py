"""The registry, people pool, plans, rounds and inspections lists' filters and sorts, declared once: the page, its
.xlsx export and the API use these."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.filtersets import DefaultChoiceFilter, IdFilter, ListFilterSet, SortFilter
from xuncha.lookups import SearchSelect

from . import selectors
from .choices import InspectionKind, RoundStatus, Specialty, Stage, UnitKind
from .forms import TOWNSHIPS
from .models import Inspection, Inspector, PartyUnit, Plan, PlanUnit, Round

ANY = _("全部")


class UnitFilterSet(ListFilterSet):
    """巡察对象名录: over `selectors.unit_list(user=…, plan=…)` (coverage in the current plan)."""

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", widget=forms.TextInput(attrs={"placeholder": _("单位名称")})
    )
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=UnitKind.choices, empty_label=ANY)
    parent = django_filters.ModelChoiceFilter(
        label=_("所属乡镇"),
        queryset=PartyUnit.objects.none(),
        empty_label=ANY,
        method="filter_parent",
        widget=SearchSelect(TOWNSHIPS),
    )
    coverage = django_filters.ChoiceFilter(
        label=_("本规划覆盖"),
        choices=[("covered", _("已覆盖")), ("uncovered", _("未覆盖（在范围内）")), ("out_of_scope", _("不在规划范围"))],
        empty_label=ANY,
        method="filter_coverage",
    )
    status = DefaultChoiceFilter(
        label=_("状态"),
        choices=[("active", _("在册")), ("inactive", _("已停用")), ("all", _("全部"))],
        empty_label=None,
        default="active",
        lookups={"active": Q(is_active=True), "inactive": Q(is_active=False), "all": None},
    )
    sort = SortFilter(
        columns={"name": ("name",), "kind": ("kind", "name"), "parent": ("parent__name",), "year": ("planned_year",)}
    )

    search = staticmethod(selectors.unit_search)

    class Meta:
        model = PartyUnit
        fields = []

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan if plan is not None else selectors.current_plan()
        super().__init__(*args, **kwargs)

    def setup(self):
        self.filters["parent"].queryset = selectors.townships()

    def filter_parent(self, queryset, name, value):
        return queryset.filter(Q(parent=value) | Q(pk=value.pk))

    def filter_coverage(self, queryset, name, value):
        return selectors.units_by_coverage(queryset, value, self.plan)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ScopeFilterSet(ListFilterSet):
    """A plan's scope (规划范围, on the plan's page): over `selectors.plan_scope(plan=…)`."""

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", widget=forms.TextInput(attrs={"placeholder": _("单位名称")})
    )
    kind = django_filters.ChoiceFilter(
        label=_("类别"), field_name="unit__kind", choices=UnitKind.choices, empty_label=ANY
    )
    parent = django_filters.ModelChoiceFilter(
        label=_("所属乡镇"),
        queryset=PartyUnit.objects.none(),
        empty_label=ANY,
        method="filter_parent",
        widget=SearchSelect(TOWNSHIPS),
    )
    year = YearFilter(label=_("计划年度"), field_name="planned_year", min_value=1, max_value=9999)

    search = staticmethod(lambda queryset, words: queryset.filter(unit__name__icontains=words))

    class Meta:
        model = PlanUnit
        fields = []

    def setup(self):
        self.filters["parent"].queryset = selectors.townships()

    def filter_parent(self, queryset, name, value):
        return queryset.filter(Q(unit__parent=value) | Q(unit=value))


class InspectorFilterSet(ListFilterSet):
    """巡察人才库: over `selectors.inspector_list(user=…)`."""

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", widget=forms.TextInput(attrs={"placeholder": _("姓名、单位或职级")})
    )
    specialty = django_filters.ChoiceFilter(
        label=_("专业特长"), choices=Specialty.choices, empty_label=ANY, method="filter_specialty"
    )
    pool = DefaultChoiceFilter(
        label=_("组长库"),
        choices=[("", ANY), ("yes", _("在组长库")), ("no", _("不在组长库"))],
        empty_label=None,
        default="",
        lookups={"yes": Q(in_leader_pool=True), "no": Q(in_leader_pool=False)},
    )
    status = DefaultChoiceFilter(
        label=_("状态"),
        choices=[("active", _("在库")), ("inactive", _("已出库")), ("all", _("全部"))],
        empty_label=None,
        default="active",
        lookups={"active": Q(is_active=True), "inactive": Q(is_active=False), "all": None},
    )
    sort = SortFilter(columns={"name": ("name",), "unit": ("home_unit__name",), "rank": ("rank",)})

    search = staticmethod(selectors.inspector_search)

    class Meta:
        model = Inspector
        fields = []

    def filter_specialty(self, queryset, name, value):
        return queryset.filter(specialties__icontains=f'"{value}"')


class PlanFilterSet(ListFilterSet):
    """巡察工作规划 (the API's list)."""

    sort = SortFilter(columns={"start": ("start_year",), "name": ("name",)})
    search = staticmethod(lambda qs, words: qs.filter(name__icontains=words))

    class Meta:
        model = Plan
        fields = []


class RoundFilterSet(ListFilterSet):
    """巡察轮次: over `selectors.round_list(user=…)` (the page) or the rounds a group works in (export, API)."""

    plan = IdFilter(label=_("规划"), field_name="plan_id")
    year = django_filters.NumberFilter(label=_("年度"), field_name="year")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RoundStatus.choices, empty_label=ANY)
    sort = SortFilter(
        columns={"round": ("year", "number"), "start": ("start_date",), "status": ("status",), "theme": ("theme",)}
    )

    search = staticmethod(lambda qs, words: qs.filter(theme__icontains=words))

    class Meta:
        model = Round
        fields = []


class InspectionFilterSet(ListFilterSet):
    """巡察任务: over `selectors.inspection_list(user=…)`."""

    q = django_filters.CharFilter(
        label=_("搜索"), method="filter_search", widget=forms.TextInput(attrs={"placeholder": _("单位名称")})
    )
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices, empty_label=ANY)
    round = IdFilter(label=_("轮次"), field_name="round_id", widget=forms.HiddenInput)
    group = IdFilter(label=_("巡察组"), field_name="group_id", widget=forms.HiddenInput)
    unit = IdFilter(label=_("被巡察单位"), field_name="unit_id", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(
        label=_("巡察类型"), choices=InspectionKind.choices, empty_label=ANY, widget=forms.HiddenInput
    )
    sort = SortFilter(
        columns={
            "unit": ("unit__name",),
            "group": ("group__order", "group__name"),
            "kind": ("kind",),
            "stage": ("stage",),
            "entry": ("entry_date",),
            "onsite_end": ("onsite_end_date",),
            "feedback": ("feedback_date",),
        }
    )

    search = staticmethod(selectors.inspection_search)

    class Meta:
        model = Inspection
        fields = []
