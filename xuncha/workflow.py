"""The one shape of a workflow: a transitions table of `Rule`s, and the questions every app asks it.

Each app's workflow module declares its table and one `roles_on(user, obj)` (the workflow roles the user
holds on that object), and exposes the table's `rule_for(from, to)` and `available_moves(roles, state)`
under those names. A service locks the row, asks `rule_for` and checks the actor's roles against
`rule.by`, saves, and writes an event row (a `TransitionEvent`); a view asks `available_moves` for the
buttons it shows. Nothing else decides who moves what.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    by: frozenset  # the roles that may make the move
    label: Any = ""  # the button / the history reason
    needs_comment: bool = False  # 退回 and the like say why
    style: str = "primary"  # button colour
    needs_reply: bool = False  # the move carries a reply (upper-level requests: 报送)
    records_decision: bool = False  # the move records a meeting's decision and date (reports: 定稿)
    sets_date: str = ""  # a date field set to today by the move when still empty (inspection stages)
    by_report: bool = False  # made by a progress report (报送进展 / 申请销号), never as a bare status change


class Workflow:
    """A transitions table {(from, to): Rule} and the lookups on it."""

    def __init__(self, transitions: dict):
        self.transitions = transitions

    def rule_for(self, from_state, to_state) -> Rule | None:
        try:
            return self.transitions.get((from_state, to_state))
        except TypeError:  # an unhashable value from a form is no move
            return None

    def available_moves(self, roles: frozenset, state) -> list[tuple[Any, Rule]]:
        """The moves these roles may make from `state`, in the table's order (the buttons on a page)."""
        return [(to, rule) for (frm, to), rule in self.transitions.items() if frm == state and roles & rule.by]

    def may(self, roles: frozenset, from_state, to_state) -> bool:
        rule = self.rule_for(from_state, to_state)
        return rule is not None and bool(roles & rule.by)
