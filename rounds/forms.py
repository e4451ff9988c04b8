"""Forms validate input and keep what was typed; the writes happen in rounds.services."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.concurrency import VersionedForm
from xuncha.forms import DateField, DateInput, YearField
from xuncha.lookups import SearchSelect, SearchSelectMultiple
from xuncha.people import account_label
from xuncha.submissions import OnceForm

from .choices import InspectionKind, MemberRole, Specialty, Stage, UnitKind
from .models import Inspector, Milestone, PartyUnit, Plan, PlanUnit, Round
from .selectors import townships

ANY = [("", _("全部"))]
# The searchable selects' lookups (rounds/views/lookups.py) answer from these forms' own fields.
TOWNSHIPS = reverse_lazy("rounds:lookup_townships")


class FilterForm(forms.Form):
    """A GET form whose every field is optional, invalid values simply ignored (the group page's 推荐人选)."""

    def values(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {}
        for name, field in self.fields.items():
            value = cleaned.get(name)
            values[name] = value if value not in (None, "") else (field.initial or "")
        return values


class UnitForm(VersionedForm):
    class Meta:
        model = PartyUnit
        fields = ["name", "kind", "parent"]
        help_texts = {"parent": _("村(社区)党组织须选择所属乡镇。")}
        widgets = {"parent": SearchSelect(reverse_lazy("rounds:lookup_new_unit_parents"))}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = townships()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].widget.url = reverse("rounds:lookup_unit_parents", args=[self.instance.pk])
        self.fields["parent"].queryset = parents

    def clean(self):
        data = super().clean()
        if data.get("kind") == UnitKind.VILLAGE and not data.get("parent"):
            self.add_error("parent", _("村(社区)党组织须选择所属乡镇。"))
        return data


class InspectorForm(VersionedForm):
    specialties = forms.MultipleChoiceField(
        label=_("专业特长"), required=False, choices=Specialty.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Inspector
        fields = ["name", "user", "home_unit", "rank", "specialties", "in_leader_pool", "is_active"]
        help_texts = {
            "home_unit": _("本单位自动回避。"),
            "user": _("本人登录系统所用的账号，可不填。"),
        }
        widgets = {
            "home_unit": SearchSelect(reverse_lazy("rounds:lookup_home_units")),
            "user": SearchSelect(reverse_lazy("rounds:lookup_new_inspector_users")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_unit"].queryset = PartyUnit.objects.filter(is_active=True).order_by("kind", "name")
        linked = Inspector.objects.exclude(pk=self.instance.pk).exclude(user=None).values("user_id")
        self.fields["user"].queryset = get_user_model().objects.exclude(pk__in=linked).order_by("username")
        self.fields["user"].label_from_instance = account_label
        if self.instance.pk:
            self.fields["user"].widget.url = reverse("rounds:lookup_inspector_users", args=[self.instance.pk])


class AvoidanceForm(OnceForm):
    unit = forms.ModelChoiceField(
        label=_("回避单位"),
        queryset=PartyUnit.objects.none(),
        widget=SearchSelect(reverse_lazy("rounds:lookup_avoidance_units")),
    )
    reason = forms.CharField(label=_("回避事由"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PartyUnit.objects.filter(is_active=True).order_by("kind", "name")


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["name", "start_year", "end_year"]
        field_classes = {"start_year": YearField, "end_year": YearField}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("结束年度不能早于起始年度。"))
        return data


class ScopeAddForm(forms.Form):
    """Bulk add: every active unit of a kind and/or township that is not yet in scope."""

    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("任意类别"))] + UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("所属乡镇"), required=False, queryset=PartyUnit.objects.none(), widget=SearchSelect(TOWNSHIPS)
    )
    units = forms.ModelMultipleChoiceField(
        label=_("或逐个选择单位"), required=False, queryset=PartyUnit.objects.none(), widget=SearchSelectMultiple()
    )
    planned_year = forms.IntegerField(label=_("计划年度"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["parent"].queryset = townships()
        self.fields["parent"].empty_label = _("任意乡镇")
        self.fields["units"].queryset = (
            PartyUnit.objects.filter(is_active=True).exclude(plan_entries__plan=plan).order_by("kind", "name")
        )
        self.fields["units"].widget.url = reverse("rounds:lookup_scope_units", args=[plan.pk])
        self.fields["planned_year"].initial = min(max(timezone.localdate().year, plan.start_year), plan.end_year)

    def clean(self):
        data = super().clean()
        if not (data.get("kind") or data.get("parent") or data.get("units")):
            raise forms.ValidationError(_("请选择类别、乡镇或具体单位。"))
        return data

    def selected_units(self):
        data = self.cleaned_data
        if data.get("units"):
            return list(data["units"])
        units = PartyUnit.objects.filter(is_active=True).exclude(plan_entries__plan=self.plan)
        if data.get("kind"):
            units = units.filter(kind=data["kind"])
        if data.get("parent"):
            units = units.filter(parent=data["parent"])
        return list(units.order_by("kind", "name"))


class PlannedYearForm(forms.ModelForm):
    class Meta:
        model = PlanUnit
        fields = ["planned_year"]


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["year", "target_rate"]


class RoundForm(VersionedForm):
    class Meta:
        model = Round
        fields = [
            "plan",
            "number",
            "year",
            "start_date",
            "end_date",
            "theme",
            "status",
            "plan_due_days",
            "report_due_days",
            "assessment_due_days",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {"theme": _("专项巡察的主题，常规轮次可不填。")}
        field_classes = {"year": YearField, "start_date": DateField, "end_date": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["plan"].disabled = True
        self.fields["plan"].empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        plan, year = data.get("plan"), data.get("year")
        if plan and year and not plan.start_year <= year <= plan.end_year:
            self.add_error(
                "year", _("年度须在规划届期 %(s)s–%(e)s 之内。") % {"s": plan.start_year, "e": plan.end_year}
            )
        return data


class GroupForm(OnceForm):
    name = forms.CharField(
        label=_("组名"), max_length=60, widget=forms.TextInput(attrs={"placeholder": _("如：第一巡察组")})
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.round.groups.filter(name=name).exists():
            raise forms.ValidationError(_("本轮已有“%(name)s”。") % {"name": name})
        return name


class MembershipForm(OnceForm):
    inspector = forms.ModelChoiceField(label=_("巡察干部"), queryset=Inspector.objects.none(), widget=SearchSelect())
    role = forms.ChoiceField(label=_("组内职务"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = (
            Inspector.objects.filter(is_active=True).exclude(memberships__group=group).select_related("home_unit")
        )
        # "张三 · 县审计局 · 四级主任科员": two people of one name stay apart, and a 回避 is seen before it is refused.
        self.fields["inspector"].label_from_instance = lambda p: " · ".join(
            part for part in (p.name, p.home_unit.name if p.home_unit_id else "", p.rank) if part
        )
        self.fields["inspector"].widget.url = reverse("rounds:lookup_group_inspectors", args=[group.pk])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("组内职务"), choices=MemberRole.choices)


class SuggestionForm(FilterForm):
    specialty = forms.ChoiceField(label=_("按专业特长推荐"), required=False, choices=ANY + Specialty.choices)


class InspectionAssignForm(OnceForm):
    unit = forms.ModelChoiceField(label=_("被巡察单位"), queryset=PartyUnit.objects.none(), widget=SearchSelect())
    kind = forms.ChoiceField(label=_("巡察类型"), choices=InspectionKind.choices, initial=InspectionKind.REGULAR)
    # Shown (as a checkbox) only after the service warned about an unusual 回头看 (services.NeedsConfirmation).
    confirmed = forms.BooleanField(label=_("已知悉以上提示，仍然分配"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = PartyUnit.objects.filter(is_active=True).select_related("parent")
        self.fields["unit"].widget.url = reverse("rounds:lookup_group_units", args=[group.pk])

    def ask_confirmation(self, warnings):
        self.fields["confirmed"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
        self.add_error("confirmed", warnings)


class AdvanceForm(forms.Form):
    to_stage = forms.TypedChoiceField(label=_("推进到"), choices=Stage.choices, coerce=int)
    expected_stage = forms.TypedChoiceField(
        choices=Stage.choices, coerce=int, empty_value=None, required=False, widget=forms.HiddenInput
    )
    # The note is kept in the history's change reason (varchar 100) after "阶段：X → Y；": it must fit whole.
    reason = forms.CharField(label=_("说明"), max_length=60, required=False)


def has_petition_register(inspection) -> bool:
    """A list may set `registered_petitions` for its whole page at once; otherwise one query asks."""
    known = getattr(inspection, "registered_petitions", None)
    return known if known is not None else inspection.petition_register.exists()


class CountersForm(forms.Form):
    interviews = forms.IntegerField(label=_("谈话人次"), min_value=0)
    documents = forms.IntegerField(label=_("调阅资料份数"), min_value=0)
    questionnaires = forms.IntegerField(label=_("问卷份数"), min_value=0)
    visits = forms.IntegerField(label=_("走访次数"), min_value=0)
    petitions = forms.IntegerField(label=_("信访件数"), min_value=0)

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inspection is not None and has_petition_register(inspection):
            # The register counts them: the field shows the count and a POST cannot change it.
            self.fields["petitions"].disabled = True
            self.fields["petitions"].initial = inspection.petitions
            self.fields["petitions"].help_text = _("按巡察信访台账自动统计。")
