"""Every state history seed_demo writes is one the workflow tables allow, in the demo county and in the bulk-built
counties after it: each finding's 三审 steps, each task's events and each clue's status, move by move, with
an actor the table lets make the move."""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from findings import workflow as review_workflow
from findings.choices import ClueStatus, ReviewState
from findings.models import Clue, Finding, FindingReview
from rectification import workflow as task_workflow
from rectification.choices import TaskStatus
from rectification.models import RectificationTask, TaskEvent
from rounds.choices import LEADING_ROLES
from rounds.models import GroupMembership, PartyUnit, UnitLiaison
from tests.world import ensure_reference_data
from xuncha.roles import OFFICE_GROUP

pytestmark = pytest.mark.django_db


def _chains(rows):
    """{owner id: [(from, to, actor id), …]} in the order the rows were written."""
    chains = defaultdict(list)
    for owner, *move in rows:
        chains[owner].append(tuple(move))
    return chains


def review_problems() -> list[str]:
    """Findings whose review history is not a chain of findings/workflow.py moves by a member allowed to make them."""
    roles = defaultdict(set)  # (group, user) → the workflow roles a membership gives
    for group, user, role in GroupMembership.objects.values_list("group_id", "inspector__user_id", "role"):
        roles[(group, user)] |= {review_workflow.MEMBER, *({role} & set(LEADING_ROLES))}
    chains = _chains(
        FindingReview.objects.order_by("pk").values_list("finding_id", "from_state", "to_state", "actor_id")
    )
    problems = []
    for pk, state, group in Finding.objects.values_list("pk", "review_state", "inspection__group_id"):
        at = ReviewState.DRAFT
        for frm, to, actor in chains.get(pk, []):
            rule = review_workflow.rule_for(frm, to)
            if frm != at or rule is None:
                problems.append(f"finding {pk}: {frm} → {to} after {at}")
            elif not rule.by & roles[(group, actor)]:
                problems.append(f"finding {pk}: {frm} → {to} by user {actor}, roles {sorted(roles[(group, actor)])}")
            at = to
        if at != state:
            problems.append(f"finding {pk}: history ends at {at}, the finding is {state}")
    return problems


def task_problems() -> list[str]:
    """Tasks whose events are not a chain of rectification/workflow.py moves by someone allowed to make them.

    The unit's side of a move (申请销号, starting the work) is the office's or the unit's: its liaison, or the
    task's named 经办人, whom the demo lets act for the unit."""
    office = set(User.objects.filter(groups__name=OFFICE_GROUP).values_list("pk", flat=True))
    liaisons = defaultdict(set)
    for unit, user in UnitLiaison.objects.values_list("unit_id", "user_id"):
        liaisons[unit].add(user)
    chains = _chains(TaskEvent.objects.order_by("pk").values_list("task_id", "from_status", "to_status", "actor_id"))
    problems = []
    for pk, status, unit, handler in RectificationTask.objects.values_list(
        "pk", "status", "responsible_unit_id", "handler_id"
    ):
        at = TaskStatus.NOT_STARTED
        for frm, to, actor in chains.get(pk, []):
            rule = task_workflow.rule_for(frm, to)
            may = set(office)
            if rule is not None and task_workflow.LIAISON in rule.by:
                may |= liaisons[unit] | {handler}
            if frm != at or rule is None:
                problems.append(f"task {pk}: {frm} → {to} after {at}")
            elif actor not in may:
                problems.append(f"task {pk}: {frm} → {to} by user {actor}, who may not")
            at = to
        if at != status:
            problems.append(f"task {pk}: history ends at {at}, the task is {status}")
    return problems


def clue_problems() -> list[str]:
    """Clues in a status the clue table cannot reach from 草稿, or whose dates and letter disagree with it."""
    reachable, frontier = {ClueStatus.DRAFT}, [ClueStatus.DRAFT]
    while frontier:
        here = frontier.pop()
        for frm, to in review_workflow.CLUE_TRANSITIONS:
            if frm == here and to not in reachable:
                reachable.add(to)
                frontier.append(to)
    problems = []
    for clue in Clue.objects.only("status", "transfer_date", "letter_number", "answered_date", "outcome"):
        transferred = bool(clue.transfer_date and clue.letter_number)
        answered = bool(clue.answered_date and clue.outcome)
        expected = (False, False) if clue.status == ClueStatus.DRAFT else (True, clue.status == ClueStatus.ANSWERED)
        if clue.status not in reachable or (transferred, answered) != expected:
            problems.append(f"clue {clue.pk}: {clue.status} with transferred={transferred}, answered={answered}")
    return problems


def test_every_demo_history_is_made_of_workflow_moves():
    ensure_reference_data()  # an earlier transactional test's flush may have removed the role groups
    call_command("seed_demo", scale=2, tasks_per_county=400, stdout=StringIO())
    assert PartyUnit.objects.filter(name__startswith="第2县·").exists()  # a bulk-built county is walked too
    second = {"inspection__unit__name__startswith": "第2县·"}
    assert FindingReview.objects.filter(**{f"finding__{k}": v for k, v in second.items()}).exists()
    assert TaskEvent.objects.filter(**{f"task__finding__{k}": v for k, v in second.items()}).exists()
    assert Clue.objects.filter(**second).exclude(status=ClueStatus.DRAFT).exists()

    assert review_problems() == []
    assert task_problems() == []
    assert clue_problems() == []

    # The walk finds a move the table does not have, a wrong actor, and a history that ends elsewhere.
    task = RectificationTask.objects.filter(status=TaskStatus.NOT_STARTED).first()
    TaskEvent.objects.create(
        task=task, from_status=TaskStatus.NOT_STARTED, to_status=TaskStatus.CLOSED, actor=task.handler
    )
    assert task_problems() == [
        f"task {task.pk}: not_started → closed after not_started",
        f"task {task.pk}: history ends at closed, the task is not_started",
    ]
    finding = Finding.objects.filter(review_state=ReviewState.DRAFT, reviews__isnull=True).first()
    FindingReview.objects.create(
        finding=finding, from_state=ReviewState.DRAFT, to_state=ReviewState.DEPUTY_REVIEW, actor=task.handler
    )
    assert review_problems() == [
        f"finding {finding.pk}: draft → deputy_review by user {task.handler.pk}, roles []",
        f"finding {finding.pk}: history ends at deputy_review, the finding is draft",
    ]
