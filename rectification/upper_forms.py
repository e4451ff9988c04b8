from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from findings.forms import EvidenceFilesField
from rounds.models import PartyUnit
from xuncha.forms import DateField, DateInput
from xuncha.lookups import SearchSelect

from .choices import RequestStatus
from .forms import StaffChoiceField, follow_unit
from .upper_models import UpperRequest, UpperVisit


class VisitForm(forms.ModelForm):
    class Meta:
        model = UpperVisit
        fields = ["level", "team", "target", "start_date", "end_date", "liaison_office", "contacts", "feedback"]
        field_classes = {"start_date": DateField, "end_date": DateField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "feedback": forms.Textarea(attrs={"rows": 4}),
        }


class RequestForm(forms.ModelForm):
    # The same lookups as the task form's (office only): the 承办人 is one of the 承办单位's people.
    owner = StaffChoiceField(label=_("承办人"), follows="owner_unit")
    owner_unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=PartyUnit.objects.filter(is_active=True),
        widget=SearchSelect(reverse_lazy("rectification:lookup_responsible_units")),
    )

    class Meta:
        model = UpperRequest
        fields = ["kind", "title", "detail", "requested_date", "owner_unit", "owner", "due_date"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3}), "requested_date": DateInput(), "due_date": DateInput()}
        field_classes = {"requested_date": DateField, "due_date": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        follow_unit(self)


class RequestTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=RequestStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=RequestStatus.choices, widget=forms.HiddenInput, required=False)
    reply = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttachmentForm(forms.Form):
    files = EvidenceFilesField(label=_("办理附件"), required=True)


ALL = [("", _("全部"))]
