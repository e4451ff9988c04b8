"""The one transitions table for a rectification task's status. `services.tasks` enforces it.

The moves marked `by_report` (开始整改, 申请销号) are made only by `progress_report_add`, with a progress
report and its evidence; `task_transition` refuses them as a bare status change."""

from django.utils.translation import gettext_lazy as _

from xuncha.roles import Role
from xuncha.workflow import Rule, Workflow

from .choices import TaskStatus as S

LIAISON = Role.UNIT_LIAISON  # the liaison of the task's responsible unit, not of any unit
OFFICE = Role.OFFICE


TRANSITIONS: dict[tuple[str, str], Rule] = {
    # The first progress report starts the work.
    (S.NOT_STARTED, S.IN_PROGRESS): Rule(frozenset({LIAISON, OFFICE}), _("开始整改"), by_report=True),
    # 申请销号: the unit says it is done, in a progress report with its evidence; the office verifies.
    (S.NOT_STARTED, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("申请销号"), by_report=True),
    (S.IN_PROGRESS, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("申请销号"), by_report=True),
    (S.SUBMITTED, S.CLOSED): Rule(frozenset({OFFICE}), _("审核通过，销号"), style="success"),
    (S.SUBMITTED, S.IN_PROGRESS): Rule(frozenset({OFFICE}), _("退回重新整改"), needs_comment=True, style="danger"),
    # A failed spot check (回头看) reopens a closed task; the reason is the check's finding.
    (S.CLOSED, S.IN_PROGRESS): Rule(
        frozenset({OFFICE}), _("重新打开（抽查未通过）"), needs_comment=True, style="danger"
    ),
}


FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves

# Progress is reported (报送进展) by the task's own liaison or the office while the work is open.
REPORTERS = frozenset({LIAISON, OFFICE})
REPORTABLE_STATES = frozenset({S.NOT_STARTED, S.IN_PROGRESS})


def roles_on(user, task) -> frozenset:
    """The workflow roles `user` holds on this task: office (rounds.manage) and/or the unit's own liaison."""
    from rounds.models import UnitLiaison
    from xuncha.roles import PERM_MANAGE

    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if user.is_authenticated and UnitLiaison.objects.filter(user=user, unit_id=task.responsible_unit_id).exists():
        roles.add(LIAISON)
    return frozenset(roles)


def can_report(roles: frozenset, status: str) -> bool:
    """Whether these roles may report progress (and so 申请销号) on a task in this status."""
    return bool(roles & REPORTERS) and status in REPORTABLE_STATES


def can_edit(roles: frozenset, status: str) -> bool:
    """The office edits a task's measure, owners and due date until it is closed (已销号)."""
    return OFFICE in roles and status != S.CLOSED


def button_moves(roles: frozenset, status: str) -> list[tuple[str, Rule]]:
    """The moves made by the buttons on the task page: not those a progress report makes."""
    return [(to, rule) for to, rule in available_moves(roles, status) if not rule.by_report]
