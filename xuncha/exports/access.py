"""Who may export which list: the roles that have the list at all (others get 404, like the pages)."""

from xuncha.roles import Role, roles_of, sees_everything

GROUP_ROLES = frozenset({Role.GROUP_LEADER, Role.GROUP_MEMBER})


def overseers(user) -> bool:
    return sees_everything(user)


def with_roles(*roles):
    wanted = frozenset(roles)

    def allowed(user) -> bool:
        return sees_everything(user) or bool(roles_of(user) & wanted)

    return allowed


def any_role(user) -> bool:
    return bool(roles_of(user))
