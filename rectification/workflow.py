"""The one transitions table for a rectification task's status. Only `services.task_transition` reads it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xuncha.roles import Role

from .choices import TaskStatus as S

LIAISON = Role.UNIT_LIAISON  # the liaison of the task's responsible unit, not of any unit
OFFICE = Role.OFFICE


@dataclass(frozen=True)
class Rule:
    by: frozenset
    label: str
    needs_comment: bool = False
    style: str = "primary"  # button colour on the task page


TRANSITIONS: dict[tuple[str, str], Rule] = {
    # The first progress report starts the work.
    (S.NOT_STARTED, S.IN_PROGRESS): Rule(frozenset({LIAISON, OFFICE}), _("开始整改")),
    # 申请销号: the unit says it is done; the office verifies.
    (S.NOT_STARTED, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("申请销号")),
    (S.IN_PROGRESS, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("申请销号")),
    (S.SUBMITTED, S.CLOSED): Rule(frozenset({OFFICE}), _("审核通过，销号"), style="success"),
    (S.SUBMITTED, S.IN_PROGRESS): Rule(frozenset({OFFICE}), _("退回重新整改"), needs_comment=True, style="danger"),
    # A failed spot check (回头看) reopens a closed task; the reason is the check's finding.
    (S.CLOSED, S.IN_PROGRESS): Rule(
        frozenset({OFFICE}), _("重新打开（抽查未通过）"), needs_comment=True, style="danger"
    ),
}


def rule_for(from_status: str, to_status: str) -> Rule | None:
    return TRANSITIONS.get((from_status, to_status))


def roles_on_task(user, task) -> frozenset:
    """The workflow roles `user` holds on this task: office (rounds.manage) and/or the unit's own liaison."""
    from rounds.models import UnitLiaison
    from xuncha.roles import PERM_MANAGE

    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if user.is_authenticated and UnitLiaison.objects.filter(user=user, unit_id=task.responsible_unit_id).exists():
        roles.add(LIAISON)
    return frozenset(roles)


def allowed_transitions(user, task) -> list[tuple[str, Rule]]:
    """The moves this user may make on this task now (for the buttons on the task page)."""
    roles = roles_on_task(user, task)
    return [(to, rule) for (frm, to), rule in TRANSITIONS.items() if frm == task.status and rule.by & roles]
