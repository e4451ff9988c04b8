"""Access checks shared by the views: anything outside a user's scope is a 404, never a 403."""

from django.core.exceptions import ValidationError
from django.http import Http404

from ..selectors import reads_ledger


def require_ledger(user):
    if not reads_ledger(user):
        raise Http404


def add_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form, on the field it names where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
    if hasattr(form, "after_refusal"):
        form.after_refusal(exc)


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)
