"""Small helpers every rounds view uses: pagination, history, service errors on forms.

The doors (require_manage, require_oversight) are in xuncha/roles.py."""

from django.shortcuts import render
from django.urls import reverse

from xuncha import forms
from xuncha.history import history_entries
from xuncha.roles import PERM_MANAGE
from xuncha.submissions import create_once


def can_manage(user) -> bool:
    return user.has_perm(PERM_MANAGE)


def call_service(form, service, *, explained=False, **kwargs):
    """xuncha.forms.call_service; a NeedsConfirmation goes up to the page, which asks the user to confirm."""
    from ..services import NeedsConfirmation

    return forms.call_service(form, service, explained=explained, passthrough=(NeedsConfirmation,), **kwargs)


def call_create(form, service, *, request, detail: str, of=lambda made: made.pk, **kwargs):
    """call_service for a create form: submitted twice, it creates once (xuncha.submissions); `detail` names the
    page a second submission leads to, that of `of(made)` (what was made, or the page it was added on)."""
    return call_service(
        form,
        lambda: create_once(request, form, lambda: service(**kwargs), lambda made: reverse(detail, args=[of(made)])),
    )


def history_of(obj, *, related=()) -> dict:
    return {"history": history_entries(obj, related=related)}


def edit_page(request, form, *, heading, cancel_url, crumbs):
    """The one create/edit page layout: breadcrumbs, the form, save and cancel."""
    return render(
        request,
        "rounds/edit_form.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, "crumbs": [*crumbs, (heading, "")]},
    )
