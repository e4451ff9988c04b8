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
    """Refuse to overwrite a row saved by someone else since the editor opened it (`expected` None: no form)."""
    if expected is not None and expected != version_of(instance):
        raise ValidationError(
            _("保存前，他人已修改了这条记录。您填写的内容仍在下方；请刷新页面查看最新内容，核对后再保存。"),
            code=STALE,
        )


def is_stale(exc: ValidationError) -> bool:
    return any(getattr(error, "code", None) == STALE for error in getattr(exc, "error_list", []))


class VersionedForm(forms.ModelForm):
    """An edit form that carries the version of the row it was opened on (see require_version)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)
        else:
            del self.fields["version"]

    def submitted_version(self) -> str | None:
        return self.cleaned_data.get("version") if "version" in self.fields else None
