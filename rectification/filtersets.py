"""The rectification lists' filters and sorts, declared once: the page, its .xlsx export and the API use these."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rounds.models import PartyUnit, Round
from xuncha.filtersets import IdFilter, ListFilterSet, SortFilter
from xuncha.forms import DateField, DateInput
from xuncha.lookups import SearchSelect

from . import selectors
from .choices import ReminderState, Rung, TaskSource, TaskStatus, TermType
from .managers import due_soon_q, overdue_q
from .models import ProgressReport, RectificationTask, Reminder


class DateFilter(django_filters.DateFilter):
    field_class = DateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateInput())
        super().__init__(*args, **kwargs)


class TaskFilterSet(ListFilterSet):
    """整改台账: over `selectors.task_list(user=…)`."""

    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("搜索整改措施、问题、责任部门或问题编号"), "type": "search"}),
    )
    round = django_filters.ModelChoiceFilter(
        label=_("轮次"),
        queryset=Round.objects.none(),
        empty_label=_("全部轮次"),
        widget=SearchSelect(reverse_lazy("rectification:lookup_ledger_rounds")),
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="responsible_unit",
        label=_("责任部门"),
        queryset=PartyUnit.objects.none(),
        empty_label=_("全部责任部门"),
        widget=SearchSelect(reverse_lazy("rectification:lookup_ledger_units")),
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices, empty_label=_("全部状态"))
    term_type = django_filters.ChoiceFilter(label=_("时限类型"), choices=TermType.choices, empty_label=_("全部类型"))
    source = django_filters.ChoiceFilter(
        label=_("来源"), choices=TaskSource.choices, empty_label=_("全部来源"), method="filter_source"
    )
    overdue = django_filters.BooleanFilter(label=_("仅看逾期"), method="filter_overdue", widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(label=_("10日内到期"), method="filter_due_soon", widget=forms.CheckboxInput)
    inspection = IdFilter(label=_("巡察任务"), field_name="finding__inspection_id")
    group = IdFilter(label=_("巡察组"), field_name="finding__inspection__group_id")
    category = IdFilter(label=_("问题类别"), method="filter_category")
    due_from = DateFilter(label=_("整改时限起"), field_name="due_date", lookup_expr="gte")
    due_to = DateFilter(label=_("整改时限止"), field_name="due_date", lookup_expr="lte")
    sort = SortFilter(
        columns={
            "finding": ("finding__inspection_id", "finding__seq"),
            "unit": ("responsible_unit__name",),
            "term_type": ("term_type",),
            "due": ("due_date",),
            "progress": ("progress",),
            "status": ("status",),
        }
    )

    search = staticmethod(selectors.task_search)

    class Meta:
        model = RectificationTask
        fields = []

    def setup(self):
        if self.user is not None:
            self.filters["round"].queryset = selectors.task_rounds(user=self.user)
            self.filters["unit"].queryset = selectors.task_units(user=self.user)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.localdate())) if value else queryset

    def filter_due_soon(self, queryset, name, value):
        return queryset.filter(due_soon_q(timezone.localdate())) if value else queryset

    def filter_source(self, queryset, name, value):
        return queryset.filter(selectors.source_q(value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(Q(finding__category_id=value) | Q(finding__category__parent_id=value))


class ProgressReportFilterSet(ListFilterSet):
    """整改进展 (the API's list): over the reports of the tasks the user may see."""

    task = IdFilter(label=_("整改任务"), field_name="task_id")
    round = IdFilter(label=_("轮次"), field_name="task__round_id")
    unit = IdFilter(label=_("责任部门"), field_name="task__responsible_unit_id")
    sort = SortFilter(columns={"created": ("created_at",), "progress": ("progress",)})

    search = staticmethod(lambda qs, words: qs.filter(text__icontains=words))

    class Meta:
        model = ProgressReport
        fields = []


class ReminderFilterSet(ListFilterSet):
    """整改提醒: over `selectors.reminder_list(user=…)`."""

    rung = django_filters.ChoiceFilter(label=_("提醒级别"), choices=Rung.choices, empty_label=_("全部级别"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=ReminderState.choices, empty_label=_("全部状态"))
    unit = IdFilter(label=_("责任部门"), field_name="task__responsible_unit_id")
    round = IdFilter(label=_("轮次"), field_name="task__round_id")
    due_from = DateFilter(label=_("到期日期起"), field_name="due_date", lookup_expr="gte")
    due_to = DateFilter(label=_("到期日期止"), field_name="due_date", lookup_expr="lte")
    sort = SortFilter(
        columns={"rung": ("rung",), "due": ("due_date",), "state": ("state",), "created": ("created_at",)}
    )

    search = staticmethod(selectors.reminder_search)

    class Meta:
        model = Reminder
        fields = []
