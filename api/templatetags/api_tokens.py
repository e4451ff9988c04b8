"""{% api_tokens account %} on an account's page: its API tokens, the form for a new one, and a new token's key
once, right after it was made (api/token_views.py)."""

from django import template

from ..models import ApiToken
from ..token_views import NEW_TOKEN_SESSION_KEY, TokenForm

register = template.Library()


@register.inclusion_tag("api/partials/tokens.html", takes_context=True)
def api_tokens(context, account):
    request = context["request"]
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)  # shown once: gone from the session as it is shown
    tokens = list(ApiToken.objects.filter(user=account).select_related("revoked_by"))
    new_key = new["key"] if new and any(t.pk == new.get("id") for t in tokens) else None
    return {
        "account": account,
        "tokens": tokens,
        "new_key": new_key,
        "form": TokenForm(),
        "csrf_token": context.get("csrf_token"),
    }
