from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rounds.models import PartyUnit
from xuncha.forms import DateField
from xuncha.lookups import SearchSelect

from .choices import PetitionRoute, PetitionStatus, ReceivingBody
from .forms import DateInput, InspectionChoiceField, grouped_category_choices
from .models import Petition
from .selectors import category_tree, leaf_categories


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = [
            "inspection",
            "received_date",
            "channel",
            "petitioner_name",
            "petitioner_contact",
            "subject_unit",
            "subject_person",
            "summary",
        ]
        field_classes = {"inspection": InspectionChoiceField, "received_date": DateField}
        widgets = {
            # Searched as typed: the office may choose among every inspection of the county.
            "inspection": SearchSelect(reverse_lazy("findings:lookup_finding_inspections")),
            "received_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "petitioner_name": _("可不填（匿名）。信访人信息仅本组组长、副组长和巡察办可见，查看和导出均留痕。")
        }

    def __init__(self, *args, inspections, county_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["inspection"]  # the register a petition was received into does not change
        else:
            self.fields["inspection"].queryset = inspections
            self.fields["inspection"].required = not county_wide
            if county_wide:
                self.fields["inspection"].empty_label = _("（全县，巡察办直接受理）")
            self.fields["received_date"].initial = timezone.localdate
        self.fields["subject_unit"].queryset = PartyUnit.objects.filter(is_active=True).order_by("kind", "name")


class PetitionTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=PetitionStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=PetitionStatus.choices, widget=forms.HiddenInput, required=False)
    on = DateField(label=_("日期"), widget=DateInput())
    route = forms.ChoiceField(label=_("分办去向"), choices=[("", "---------")] + PetitionRoute.choices, required=False)
    route_detail = forms.CharField(label=_("承办部门"), max_length=100, required=False)
    reply = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


class PetitionFindingForm(forms.Form):
    """据信访件起草问题底稿: prefilled from the petition; the member picks the category and edits the text."""

    category = forms.ModelChoiceField(label=_("问题类别"), queryset=None)
    title = forms.CharField(label=_("问题标题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = leaf_categories()
        self.fields["category"].choices = grouped_category_choices(category_tree()[1])


class PetitionClueForm(forms.Form):
    summary = forms.CharField(label=_("线索摘要"), widget=forms.Textarea(attrs={"rows": 5}))
    receiving_body = forms.ChoiceField(label=_("拟移交单位"), choices=ReceivingBody.choices)
    person_name = forms.CharField(label=_("涉及人员姓名"), max_length=40)
    person_post = forms.CharField(label=_("职务"), max_length=100, required=False)


ALL = [("", _("全部"))]
