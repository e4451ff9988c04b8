"""Who may do what to a petition (巡察信访), in one place: the handling table and who sees the petitioner.

Roles are the actor's roles on the petition's group (findings.workflow.group_roles), plus OFFICE for
the inspection office, which also keeps the county-wide register (petitions with no inspection).
Leadership reads the register but neither handles petitions nor sees who wrote them.
"""

from django.utils.translation import gettext_lazy as _

from xuncha.roles import PERM_MANAGE
from xuncha.workflow import Rule, Workflow

from . import workflow
from .choices import PetitionStatus

OFFICE = "office"
LEADS = workflow.CLUE_KEEPERS  # the group's leaders: they also keep its clues
HANDLERS = LEADS | {OFFICE}


P = PetitionStatus
# 受理 → 分办 → 办结: a petition is assigned a route (the group itself, 纪委监委, a department, or 留存)
# and closed with the handling reply. Nothing goes backwards: a correction is a note on the next step.
TRANSITIONS = {
    (P.RECEIVED, P.ASSIGNED): Rule(by=HANDLERS, label=_("分办")),
    (P.ASSIGNED, P.CLOSED): Rule(by=HANDLERS, label=_("办结"), style="success"),
}
EDITABLE_STATES = frozenset({P.RECEIVED})
FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves


def roles_on(user, petition) -> frozenset:
    """MEMBER / DEPUTY / LEADER on the petition's group, and OFFICE for the inspection office."""
    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if petition.inspection_id is not None:
        roles |= workflow.group_roles(user, petition.inspection.group)
    return frozenset(roles)


def sees_petitioner(roles: frozenset) -> bool:
    """The petitioner is known to the group's leader (组长/副组长) and the office only: never to the group's
    other members, leadership, or anyone outside."""
    return bool(roles & HANDLERS)


def can_edit(roles: frozenset, status: str) -> bool:
    return bool(roles & HANDLERS) and status in EDITABLE_STATES


def can_make_finding(roles: frozenset, petition) -> bool:
    """Any member of the group drafts a finding from it (once; a county-wide petition has no group)."""
    return workflow.MEMBER in roles and petition.finding_id is None and petition.inspection_id is not None


def can_make_clue(roles: frozenset, petition) -> bool:
    """Clues are the leaders' (as for clue_create)."""
    return bool(roles & LEADS) and petition.clue_id is None and petition.inspection_id is not None
