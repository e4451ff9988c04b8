from itertools import groupby

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from xuncha.concurrency import VersionedForm, VersionMixin
from xuncha.forms import DateField, DateInput
from xuncha.lookups import SearchSelect
from xuncha.submissions import OnceForm

from .choices import ClueStatus, Disposition, Outcome, ReceivingBody, ReviewState
from .evidence import validate_evidence
from .models import Clue, CluePerson, Finding
from .selectors import category_tree, clue_findings_choices, leaf_categories

YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _evidence_help_now() -> str:
    # Read in the language of the page showing it (the field is made once, when the module loads).
    return gettext("可多选。支持 %(types)s，单个文件不超过 %(limit)s。") % {
        "types": pgettext("list separator", "、").join(settings.EVIDENCE_EXTENSIONS),
        "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }


_evidence_help = lazy(_evidence_help_now, str)


class EvidenceFilesField(forms.FileField):
    """Several files at once, each checked for type, content and size (findings.evidence)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ",".join(f".{e}" for e in settings.EVIDENCE_EXTENSIONS)})
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _evidence_help())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned, errors = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                validate_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned


def grouped_category_choices(categories, blank=True):
    """Leaf categories under their parent's name (optgroups), in tree order."""
    rows = sorted(
        categories, key=lambda c: (*((c.parent.order, c.parent.code) if c.parent_id else (0, "")), c.order, c.code)
    )
    choices = [("", "---------")] if blank else []
    for parent, children in groupby(rows, key=lambda c: c.parent):
        choices.append((parent.name if parent else _("其他"), [(c.pk, c.name) for c in children]))
    return choices


class InspectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.round} · {obj.group.name} · {obj.unit.name}（{obj.get_kind_display()}）"


class FindingForm(VersionedForm):
    files = EvidenceFilesField(label=_("佐证材料"))

    class Meta:
        model = Finding
        fields = ["inspection", "category", "title", "description", "source", "key_minority", "immediate"]
        field_classes = {"inspection": InspectionChoiceField}
        widgets = {
            "inspection": SearchSelect(reverse_lazy("findings:lookup_drafting_inspections")),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "key_minority": _("问题涉及“一把手”和领导班子成员等关键少数时勾选。"),
            "immediate": _("勾选后该问题立即转入整改，不必等待巡察反馈。"),
        }

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["inspection"]  # 序号 belongs to the inspection: a finding never moves
        else:
            self.fields["inspection"].queryset = inspections
        category = self.fields["category"]
        category.queryset = leaf_categories()  # what may be chosen; the choices show the same leaves
        category.choices = grouped_category_choices(category_tree()[1])


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=ReviewState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=ReviewState.choices, widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每一步都可填写意见；退回时必须说明理由。"),
    )


class EvidenceForm(OnceForm):
    files = EvidenceFilesField(label=_("上传佐证材料"), required=True)


class ClueForm(VersionedForm):
    class Meta:
        model = Clue
        fields = ["inspection", "summary", "finding", "receiving_body", "receiving_body_other"]
        field_classes = {"inspection": InspectionChoiceField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        labels = {"receiving_body": _("拟移交单位")}

    def __init__(self, *args, inspections, findings, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["inspection"]
            self.fields["finding"].queryset = clue_findings_choices(self.instance.inspection)
        else:
            self.fields["inspection"].queryset = inspections
            self.fields["finding"].queryset = findings
        self.fields["finding"].label_from_instance = lambda f: f"{f.number} {f.title}"
        self.fields["finding"].help_text = _("可选：同一巡察任务中与该线索相关的问题底稿。")

    def clean(self):
        cleaned = super().clean()
        inspection = cleaned.get("inspection") or (self.instance.inspection if self.instance.pk else None)
        finding = cleaned.get("finding")
        if inspection and finding and finding.inspection_id != inspection.pk:
            self.add_error("finding", _("关联问题必须属于同一巡察任务。"))
        if cleaned.get("receiving_body") == ReceivingBody.OTHER and not cleaned.get("receiving_body_other"):
            self.add_error("receiving_body_other", _("移交其他部门时，请填写部门名称。"))
        return cleaned


class CluePersonForm(forms.ModelForm):
    class Meta:
        model = CluePerson
        fields = ["name", "post", "rank"]


CluePersonFormSet = inlineformset_factory(
    Clue,
    CluePerson,
    form=CluePersonForm,
    fields=["name", "post", "rank"],
    extra=2,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class ClueTransferForm(forms.Form):
    expected_status = forms.ChoiceField(choices=ClueStatus.choices, widget=forms.HiddenInput, required=False)
    receiving_body = forms.ChoiceField(label=_("移交单位"), choices=ReceivingBody.choices)
    receiving_body_other = forms.CharField(label=_("其他移交单位名称"), max_length=100, required=False)
    letter_number = forms.CharField(label=_("移交函号"), max_length=60, help_text=_("如：县巡〔2025〕3号"))
    transfer_date = DateField(label=_("移交日期"), widget=DateInput())
    feedback_due_date = DateField(label=_("反馈期限"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feedback_due_date"].help_text = _("留空则默认为移交日期后 %(days)s 天。") % {
            "days": settings.XUNCHA_CLUE_FEEDBACK_DAYS
        }
        self.fields["transfer_date"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("receiving_body") == ReceivingBody.OTHER
            and not (cleaned.get("receiving_body_other") or "").strip()
        ):
            self.add_error("receiving_body_other", _("移交其他部门时，请填写部门名称。"))
        return cleaned


class ClueDispositionForm(VersionMixin, forms.Form):
    expected_status = forms.ChoiceField(choices=ClueStatus.choices, widget=forms.HiddenInput, required=False)
    disposition = forms.ChoiceField(label=_("处置方式"), choices=[("", "---------")] + Disposition.choices)
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("", "---------")] + Outcome.choices, required=False)
    outcome_detail = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    answered_date = DateField(
        label=_("反馈日期"),
        widget=DateInput(),
        required=False,
        help_text=_("向巡察机构反馈办理结果的日期；填写后线索标记为“已反馈”。"),
    )

    def __init__(self, *args, clue, **kwargs):
        super().__init__(*args, **kwargs)
        self.carry_version(clue)
