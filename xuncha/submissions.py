"""A create form does its work once: a double click, a resent POST or the back button submitting it again leads
to what the first submission made, and makes nothing new.

A create form carries a one-time key (`submission`, a hidden field made when the form is shown and kept when it
comes back with errors). The first submission that succeeds records the key with the URL of what it created, in
the same transaction; a later one with the same key is sent there. A second submission racing the first waits on
the unique (user, key) row and then finds the first one's result.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

KEEP = timedelta(days=7)  # long enough for any back button; older keys are dropped as new ones come


class Resubmitted(Exception):
    """This form was already submitted; `url` is where its first submission led."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class OnceMixin:
    """Gives a create form its one-time key (call `carry_submission_key()` from __init__)."""

    submission_key = ""

    def carry_submission_key(self):
        self.fields["submission"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=lambda: uuid.uuid4().hex
        )

    def full_clean(self):
        super().full_clean()
        # The key is not data for the service: views hand cleaned_data to services as keyword arguments.
        if hasattr(self, "cleaned_data"):
            self.submission_key = self.cleaned_data.pop("submission", "") or ""


class OnceForm(OnceMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.carry_submission_key()


def _earlier(user, key: str) -> str | None:
    return FormSubmission.objects.filter(user=user, key=key).exclude(url="").values_list("url", flat=True).first()


def create_once(request, form, create: Callable, url_of: Callable):
    """Run `create()` once for this form's key and return what it made; raise Resubmitted when the form was
    already submitted. Errors from `create()` propagate and leave the key free for a corrected retry."""
    key = getattr(form, "submission_key", "")
    if not key:
        return create()
    user = request.user
    earlier = _earlier(user, key)
    if earlier:
        raise Resubmitted(earlier)
    try:
        with transaction.atomic():
            # The claim comes first: a racing twin blocks here until this transaction ends.
            claim = FormSubmission.objects.create(user=user, key=key)
            made = create()
            claim.url = url_of(made)
            claim.save(update_fields=["url"])
    except IntegrityError:
        earlier = _earlier(user, key)
        if earlier is None:
            raise  # not the twin: an error of the create itself
        raise Resubmitted(earlier) from None
    FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEEP).delete()
    return made


def resubmission_leads_to_first_result(view):
    """A view whose create form was submitted again answers with the first submission's result."""

    def answer(request, url):
        messages.info(request, _("该表单已经提交过，未重复保存。以下是第一次提交的结果。"))
        return redirect(url)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        # Checked before the view: what the first submission made may have closed the form's page (a feedback
        # given, a task no longer open to reports), which would answer the second one with a 404 or an error.
        key = request.POST.get("submission", "")[:64] if request.method == "POST" else ""
        earlier = _earlier(request.user, key) if key and request.user.is_authenticated else None
        if earlier:
            return answer(request, earlier)
        try:
            return view(request, *args, **kwargs)
        except Resubmitted as done:  # the twin that raced this one won
            return answer(request, done.url)

    return wrapper
