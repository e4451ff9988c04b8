"""What a page showed, checked again when its form comes back: stale buttons and concurrent edits.

A state-changing form carries the state its page showed (`expected_*`, a hidden field); an edit form carries
the row's version (`version`, a hidden field holding the id of the row's latest history record: every save
writes one, so no model needs a version column). The service compares them with the row it
has locked (`select_for_update`), so that a click made on an old page, or a second writer's save, is refused
with a message instead of acting on a state nobody saw or silently replacing a colleague's text.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .submissions import OnceMixin

STALE = "stale"


def require_state(*, expected, current, message: str) -> None:
    """Refuse an action chosen on a page that showed another state (`expected` None: an internal caller)."""
    if expected not in (None, "") and str(expected) != str(current):
        raise ValidationError(message, code=STALE)


def version_of(instance) -> str:
    """The token an edit form carries: the id of the row's latest history record (its last save)."""
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def require_version(*, expected: str | None, instance) -> None:
    """Refuse to overwrite a row saved by someone else since the editor opened it (`expected` empty: no form).

    Call it with the row locked (select_for_update): a concurrent save has then committed its history record."""
    if expected not in (None, "") and expected != version_of(instance):
        raise ValidationError(
            _(
                "保存前，他人已修改了这条记录。您填写的内容仍在下方，尚未保存；"
                "请在新的浏览器标签页中打开该记录核对最新内容，再次保存将以您填写的内容为准。"
            ),
            code=STALE,
        )


def lock_for_edit(instance, version: str | None):
    """Lock the row being edited and refuse if someone saved it after the editor opened it; returns the locked row."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    require_version(expected=version, instance=locked)
    return locked


def is_stale(exc: ValidationError) -> bool:
    return any(getattr(error, "code", None) == STALE for error in getattr(exc, "error_list", []))


class VersionMixin:
    """A form editing an existing row carries the row's version in a hidden `version` field."""

    versioned = None

    def carry_version(self, obj):
        self.versioned = obj
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=version_of(obj))

    def after_refusal(self, exc: ValidationError):
        """A save refused as a conflict keeps what was typed and now carries the current version, so that
        saving again, once the writer has seen the colleague's change, is a deliberate overwrite."""
        if self.versioned is not None and is_stale(exc):
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = version_of(self.versioned)


class VersionedForm(VersionMixin, OnceMixin, forms.ModelForm):
    """A ModelForm that carries the version of the row it edits, or, creating one, a one-time key
    (xuncha.submissions: submitted twice, it still creates one row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.carry_version(self.instance)
        else:
            self.carry_submission_key()
