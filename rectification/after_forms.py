from django import forms
from django.utils.translation import gettext_lazy as _

from rounds.models import Round
from xuncha.forms import ListFilterForm

from .choices import DocumentKind, DocumentStatus, Timeliness
from .forms import MultipleFileField


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


class DocumentFilterForm(ListFilterForm):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("被巡察单位"), "type": "search"}),
    )
    round = forms.ModelChoiceField(
        label=_("轮次"), queryset=Round.objects.all(), required=False, empty_label=_("全部轮次")
    )
    kind = forms.ChoiceField(label=_("文书"), choices=[("", _("全部文书")), *DocumentKind.choices], required=False)
    timeliness = forms.ChoiceField(
        label=_("报送情况"), choices=[("", _("全部情况")), *Timeliness.choices], required=False
    )
