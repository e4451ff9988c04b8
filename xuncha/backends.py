from django.contrib.auth.backends import ModelBackend

from .roles import identity_of


class IdentityBackend(ModelBackend):
    """ModelBackend whose global permissions come from the request's identity query (xuncha.roles.identity_of)
    instead of two queries of their own. Superusers and object permissions go the usual way."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        return identity_of(user_obj).perms
