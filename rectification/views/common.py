"""Access checks shared by the views: anything outside a user's scope is a 404, never a 403."""

from django.core.exceptions import ValidationError
from django.http import Http404

from ..selectors import reads_ledger


def require_ledger(user):
    if not reads_ledger(user):
        raise Http404


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)
