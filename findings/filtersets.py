"""The findings and clues lists' filters and sorts, declared once: the page, its .xlsx export and the API use these."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rounds.choices import InspectionKind
from rounds.models import InspectionGroup, PartyUnit, Round
from xuncha.filtersets import IdFilter, ListFilterSet, SortFilter, YesNoFilter
from xuncha.lookups import SearchSelect

from . import selectors
from .choices import ClueStatus, Disposition, ReceivingBody, ReviewState, Source
from .forms import InspectionChoiceField, grouped_category_choices
from .models import Clue, Finding, FindingCategory

ALL = _("全部")


class InspectionFilter(django_filters.ModelChoiceFilter):
    field_class = InspectionChoiceField


class CategoryFilter(django_filters.ModelChoiceFilter):
    field_class = (
        forms.ModelChoiceField
    )  # Django's own: its choices are set to the grouped tree (FindingFilterSet.form)


class FindingFilterSet(ListFilterSet):
    """问题底稿: over `selectors.finding_list(user=…)`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search")
    round = django_filters.ModelChoiceFilter(
        label=_("轮次"), field_name="inspection__round", queryset=Round.objects.none(), empty_label=ALL
    )
    group = django_filters.ModelChoiceFilter(
        label=_("巡察组"), field_name="inspection__group", queryset=InspectionGroup.objects.none(), empty_label=ALL
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("被巡察单位"),
        field_name="inspection__unit",
        queryset=PartyUnit.objects.none(),
        empty_label=ALL,
        widget=SearchSelect(reverse_lazy("findings:lookup_finding_units")),
    )
    inspection = InspectionFilter(
        label=_("巡察任务"),
        queryset=None,
        widget=SearchSelect(reverse_lazy("findings:lookup_finding_inspections")),
    )
    category = CategoryFilter(label=_("问题类别"), queryset=FindingCategory.objects.all(), method="filter_category")
    review_state = django_filters.ChoiceFilter(label=_("审核状态"), choices=ReviewState.choices, empty_label=ALL)
    key_minority = YesNoFilter(label=_("关键少数"))
    immediate = YesNoFilter(label=_("立行立改"))
    # The export centre's older name for review_state (links and bookmarks keep working); not on the page.
    state = django_filters.ChoiceFilter(
        label=_("审核状态"), field_name="review_state", choices=ReviewState.choices, widget=forms.HiddenInput
    )
    source = django_filters.ChoiceFilter(label=_("问题来源"), choices=Source.choices, empty_label=ALL)
    kind = django_filters.ChoiceFilter(
        label=_("巡察类型"), field_name="inspection__kind", choices=InspectionKind.choices, empty_label=ALL
    )
    sort = SortFilter(
        columns={
            "number": ("inspection_id", "seq"),
            "title": ("title",),
            "inspection": ("inspection_id",),
            "category": ("category__name",),
            "state": ("review_state",),
            "created": ("created_at",),
        }
    )

    search = staticmethod(selectors.finding_search)

    class Meta:
        model = Finding
        fields = []

    def setup(self):
        if self.user is not None:
            inspections = selectors.finding_filter_inspections(self.user)
            self.filters["inspection"].queryset = inspections
            self.filters["round"].queryset = Round.objects.filter(pk__in=inspections.values("round_id")).select_related(
                "plan"
            )
            self.filters["group"].queryset = selectors.finding_filter_groups(self.user)
            self.filters["unit"].queryset = PartyUnit.objects.filter(pk__in=inspections.values("unit_id"))

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_categories_grouped", False):
            top, leaves = selectors.category_tree()
            category = form.fields["category"]
            category.choices = [("", ALL), (_("大类"), [(c.pk, c.name) for c in top])]
            category.choices += grouped_category_choices(leaves, blank=False)
            form._categories_grouped = True
        return form

    def filter_category(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(category=value) | Q(category__parent=value))


class ClueFilterSet(ListFilterSet):
    """问题线索: over `selectors.clue_list(user=…)`."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_search")
    inspection = InspectionFilter(
        label=_("巡察任务"), queryset=None, widget=SearchSelect(reverse_lazy("findings:lookup_clue_inspections"))
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ClueStatus.choices, empty_label=ALL)
    receiving_body = django_filters.ChoiceFilter(label=_("移交单位"), choices=ReceivingBody.choices, empty_label=ALL)
    disposition = django_filters.ChoiceFilter(label=_("处置方式"), choices=Disposition.choices, empty_label=ALL)
    overdue = django_filters.BooleanFilter(
        label=_("仅看逾期未反馈"), method="filter_overdue", widget=forms.CheckboxInput
    )
    round = IdFilter(label=_("轮次"), field_name="inspection__round_id")
    group = IdFilter(label=_("巡察组"), field_name="inspection__group_id")
    unit = IdFilter(label=_("被巡察单位"), field_name="inspection__unit_id")
    sort = SortFilter(
        columns={
            "inspection": ("inspection_id",),
            "body": ("receiving_body",),
            "transfer": ("transfer_date",),
            "due": ("feedback_due_date",),
            "status": ("status",),
            "created": ("created_at",),
        }
    )

    search = staticmethod(selectors.clue_search)

    class Meta:
        model = Clue
        fields = []

    def setup(self):
        if self.user is not None:
            self.filters["inspection"].queryset = selectors.clue_filter_inspections(self.user)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset
