from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.forms import DateField

from .choices import ReportState, RoundReportState
from .forms import DateInput
from .models import FindingCategory, InspectionReport, RoundReport


class ReportForm(forms.ModelForm):
    expected_state = forms.ChoiceField(choices=ReportState.choices, widget=forms.HiddenInput, required=False)

    class Meta:
        model = InspectionReport
        fields = ["overview", "problems", "clues_text", "suggestions"]
        widgets = {
            "overview": forms.Textarea(attrs={"rows": 5}),
            "problems": forms.Textarea(attrs={"rows": 14}),
            "clues_text": forms.Textarea(attrs={"rows": 3}),
            "suggestions": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"problems": _("按问题类别分段；每行一段，导出 Word 时逐段排版。")}


class ReportTransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=ReportState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=ReportState.choices, widget=forms.HiddenInput, required=False)
    meeting_date = DateField(label=_("会议日期"), widget=DateInput())
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时须说明理由；书记专题会定稿时填写会议意见。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].initial = timezone.localdate


class RoundReportForm(forms.ModelForm):
    class Meta:
        model = RoundReport
        fields = ["summary", "suggestions"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 8}),
            "suggestions": forms.Textarea(attrs={"rows": 6}),
        }


class CommonProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("问题类别"), queryset=FindingCategory.objects.none())
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class RoundTransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=RoundReportState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=RoundReportState.choices, widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
