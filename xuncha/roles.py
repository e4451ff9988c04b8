"""Who a user is in the system. Roles are derived from data (auth groups, memberships, liaison rows),
never stored twice. Who a user is (permissions, roles, the unread badge) is read in one query per request
and kept on that request's user object (`identity_of`)."""

from dataclasses import dataclass

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

OFFICE_GROUP = "巡察办"
LEADERSHIP_GROUP = "领导小组"

# Global permissions (on the auth groups above). Everything else is an object permission.
PERM_OVERSEE = "rounds.oversee"  # see everything, read-only: office and leadership
PERM_MANAGE = "rounds.manage"  # change plans, rounds, groups, verify rectification: office only


class Role(models.TextChoices):
    OFFICE = "office", _("巡察办工作人员")
    LEADERSHIP = "leadership", _("县委/领导小组")
    GROUP_LEADER = "group_leader", _("巡察组组长/副组长")
    GROUP_MEMBER = "group_member", _("巡察组成员")
    UNIT_LIAISON = "unit_liaison", _("被巡察单位联络员")
    DISCIPLINE_LIAISON = "discipline_liaison", _("纪委监委/组织部对接人")
    UNIT_HEAD = "unit_head", _("责任单位负责人")
    SUPERVISING_LIAISON = "supervising_liaison", _("纪委监委/组织部日常监督")


@dataclass(frozen=True)
class Identity:
    """Everything the pages ask about who the user is, read together: global permissions (what
    ModelBackend would load in two queries), group roles, the rows that make the other roles, the badge."""

    perms: frozenset[str]
    member_roles: frozenset[str]
    groups: frozenset[int]  # the inspection groups the user is a member of
    work_groups: frozenset[int]  # groups whose work the user reads (object permission rounds.work_in_group)
    led_groups: frozenset[int]  # groups the user leads (object permission rounds.lead_group)
    liaison_unit: int | None  # UnitLiaison.unit_id
    head: bool
    body: str | None  # BodyLiaison.body
    supervising: bool
    unread: int

    @property
    def liaison(self) -> bool:
        return self.liaison_unit is not None


def _identity_sql():
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType

    from findings.models import BodyLiaison
    from rectification.models import Notification, SupervisingLiaison
    from rounds.models import (
        GroupMembership,
        InspectionGroupGroupObjectPermission,
        InspectionGroupUserObjectPermission,
        Inspector,
        PartyUnit,
        UnitLiaison,
    )

    t = {
        "perm": Permission._meta.db_table,
        "ct": ContentType._meta.db_table,
        "user_perms": User.user_permissions.through._meta.db_table,
        "user_groups": User.groups.through._meta.db_table,
        "group_perms": Group.permissions.through._meta.db_table,
        "membership": GroupMembership._meta.db_table,
        "inspector": Inspector._meta.db_table,
        "unit_liaison": UnitLiaison._meta.db_table,
        "unit": PartyUnit._meta.db_table,
        "body": BodyLiaison._meta.db_table,
        "supervising": SupervisingLiaison._meta.db_table,
        "notification": Notification._meta.db_table,
        "group_object_perms": InspectionGroupGroupObjectPermission._meta.db_table,
        "user_object_perms": InspectionGroupUserObjectPermission._meta.db_table,
    }
    # One statement, rows of three columns:
    # ('p', app_label, codename) per global permission; ('m', role, group id) per group membership;
    # ('g', codename, group id) per object permission on an inspection group (guardian's direct-foreign-key
    # tables, granted to the group's auth group or to the user); ('u', unit id, '') for a unit liaison;
    # ('b', body, '') for a clue liaison; one ('f', flags, unread count). Plain SQL for SQLite and PostgreSQL.
    return (
        """
        SELECT 'p', ct.app_label, p.codename FROM {perm} p JOIN {ct} ct ON ct.id = p.content_type_id
         WHERE p.id IN (SELECT permission_id FROM {user_perms} WHERE user_id = %(user)s
                        UNION SELECT gp.permission_id FROM {group_perms} gp
                               JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s)
        UNION ALL
        SELECT 'm', gm.role, CAST(gm.group_id AS VARCHAR(20))
          FROM {membership} gm JOIN {inspector} i ON i.id = gm.inspector_id
         WHERE i.user_id = %(user)s
        UNION ALL
        SELECT 'g', p.codename, CAST(o.content_object_id AS VARCHAR(20)) FROM {group_object_perms} o
          JOIN {perm} p ON p.id = o.permission_id JOIN {user_groups} ug ON ug.group_id = o.group_id
         WHERE ug.user_id = %(user)s AND p.codename IN ('work_in_group', 'lead_group')
        UNION ALL
        SELECT 'g', p.codename, CAST(o.content_object_id AS VARCHAR(20)) FROM {user_object_perms} o
          JOIN {perm} p ON p.id = o.permission_id
         WHERE o.user_id = %(user)s AND p.codename IN ('work_in_group', 'lead_group')
        UNION ALL
        SELECT 'u', CAST(unit_id AS VARCHAR(20)), '' FROM {unit_liaison} WHERE user_id = %(user)s
        UNION ALL
        SELECT 'b', body, '' FROM {body} WHERE user_id = %(user)s
        UNION ALL
        SELECT 'f',
               CASE WHEN EXISTS (SELECT 1 FROM {unit} WHERE head_id = %(user)s) THEN 'h' ELSE '' END
            || CASE WHEN EXISTS (SELECT 1 FROM {supervising} WHERE user_id = %(user)s) THEN 's' ELSE '' END,
               CAST((SELECT COUNT(*) FROM {notification}
                      WHERE recipient_id = %(user)s AND read_at IS NULL AND reminder_id IS NULL) AS VARCHAR(20))
        """
    ).format(**t)


