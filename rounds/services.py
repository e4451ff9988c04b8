"""Writes for plans, rounds, groups and memberships. Each is one transaction and records its actor."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from xuncha.history import stamp

from .choices import LEADING_ROLES, MemberRole
from .models import GroupMembership, Inspection, InspectionGroup, Inspector, Round

WORK_PERM = "rounds.work_in_group"
LEAD_PERM = "rounds.lead_group"


@transaction.atomic
def group_create(*, actor, round: Round, name: str) -> InspectionGroup:
    """Create a group with its own auth group, which will carry the members' object permissions."""
    auth_group = Group.objects.create(name=f"巡察组#{round.pk}-{name}")
    group = stamp(InspectionGroup(round=round, name=name, auth_group=auth_group), actor=actor, reason=_("组建巡察组"))
    group.full_clean()
    group.save()
    assign_perm(WORK_PERM, auth_group, group)
    return group


def avoidance_conflicts(*, inspector: Inspector, group: InspectionGroup) -> list:
    """Units of this group's inspections that the inspector must avoid (回避)."""
    avoided = inspector.avoided_unit_ids()
    if not avoided:
        return []
    return list(Inspection.objects.filter(group=group, unit_id__in=avoided).select_related("unit"))


def _grant(membership: GroupMembership):
    user = membership.inspector.user
    if user is None:
        return
    user.groups.add(membership.group.auth_group)
    if membership.role in LEADING_ROLES:
        assign_perm(LEAD_PERM, user, membership.group)
    else:
        remove_perm(LEAD_PERM, user, membership.group)


def _revoke(membership: GroupMembership):
    user = membership.inspector.user
    if user is None:
        return
    user.groups.remove(membership.group.auth_group)
    remove_perm(LEAD_PERM, user, membership.group)


@transaction.atomic
def membership_add(*, actor, group: InspectionGroup, inspector: Inspector, role: str = MemberRole.MEMBER):
    """Add a person to a group and grant the group's rights ("一次一授权"); refuse a 回避 conflict."""
    conflicts = avoidance_conflicts(inspector=inspector, group=group)
    if conflicts:
        names = "、".join(i.unit.name for i in conflicts)
        raise ValidationError(
            _("%(person)s 须回避 %(units)s，不能加入%(group)s。")
            % {"person": inspector.name, "units": names, "group": group.name}
        )
    membership = stamp(
        GroupMembership(group=group, inspector=inspector, role=role), actor=actor, reason=_("加入巡察组")
    )
    membership.full_clean()
    membership.save()
    _grant(membership)
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: GroupMembership, role: str) -> GroupMembership:
    membership.role = role
    stamp(membership, actor=actor, reason=_("调整组内职务"))
    membership.full_clean()
    membership.save()
    _grant(membership)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: GroupMembership) -> None:
    """Take a person out of a group; their rights on the group's work go with it."""
    _revoke(membership)
    stamp(membership, actor=actor, reason=_("退出巡察组"))
    membership.delete()
