"""Who may do what to findings and clues: the review table (三审) and the clue table, in one place.

Roles here are the actor's roles *on the finding's group*, derived from two sources that must agree:
the guardian object permissions on the InspectionGroup (work_in_group / lead_group, granted and
revoked with the membership) and the GroupMembership role (which tells 组长 from 副组长).
Office and leadership have no role on a group, so they read but never review.
"""

from django.utils.translation import gettext_lazy as _

from rounds.choices import LEADING_ROLES, MemberRole
from xuncha.workflow import Rule, Workflow

from .choices import ClueStatus, ReviewState

WORK_PERM = "rounds.work_in_group"
LEAD_PERM = "rounds.lead_group"

MEMBER = "member"  # any member of the group (组长、副组长、联络员、成员)
DEPUTY = MemberRole.DEPUTY.value  # 副组长
LEADER = MemberRole.LEADER.value  # 组长
RECEIVING_BODY = "receiving_body"  # the liaison of the body a clue was transferred to


S = ReviewState
# A group without a deputy: the leader does both the deputy's review and the signing (组长兼复核),
# which the table allows because the leader may always do the deputy's step.
# 已报告 is final: a reported finding goes into the feedback and is never sent back.
TRANSITIONS = {
    (S.DRAFT, S.DEPUTY_REVIEW): Rule(by=frozenset({MEMBER}), label=_("提交复核")),
    (S.DEPUTY_REVIEW, S.LEADER_SIGN): Rule(by=frozenset({DEPUTY, LEADER}), label=_("复核通过，报组长审签")),
    (S.DEPUTY_REVIEW, S.DRAFT): Rule(
        by=frozenset({DEPUTY, LEADER}), label=_("退回修改"), needs_comment=True, style="outline-danger"
    ),
    (S.LEADER_SIGN, S.REPORTED): Rule(by=frozenset({LEADER}), label=_("审签，列入报告"), style="success"),
    (S.LEADER_SIGN, S.DRAFT): Rule(
        by=frozenset({LEADER}), label=_("退回修改"), needs_comment=True, style="outline-danger"
    ),
}

FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves

# Only a draft (including one sent back, which is a draft again) is edited, by its group.
EDITABLE_STATES = frozenset({S.DRAFT})


def group_roles(user, group) -> frozenset:
    """The user's roles on this inspection group: MEMBER, and DEPUTY or LEADER where they lead it."""
    if not user.is_authenticated:
        return frozenset()
    from rounds.models import GroupMembership

    role = GroupMembership.objects.filter(group=group, inspector__user=user).values_list("role", flat=True).first()
    if role is None or not user.has_perm(WORK_PERM, group):
        return frozenset()
    roles = {MEMBER}
    if role in LEADING_ROLES and user.has_perm(LEAD_PERM, group):
        roles.add(role)
    return frozenset(roles)


def roles_on(user, finding) -> frozenset:
    """The user's workflow roles on this finding: their roles on its group."""
    return group_roles(user, finding.inspection.group)


def can_edit(roles: frozenset, state: str) -> bool:
    return MEMBER in roles and state in EDITABLE_STATES


# --- Clues ----------------------------------------------------------------------------------
C = ClueStatus
# (from, to) → who. Recording a disposition keeps a clue 已移交 until the body gives its answer
# (answered date), which makes it 已反馈; the body may still correct the outcome afterwards.
CLUE_TRANSITIONS = {
    (C.DRAFT, C.DRAFT): frozenset({LEADER, DEPUTY}),  # edit before transfer
    (C.DRAFT, C.TRANSFERRED): frozenset({LEADER, DEPUTY}),  # clue_transfer
    (C.TRANSFERRED, C.TRANSFERRED): frozenset({RECEIVING_BODY}),  # clue_record_disposition
    (C.TRANSFERRED, C.ANSWERED): frozenset({RECEIVING_BODY}),
    (C.ANSWERED, C.ANSWERED): frozenset({RECEIVING_BODY}),
}


# Clues are the group leaders' (组长/副组长): they record, edit and transfer them.
CLUE_KEEPERS = frozenset({LEADER, DEPUTY})


def can_record_clue(roles: frozenset) -> bool:
    return bool(roles & CLUE_KEEPERS)


def clue_roles(user, clue) -> frozenset:
    """LEADER/DEPUTY of the clue's group (lead_group perm), and RECEIVING_BODY for the body's liaison."""
    roles = set(group_roles(user, clue.inspection.group)) - {MEMBER}
    from .models import BodyLiaison

    if clue.status != C.DRAFT and BodyLiaison.objects.filter(user=user, body=clue.receiving_body).exists():
        roles.add(RECEIVING_BODY)
    return frozenset(roles)


def clue_may(roles: frozenset, from_status: str, to_status: str) -> bool:
    return bool(roles & CLUE_TRANSITIONS.get((from_status, to_status), frozenset()))


def clue_can_edit(roles: frozenset, status: str) -> bool:
    return clue_may(roles, status, C.DRAFT)


def clue_can_transfer(roles: frozenset, status: str) -> bool:
    return clue_may(roles, status, C.TRANSFERRED) and status == C.DRAFT


def clue_can_record(roles: frozenset, status: str) -> bool:
    return clue_may(roles, status, C.ANSWERED)
