"""The transitions table for a unit's document (整改方案/整改报告). Only services.documents reads it."""

from django.utils.translation import gettext_lazy as _

from .choices import DocumentStatus as S
from .workflow import LIAISON, OFFICE, Rule

TRANSITIONS: dict[tuple[str, str], Rule] = {
    # 报送: the unit's liaison (or the office on its behalf) submits, with attachments.
    (S.PENDING, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("报送")),
    (S.RETURNED, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("重新报送")),
    (S.SUBMITTED, S.ACCEPTED): Rule(frozenset({OFFICE}), _("审核通过"), style="success"),
    (S.SUBMITTED, S.RETURNED): Rule(frozenset({OFFICE}), _("退回修改"), needs_comment=True, style="danger"),
}


def rule_for(from_status: str, to_status: str) -> Rule | None:
    return TRANSITIONS.get((from_status, to_status))


def roles_on_document(user, document) -> frozenset:
    """The workflow roles `user` holds on this document: office (rounds.manage) and/or the unit's own liaison."""
    from xuncha.roles import PERM_MANAGE

    from .scopes import liaison_unit_id

    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if user.is_authenticated and liaison_unit_id(user) == document.unit_id:
        roles.add(LIAISON)
    return frozenset(roles)


def review_moves(user, document) -> list[tuple[str, Rule]]:
    """The review buttons (通过/退回) this user may press on this document now."""
    roles = roles_on_document(user, document)
    return [
        (to, rule)
        for (frm, to), rule in TRANSITIONS.items()
        if frm == document.status and to != S.SUBMITTED and rule.by & roles
    ]


def can_submit(user, document) -> bool:
    rule = rule_for(document.status, S.SUBMITTED)
    return rule is not None and bool(rule.by & roles_on_document(user, document))
