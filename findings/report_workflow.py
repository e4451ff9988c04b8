"""Who moves a 巡察报告 through its review, in one table; `report_services.report_transition` enforces it.

A report's state names the meeting it waits for. The group (组长/副组长) drafts it and puts it to the
组务会; the group leader (组长) records the 组务会 and brings it to the office; the office records the
组办会商 it holds with the group; leadership records the 领导小组审议 and then the 书记专题会, whose
decision and date make the report final (定稿). Whoever holds a meeting may send the report back to the
group as a draft, with a reason. Every move is a dated, signed step (InspectionReportStep).

The round's 综合报告 has its own short table: the office submits it, leadership approves it or sends it back.
"""

from django.utils.translation import gettext_lazy as _

from rounds.choices import LEADING_ROLES
from xuncha.roles import PERM_MANAGE, Role, roles_of
from xuncha.workflow import Rule, Workflow

from . import workflow
from .choices import ReportState, RoundReportState

LEADER = workflow.LEADER  # 组长 of the report's group
DEPUTY = workflow.DEPUTY  # 副组长 of the report's group
OFFICE = Role.OFFICE.value
LEADERSHIP = Role.LEADERSHIP.value
ALL_ROLES = frozenset({LEADER, DEPUTY, OFFICE, LEADERSHIP})


def _back(by):
    return Rule(by=frozenset(by), label=_("退回修改"), needs_comment=True, style="outline-danger")


S = ReportState
TRANSITIONS = {
    (S.DRAFT, S.GROUP_MEETING): Rule(by=frozenset({LEADER, DEPUTY}), label=_("提交组务会")),
    (S.GROUP_MEETING, S.OFFICE_CONSULT): Rule(by=frozenset({LEADER}), label=_("组务会通过，报组办会商")),
    (S.GROUP_MEETING, S.DRAFT): _back({LEADER}),
    (S.OFFICE_CONSULT, S.LEADERSHIP_REVIEW): Rule(by=frozenset({OFFICE}), label=_("组办会商通过，报领导小组审议")),
    (S.OFFICE_CONSULT, S.DRAFT): _back({OFFICE}),
    (S.LEADERSHIP_REVIEW, S.SECRETARY_MEETING): Rule(
        by=frozenset({LEADERSHIP}), label=_("领导小组审议通过，报书记专题会")
    ),
    (S.LEADERSHIP_REVIEW, S.DRAFT): _back({LEADERSHIP}),
    (S.SECRETARY_MEETING, S.FINAL): Rule(
        by=frozenset({LEADERSHIP}),
        label=_("书记专题会审定，定稿"),
        needs_comment=True,
        records_decision=True,
        style="success",
    ),
    (S.SECRETARY_MEETING, S.DRAFT): _back({LEADERSHIP}),
}

# Only a draft is edited, by the group's leaders; a sent-back report is a draft again.
EDITABLE_STATES = frozenset({S.DRAFT})
EDITORS = frozenset({LEADER, DEPUTY})

R = RoundReportState
ROUND_TRANSITIONS = {
    (R.DRAFT, R.SUBMITTED): Rule(by=frozenset({OFFICE}), label=_("报领导小组审定")),
    (R.SUBMITTED, R.APPROVED): Rule(by=frozenset({LEADERSHIP}), label=_("审定通过"), style="success"),
    (R.SUBMITTED, R.DRAFT): _back({LEADERSHIP}),
}
ROUND_EDITORS = frozenset({OFFICE})


FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves
ROUND_FLOW = Workflow(ROUND_TRANSITIONS)
round_rule_for = ROUND_FLOW.rule_for
round_available_moves = ROUND_FLOW.available_moves


def roles_on(user, inspection) -> frozenset:
    """LEADER/DEPUTY on the inspection's own group, OFFICE or LEADERSHIP globally."""
    roles = set(workflow.group_roles(user, inspection.group)) & set(LEADING_ROLES)
    return frozenset(roles | overseer_roles(user))


def overseer_roles(user) -> set:
    held = roles_of(user)
    if Role.OFFICE in held and user.has_perm(PERM_MANAGE):
        return {OFFICE}
    return {LEADERSHIP} if Role.LEADERSHIP in held else set()


def can_edit(roles: frozenset, state: str) -> bool:
    return bool(roles & EDITORS) and state in EDITABLE_STATES


def round_can_edit(roles: frozenset, state: str) -> bool:
    return bool(roles & ROUND_EDITORS) and state == R.DRAFT
