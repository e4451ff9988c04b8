from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import PartyUnit
from xuncha.forms import DateField, DateInput

from .choices import AccountabilityForm, DocumentStatus, OfficialRole, ProposalStatus
from .forms import MultipleFileField
from .models import AssessmentIndicator, SupervisingLiaison


class DocumentSubmitForm(forms.Form):
    # The status the page showed: a submission made on a stale page is refused, not applied.
    expected_status = forms.ChoiceField(choices=DocumentStatus.choices, widget=forms.HiddenInput)
    text = forms.CharField(label=_("报送说明"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("文书文件"), required=False)


class DocumentReviewForm(forms.Form):
    expected_status = forms.ChoiceField(choices=DocumentStatus.choices, widget=forms.HiddenInput)
    to_status = forms.ChoiceField(
        choices=[
            (DocumentStatus.ACCEPTED, DocumentStatus.ACCEPTED.label),
            (DocumentStatus.RETURNED, DocumentStatus.RETURNED.label),
        ],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssessmentForm(forms.Form):
    """One score field per active indicator (added in __init__), the evidence, and any 约谈 held."""

    assessed_on = DateField(label=_("评估日期"), widget=DateInput())
    evidence = forms.CharField(label=_("评估依据"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("评估材料"), required=False)
    talk_person = forms.CharField(label=_("约谈对象"), required=False, max_length=40)
    talk_post = forms.CharField(label=_("约谈对象职务"), required=False, max_length=100)
    talk_date = DateField(label=_("约谈日期"), required=False, widget=DateInput())

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[f"score_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.name}（{_('权重')} {indicator.weight}%）",
                min_value=0,
                max_value=100,
                decimal_places=1,
            )

    def score_fields(self):
        return [self[f"score_{i.pk}"] for i in self.indicators]

    def scores(self) -> dict:
        return {i.pk: self.cleaned_data[f"score_{i.pk}"] for i in self.indicators}

    def talk(self) -> dict | None:
        if not self.cleaned_data.get("talk_person"):
            return None
        return {
            "person": self.cleaned_data["talk_person"],
            "post": self.cleaned_data["talk_post"],
            "date": self.cleaned_data["talk_date"],
        }


class ProposalDecisionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s, s.label) for s in (ProposalStatus.ACCEPTED, ProposalStatus.DISMISSED)], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("处理意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = AssessmentIndicator
        fields = ["name", "weight", "order", "is_active"]


IndicatorFormSet = forms.modelformset_factory(AssessmentIndicator, form=IndicatorForm, extra=1, can_delete=False)


class GradeBandsForm(forms.Form):
    """The lowest total for 优秀, 合格 and 基本合格 (below the last is 不合格)."""

    excellent = forms.DecimalField(label=_("优秀（不低于）"), min_value=0, max_value=100, decimal_places=1)
    pass_ = forms.DecimalField(label=_("合格（不低于）"), min_value=0, max_value=100, decimal_places=1)
    basic = forms.DecimalField(label=_("基本合格（不低于）"), min_value=0, max_value=100, decimal_places=1)

    def clean(self):
        data = super().clean()
        e, p, b = data.get("excellent"), data.get("pass_"), data.get("basic")
        if None not in (e, p, b) and not e > p > b:
            raise forms.ValidationError(_("分数线须依次降低：优秀 > 合格 > 基本合格。"))
        return data


class OutcomeForm(forms.Form):
    task = forms.ModelChoiceField(label=_("整改任务（不选则记在单位）"), queryset=None, required=False)
    rules_count = forms.IntegerField(label=_("建立/完善制度(项)"), min_value=0, initial=0)
    funds_recovered = forms.DecimalField(
        label=_("追回/挽回资金(万元)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["task"].label_from_instance = lambda t: t.measure[:40]


class AccountabilityFormForm(forms.Form):
    task = forms.ModelChoiceField(label=_("整改任务（不选则记在单位）"), queryset=None, required=False)
    official = forms.ModelChoiceField(label=_("领导班子成员"), queryset=None, required=False)
    person = forms.CharField(label=_("被问责人"), max_length=40, required=False)
    post = forms.CharField(label=_("职务"), max_length=100, required=False)
    form = forms.ChoiceField(label=_("问责方式"), choices=AccountabilityForm.choices)
    date = DateField(label=_("问责日期"), widget=DateInput())
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, tasks, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["task"].label_from_instance = lambda t: t.measure[:40]
        self.fields["official"].queryset = officials

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("official"):
            raise forms.ValidationError(_("请填写被问责人或选择领导班子成员。"))
        return data


class OfficialForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    post = forms.CharField(label=_("职务"), max_length=100)
    role = forms.ChoiceField(label=_("身份"), choices=OfficialRole.choices)


class SupervisorForm(forms.ModelForm):
    class Meta:
        model = SupervisingLiaison
        fields = ["user", "body", "all_units", "units"]
        widgets = {"units": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["user"].disabled = True
        self.fields["units"].queryset = PartyUnit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["units"].required = False

    def validate_unique(self):
        pass  # the service saves; a second row for the same account is the database's to refuse
