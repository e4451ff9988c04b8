"""Who sees which unit's rectification beyond the groups and the unit itself: the supervising liaisons of
纪委监委 and 组织部 (daily supervision, read-only). Cached on the user object, like roles_of."""

from django.db.models import Q


def supervision(user):
    """The user's SupervisingLiaison row, or None (one query per request at most)."""
    if not user.is_authenticated:
        return None
    from xuncha.roles import Role, roles_of

    if Role.SUPERVISING_LIAISON not in roles_of(user):  # known from the roles already read: no query
        return None
    if not hasattr(user, "_xuncha_supervision"):
        from .models import SupervisingLiaison

        user._xuncha_supervision = SupervisingLiaison.objects.filter(user=user).first()
    return user._xuncha_supervision


def supervised_q(user, field: str) -> Q | None:
    """Rows whose unit (`field`) the user supervises, or None when they supervise nothing.

    "All units" is an explicit non-null test, never an empty Q(): `Q() | other` would be just `other`."""
    row = supervision(user)
    if row is None:
        return None
    if row.all_units:
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{field}__in": row.units.values("pk")})


def liaison_unit_id(user):
    from xuncha.roles import identity_of

    if not user.is_authenticated:
        return None
    return identity_of(user).liaison_unit  # read with the roles, no query of its own
