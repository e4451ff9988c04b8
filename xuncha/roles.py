"""Who a user is in the system. Roles are derived from data (auth groups, memberships, liaison rows),
never stored twice; `roles_of` is cached per request on the user object."""

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


def roles_of(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_xuncha_roles", None)
    if cached is not None:
        return cached
    from django.contrib.auth import get_user_model

    from findings.models import BodyLiaison
    from rectification.models import SupervisingLiaison
    from rounds.choices import MemberRole
    from rounds.models import GroupMembership, PartyUnit, UnitLiaison

    roles = set()
    if user.has_perm(PERM_MANAGE):
        roles.add(Role.OFFICE)
    elif user.has_perm(PERM_OVERSEE):
        roles.add(Role.LEADERSHIP)
    member_roles = set(GroupMembership.objects.filter(inspector__user=user).values_list("role", flat=True))
    if member_roles & {MemberRole.LEADER, MemberRole.DEPUTY}:
        roles.add(Role.GROUP_LEADER)
    if member_roles - {MemberRole.LEADER, MemberRole.DEPUTY}:
        roles.add(Role.GROUP_MEMBER)
    # One query for the rows that make the other roles (unit liaison, unit head, clue liaison, supervising
    # liaison): who a user is stays cheap.
    liaison, head, body, supervising = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            is_liaison=models.Exists(UnitLiaison.objects.filter(user_id=user.pk)),
            is_head=models.Exists(PartyUnit.objects.filter(head_id=user.pk)),
            is_body=models.Exists(BodyLiaison.objects.filter(user_id=user.pk)),
            is_supervising=models.Exists(SupervisingLiaison.objects.filter(user_id=user.pk)),
        )
        .values_list("is_liaison", "is_head", "is_body", "is_supervising")
        .first()
    ) or (False, False, False, False)
    if liaison:
        roles.add(Role.UNIT_LIAISON)
    if head:
        roles.add(Role.UNIT_HEAD)
    if body:
        roles.add(Role.DISCIPLINE_LIAISON)
    if supervising:
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
