from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rounds.models import PartyUnit, Round
from xuncha.concurrency import VersionedForm
from xuncha.forms import DateField, DateInput
from xuncha.lookups import SearchSelect
from xuncha.params import parse_id
from xuncha.people import full_name, staff_label
from xuncha.submissions import OnceForm

from .choices import LookbackResult, SpotCheckKind, SpotCheckResult, TaskStatus
from .models import RectificationTask

UNSET = object()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return full_name(obj)


class StaffChoiceField(UserChoiceField):
    """A person of the unit chosen in the form's `follows` field (accounts.selectors.unit_staff), offered as
    "张三 · 县财政局 · 副局长". The form narrows the queryset (`follow_unit`); the picker follows the unit."""

    def __init__(self, *, follows: str, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.none())
        kwargs.setdefault("widget", SearchSelect(reverse_lazy("rectification:lookup_people")))
        super().__init__(**kwargs)
        self.follows = follows
        self.unit = None
        self.error_messages["invalid_choice"] = _("请从所选单位的人员中选择。")

    def label_from_instance(self, obj):
        return staff_label(obj, unit=self.unit)


def follow_unit(form, *, unit=UNSET, keep: dict | None = None) -> None:
    """Offer in each StaffChoiceField of `form` only the staff of the unit it follows: `unit` where given (a lookup
    names it), else the posted unit, else the form's initial one. An edited row's current person stays valid while
    its unit is unchanged, so an older task (named before this rule) can be saved without re-picking."""
    for name, field in form.fields.items():
        if not isinstance(field, StaffChoiceField):
            continue
        if unit is UNSET:
            raw = form.data.get(form.add_prefix(field.follows)) if form.is_bound else form.initial.get(field.follows)
        else:
            raw = unit
        # Any unit the id names: one the unit field refuses (inactive) is that field's error, while the person
        # chosen with it stays shown as typed.
        unit_id = raw.pk if isinstance(raw, models.Model) else parse_id(raw)
        chosen = PartyUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
        field.unit = chosen
        also = []
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk and chosen is not None:
            if getattr(instance, f"{field.follows}_id") == chosen.pk and getattr(instance, f"{name}_id"):
                also.append(getattr(instance, f"{name}_id"))
        from accounts.selectors import unit_staff  # accounts sits beside rectification, not below it

        field.queryset = unit_staff(chosen, also=also)
        field.widget.attrs["data-lookup-follows"] = form.add_prefix(field.follows)
        if chosen is None:
            field.help_text = _("先选择单位，再从该单位的人员中选择。")


class FeedbackForm(OnceForm):
    date = DateField(label=_("反馈日期"), widget=DateInput(), initial=timezone.localdate)
    findings = forms.ModelMultipleChoiceField(
        label=_("反馈问题清单"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = candidates
        self.fields["findings"].initial = list(candidates.values_list("pk", flat=True))
        self.fields["findings"].label_from_instance = lambda f: f"{f.number} {f.title}"
        self.fields["findings"].error_messages["required"] = _("请至少选择一个问题。")


class TaskForm(VersionedForm):
    # The lookups (rectification/views/lookups.py) answer from these very fields: 责任领导 and 经办人 are people of
    # the 责任部门 (its staff, 联络员, 主要负责人), never anyone else, whatever is posted.
    responsible_leader = StaffChoiceField(label=_("责任领导"), follows="responsible_unit", required=False)
    handler = StaffChoiceField(label=_("经办人"), follows="responsible_unit", required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("责任部门"),
        queryset=PartyUnit.objects.filter(is_active=True),
        widget=SearchSelect(reverse_lazy("rectification:lookup_responsible_units")),
    )

    def __init__(self, *args, unit=UNSET, **kwargs):
        super().__init__(*args, **kwargs)
        follow_unit(self, unit=unit)

    class Meta:
        model = RectificationTask
        fields = ["measure", "goal", "responsible_unit", "responsible_leader", "handler", "term_type", "due_date"]
        widgets = {
            "measure": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
        }
        field_classes = {"due_date": DateField}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(OnceForm):
    expected_status = forms.ChoiceField(choices=TaskStatus.choices, widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("完成进度(%)"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("佐证材料"), required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=TaskStatus.choices, widget=forms.HiddenInput)
    expected_status = forms.ChoiceField(choices=TaskStatus.choices, widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SpotCheckForm(OnceForm):
    kind = forms.ChoiceField(label=_("抽查对象"), choices=SpotCheckKind.choices)
    round = forms.ModelChoiceField(
        label=_("轮次范围"),
        queryset=Round.objects.all(),
        required=False,
        empty_label=_("全部轮次"),
        widget=SearchSelect(reverse_lazy("rectification:lookup_spotcheck_rounds")),
    )
    sample_size = forms.IntegerField(label=_("抽取数量"), min_value=1, max_value=500, initial=10)
    seed = forms.IntegerField(
        label=_("随机种子"), required=False, min_value=0, help_text=_("留空则随机生成；填写已有种子可复现抽取结果。")
    )
    note = forms.CharField(label=_("说明"), required=False)


class SpotCheckResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("核查结果"), choices=[c for c in SpotCheckResult.choices if c[0] != SpotCheckResult.PENDING]
    )
    note = forms.CharField(label=_("核查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # A failed check reopens the task: it gets a new due date rather than being overdue at once.
    due_date = DateField(label=_("新的整改时限"), required=False, widget=DateInput())


class LookbackCheckForm(forms.Form):
    result = forms.ChoiceField(label=_("核查结论"), choices=LookbackResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("佐证材料"), required=False)
    new_due_date = DateField(
        label=_("新的整改时限"),
        required=False,
        widget=DateInput(),
        help_text=_("结论为“未到位”或“应付整改”时必填：整改任务将重新打开（没有任务的将新建）。"),
    )
