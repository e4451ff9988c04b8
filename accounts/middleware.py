"""An account whose password the office set (new, or reset) must choose its own before doing anything else."""

from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "must_change_password"


def remember_must_change(sender, request, user, **kwargs):
    """At login (Django's user_logged_in): note in the session whether the password must be changed first,
    so that the check costs no query on the requests that follow."""
    from .models import Profile

    if request is None or not hasattr(request, "session"):
        return
    if Profile.objects.filter(user=user, must_change_password=True).exists():
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


class RequirePasswordChangeMiddleware:
    """Every page but the password change, logging out and the language switch leads to the password change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            allowed = {reverse("password_change"), reverse("logout"), reverse("set_language")}
            if request.path not in allowed:
                return redirect("password_change")
        return self.get_response(request)
