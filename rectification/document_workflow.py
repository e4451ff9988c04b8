"""The transitions table for a unit's document (整改方案/整改报告). Only services.documents enforces it."""

from django.utils.translation import gettext_lazy as _

from xuncha.workflow import Rule, Workflow

from .choices import DocumentStatus as S
from .workflow import LIAISON, OFFICE

TRANSITIONS: dict[tuple[str, str], Rule] = {
    # 报送: the unit's liaison (or the office on its behalf) submits, with attachments.
    (S.PENDING, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("报送")),
    (S.RETURNED, S.SUBMITTED): Rule(frozenset({LIAISON, OFFICE}), _("重新报送")),
    (S.SUBMITTED, S.ACCEPTED): Rule(frozenset({OFFICE}), _("审核通过"), style="success"),
    (S.SUBMITTED, S.RETURNED): Rule(frozenset({OFFICE}), _("退回修改"), needs_comment=True, style="danger"),
}

FLOW = Workflow(TRANSITIONS)
rule_for = FLOW.rule_for
available_moves = FLOW.available_moves


def roles_on(user, document) -> frozenset:
    """The workflow roles `user` holds on this document: office (rounds.manage) and/or the unit's own liaison."""
    from xuncha.roles import PERM_MANAGE

    from .scopes import liaison_unit_id

    roles = set()
    if user.is_authenticated and user.has_perm(PERM_MANAGE):
        roles.add(OFFICE)
    if user.is_authenticated and liaison_unit_id(user) == document.unit_id:
        roles.add(LIAISON)
    return frozenset(roles)


def review_moves(roles: frozenset, status: str) -> list[tuple[str, Rule]]:
    """The review buttons (通过/退回) these roles may press on a document in this status."""
    return [(to, rule) for to, rule in available_moves(roles, status) if to != S.SUBMITTED]


def can_submit(roles: frozenset, status: str) -> bool:
    return FLOW.may(roles, status, S.SUBMITTED)
