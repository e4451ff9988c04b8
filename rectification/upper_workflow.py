"""Who may move an upper-level request (交办事项), in one place.

OWNER is the county person the office assigned it to; OFFICE assigns it, and confirms or returns what
was reported. Leadership reads only."""

from django.utils.translation import gettext_lazy as _

from xuncha.roles import PERM_MANAGE
from xuncha.workflow import Rule, Workflow

from .choices import RequestStatus

OWNER, OFFICE = "owner", "office"


R = RequestStatus
TRANSITIONS = {
    (R.TODO, R.DOING): Rule(by=frozenset({OWNER, OFFICE}), label=_("开始办理")),
    (R.DOING, R.SUBMITTED): Rule(by=frozenset({OWNER, OFFICE}), label=_("报送"), needs_reply=True),
    (R.SUBMITTED, R.CONFIRMED): Rule(by=frozenset({OFFICE}), label=_("确认"), style="success"),
    (R.SUBMITTED, R.RETURNED): Rule(
        by=frozenset({OFFICE}), label=_("退回"), needs_comment=True, style="outline-danger"
    ),
    (R.RETURNED, R.SUBMITTED): Rule(by=frozenset({OWNER, OFFICE}), label=_("重新报送"), needs_reply=True),
}


FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves


def roles_on(user, request) -> frozenset:
    """OFFICE for the inspection office, OWNER for the person the request is assigned to."""
    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if user.is_authenticated and request.owner_id == user.pk:
        roles.add(OWNER)
    return frozenset(roles)


def can_attach(roles: frozenset, status: str) -> bool:
    """Files go with the reply while the request is still the county's to answer."""
    return bool(roles & {OWNER, OFFICE}) and status in (R.TODO, R.DOING, R.RETURNED)
