"""The after-feedback lists' filters, declared once (xuncha/filtersets.py): 整改文书, 整改评估 and the
巡察结果运用 sheet (whose page, .xlsx and .docx read the same FilterSet)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.choices import UnitKind
from rounds.models import Plan, Round
from xuncha.filtersets import ListFilterSet

from . import after_selectors as selectors
from .choices import DocumentKind, Grade, Timeliness
from .models import Assessment, Feedback


def unit_search(path):
    return staticmethod(lambda queryset, words: queryset.filter(**{f"{path}__icontains": words}))


def unit_box():
    return django_filters.CharFilter(
        label=_("搜索"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("被巡察单位"), "type": "search"}),
    )


class DocumentFilterSet(ListFilterSet):
    """整改文书: over `after_selectors.feedback_documents(user=…, today=…)`, one row per feedback. A document's
    报送情况 and 文书 narrow together: the feedback has one document that is both."""

    q = unit_box()
    round = django_filters.ModelChoiceFilter(
        label=_("轮次"), field_name="inspection__round", queryset=Round.objects.all(), empty_label=_("全部轮次")
    )
    kind = django_filters.ChoiceFilter(
        label=_("文书"), choices=DocumentKind.choices, empty_label=_("全部文书"), method="filter_documents"
    )
    timeliness = django_filters.ChoiceFilter(
        label=_("报送情况"), choices=Timeliness.choices, empty_label=_("全部情况"), method="filter_documents"
    )

    search = unit_search("inspection__unit__name")

    class Meta:
        model = Feedback
        fields = []

    def __init__(self, *args, today=None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def filter_documents(self, queryset, name, value):
        return queryset  # both at once, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        return selectors.with_documents(queryset, self.today, timeliness=d.get("timeliness"), kind=d.get("kind"))


class AssessmentFilterSet(ListFilterSet):
    """整改评估: over `after_selectors.assessment_list(user=…)`."""

    q = unit_box()
    round = django_filters.ModelChoiceFilter(
        label=_("轮次"), field_name="inspection__round", queryset=Round.objects.all(), empty_label=_("全部轮次")
    )
    grade = django_filters.ChoiceFilter(label=_("等次"), choices=Grade.choices, empty_label=_("全部等次"))

    search = unit_search("unit__name")

    class Meta:
        model = Assessment
        fields = []


class ResultsFilterSet(ListFilterSet):
    """巡察结果运用: over `results.inspections_for_results(user=…)`; the access log keeps its cleaned filters."""

    q = None
    plan = django_filters.ModelChoiceFilter(
        label=_("届期（规划）"), field_name="round__plan", queryset=Plan.objects.all(), empty_label=_("全部届期")
    )
    round = django_filters.ModelChoiceFilter(label=_("轮次"), queryset=Round.objects.all(), empty_label=_("全部轮次"))
    unit_kind = django_filters.ChoiceFilter(
        label=_("单位类别"), field_name="unit__kind", choices=UnitKind.choices, empty_label=_("全部类别")
    )

    class Meta:
        model = None
        fields = []
