"""Writes for API tokens: made and revoked by the office, for one account."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from xuncha.roles import PERM_MANAGE

from .models import ApiToken

PREFIX = "xc_"


def hash_key(key: str) -> str:
    # A token is 256 random bits: a plain SHA-256 is enough (no dictionary to attack), and lets the
    # lookup be one indexed equality.
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is never stored nor shown again."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    key = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(user=user, name=name.strip()[:80], prefix=key[:10], key_hash=hash_key(key), created_by=actor)
        token.full_clean()
        token.save()
    return token, key


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token (idempotent): the next request with it is refused."""
    if not actor.has_perm(PERM_MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by = timezone.now(), actor
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token
