"""The inspection stage workflow, in one table. `rounds.services.inspection_advance` is its only enforcer.

A stage moves forward one step at a time (准备→进驻→了解→报告→反馈→整改→评估/归档); nothing moves it back.
The office moves every step. The leaders of the inspection's own group (组长/副组长, i.e. holders of
`rounds.lead_group` on that group) also move the on-site steps 进驻→了解→报告, because they are the
ones on site who know when talking has turned into writing; entering a unit (进驻), feedback and
everything after it stay with the office, which schedules them with the unit and the county leadership.
"""

from xuncha.roles import PERM_MANAGE, Role
from xuncha.workflow import Rule, Workflow

from .choices import Stage

OFFICE = frozenset({Role.OFFICE})
OFFICE_OR_GROUP_LEADER = frozenset({Role.OFFICE, Role.GROUP_LEADER})

TRANSITIONS: dict[tuple[Stage, Stage], Rule] = {
    (Stage.PREPARATION, Stage.STATIONED): Rule(by=OFFICE, sets_date="entry_date"),
    (Stage.STATIONED, Stage.UNDERSTANDING): Rule(by=OFFICE_OR_GROUP_LEADER),
    (Stage.UNDERSTANDING, Stage.REPORTING): Rule(by=OFFICE_OR_GROUP_LEADER, sets_date="onsite_end_date"),
    (Stage.REPORTING, Stage.FEEDBACK): Rule(by=OFFICE, sets_date="feedback_date"),
    (Stage.FEEDBACK, Stage.RECTIFICATION): Rule(by=OFFICE),
    (Stage.RECTIFICATION, Stage.ARCHIVED): Rule(by=OFFICE),
}


FLOW = Workflow(TRANSITIONS)
available_moves = FLOW.available_moves


def roles_on(user, inspection) -> frozenset:
    """The workflow roles `user` holds on this inspection: office globally, group leader on its own group only."""
    roles = set()
    if user.has_perm(PERM_MANAGE):
        roles.add(Role.OFFICE)
    if user.has_perm("rounds.lead_group", inspection.group):
        roles.add(Role.GROUP_LEADER)
    return frozenset(roles)


def rule_for(from_stage: int, to_stage: int) -> Rule | None:
    return FLOW.rule_for(Stage(from_stage), Stage(to_stage)) if to_stage in Stage.values else None