def identity_of(user) -> Identity:
    """Who the user is, in one query, kept on the user object for the rest of the request (never across
    requests: the user object is loaded afresh by each). `roles_of`, `has_perm` (through
    xuncha.backends.IdentityBackend) and the unread badge all read it."""
    cached = getattr(user, "_xuncha_identity", None)
    if cached is not None:
        return cached
    from django.db import connection

    perms, member_roles, groups, flags, unread, unit, body = set(), set(), set(), "", 0, None, None
    object_perms = {"work_in_group": set(), "lead_group": set()}
    with connection.cursor() as cursor:
        cursor.execute(_identity_sql(), {"user": user.pk})
        for kind, a, b in cursor.fetchall():
            if kind == "p":
                perms.add(f"{a}.{b}")
            elif kind == "m":
                member_roles.add(a)
                groups.add(int(b))
            elif kind == "g":
                object_perms[a].add(int(b))
            elif kind == "u":
                unit = int(a)
            elif kind == "b":
                body = a
            else:
                flags, unread = a or "", int(b)
    identity = Identity(
        perms=frozenset(perms),
        member_roles=frozenset(member_roles),
        groups=frozenset(groups),
        work_groups=frozenset(object_perms["work_in_group"]),
        led_groups=frozenset(object_perms["lead_group"]),
        liaison_unit=unit,
        head="h" in flags,
        body=body,
        supervising="s" in flags,
        unread=unread,
    )
    user._xuncha_identity = identity
    return identity


def scope_key(user) -> str:
    """What a user's lists are cut to, as a cache key part: the same for everyone who sees everything, else
    this user as they are now (their groups, liaison unit, other roles): a new membership is a new key."""
    if sees_everything(user):
        return "all"
    i = identity_of(user)
    groups = ",".join(str(g) for g in sorted(i.groups))
    return f"u{user.pk}:{sorted(i.member_roles)}:{groups}:{i.liaison_unit}:{i.head}:{i.body}:{i.supervising}"


def forget_identity(user) -> None:
    """After a write that changes who the user is (or the badge) within the same request."""
    for attr in ("_xuncha_identity", "_xuncha_roles", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        try:
            delattr(user, attr)
        except AttributeError:
            pass


def roles_of(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_xuncha_roles", None)
    if cached is not None:
        return cached
    from rounds.choices import MemberRole

    identity = identity_of(user)
    roles = set()
    if user.has_perm(PERM_MANAGE):
        roles.add(Role.OFFICE)
    elif user.has_perm(PERM_OVERSEE):
        roles.add(Role.LEADERSHIP)
    if identity.member_roles & {MemberRole.LEADER, MemberRole.DEPUTY}:
        roles.add(Role.GROUP_LEADER)
    if identity.member_roles - {MemberRole.LEADER, MemberRole.DEPUTY}:
        roles.add(Role.GROUP_MEMBER)
    if identity.liaison:
        roles.add(Role.UNIT_LIAISON)
    if identity.head:
        roles.add(Role.UNIT_HEAD)
    if identity.body is not None:
        roles.add(Role.DISCIPLINE_LIAISON)
    if identity.supervising:
        roles.add(Role.SUPERVISING_LIAISON)
    user._xuncha_roles = frozenset(roles)
    return user._xuncha_roles


def sees_everything(user) -> bool:
    """Office and leadership read everything; every other role is scoped by object permissions."""
    return user.is_authenticated and user.has_perm(PERM_OVERSEE)


def require_oversight(user) -> None:
    """Pages for office and leadership: everyone else gets 404, like any object they may not see."""
    if not sees_everything(user):
        raise Http404


def require_manage(user) -> None:
    """Writes are for the office. Everyone else, leadership included, gets 404: there is nothing to write to."""
    if not user.has_perm(PERM_MANAGE):
        raise Http404
