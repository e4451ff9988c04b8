"""The office makes and revokes an account's API tokens from the account's page (accounts/account_detail.html).
A new token is handed to the next page view through the session and removed from it there: shown once."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.roles import require_manage

from . import services
from .models import ApiToken

NEW_TOKEN_SESSION_KEY = "api-new-token"


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("用途"), max_length=80)


@login_required
@require_POST
def token_create(request, user_pk):
    require_manage(request.user)
    account = get_object_or_404(get_user_model(), pk=user_pk, is_superuser=False)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写令牌用途。"))
    else:
        token, key = services.token_create(actor=request.user, user=account, name=form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "key": key}
    return redirect(f"{account_url(account)}#api-tokens")


@login_required
@require_POST
def token_revoke(request, pk):
    require_manage(request.user)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk, user__is_superuser=False)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect(f"{account_url(token.user)}#api-tokens")


def account_url(account) -> str:
    from django.urls import reverse

    return reverse("accounts:account_detail", args=[account.pk])
