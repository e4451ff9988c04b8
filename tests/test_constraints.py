"""The database refuses what the code forbids: each named constraint is tried with a bad row."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from findings.models import Clue, Finding
from rectification.models import Feedback, Notification, RectificationTask, Reminder
from rounds.choices import MemberRole, UnitKind
from rounds.models import (
    Avoidance,
    GroupMembership,
    Inspection,
    Inspector,
    Milestone,
    PartyUnit,
    Plan,
    PlanUnit,
    Round,
)


def refused(constraint_name, make):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        make()
    # SQLite names CHECK constraints in its message; PostgreSQL names every constraint.
    message = str(exc.value)
    assert constraint_name in message or "UNIQUE" in message or "unique" in message, message


pytestmark = pytest.mark.django_db


def test_unit_kind_must_be_known():
    refused("partyunit_kind_valid", lambda: PartyUnit.objects.create(name="某单位", kind="palace"))


def test_village_needs_a_township():
    refused("partyunit_village_has_township", lambda: PartyUnit.objects.create(name="孤村", kind=UnitKind.VILLAGE))


def test_plan_years_in_order():
    refused("plan_years_in_order", lambda: Plan.objects.create(name="倒置", start_year=2026, end_year=2022))


def test_unit_once_per_plan(world):
    refused(
        "planunit_once_per_plan",
        lambda: PlanUnit.objects.create(plan=world.plan, unit=world.units.finance, planned_year=2025),
    )


def test_milestone_is_a_percent_and_once_per_year(world):
    refused("milestone_rate_is_percent", lambda: Milestone.objects.create(plan=world.plan, year=2030, target_rate=120))
    refused(
        "milestone_once_per_year",
        lambda: Milestone.objects.create(plan=world.plan, year=world.today.year, target_rate=10),
    )


def test_round_number_once_per_plan_and_dates_in_order(world):
    refused("round_number_once_per_plan", lambda: Round.objects.create(plan=world.plan, number=1, year=2024))
    refused(
        "round_dates_in_order",
        lambda: Round.objects.create(
            plan=world.plan, number=9, year=2024, start_date=date(2024, 5, 1), end_date=date(2024, 4, 1)
        ),
    )
    refused("round_status_valid", lambda: Round.objects.create(plan=world.plan, number=8, year=2024, status="x"))


def test_one_membership_per_person_per_group(world):
    leader = world.g1.group.memberships.get(role=MemberRole.LEADER).inspector
    refused(
        "membership_once_per_group",
        lambda: GroupMembership.objects.create(group=world.g1.group, inspector=leader, role=MemberRole.MEMBER),
    )


def test_one_leader_per_group(world):
    other = Inspector.objects.create(name="另一组长")
    refused(
        "membership_one_leader_per_group",
        lambda: GroupMembership.objects.create(group=world.g1.group, inspector=other, role=MemberRole.LEADER),
    )


def test_avoidance_once_per_unit(world):
    person = Inspector.objects.create(name="回避者")
    Avoidance.objects.create(inspector=person, unit=world.units.finance)
    refused("avoidance_once_per_unit", lambda: Avoidance.objects.create(inspector=person, unit=world.units.finance))


def _inspection(world, **kwargs):
    defaults = dict(round=world.round, group=world.g1.group, unit=world.units.township, kind="regular")
    return Inspection.objects.create(**{**defaults, **kwargs})


def test_inspection_constraints(world):
    refused("inspection_once_per_round_unit_kind", lambda: _inspection(world, unit=world.units.finance))
    refused("inspection_kind_valid", lambda: _inspection(world, kind="secret"))
    refused("inspection_stage_valid", lambda: _inspection(world, stage=9))
    refused(
        "inspection_onsite_after_entry",
        lambda: _inspection(world, entry_date=date(2024, 5, 1), onsite_end_date=date(2024, 4, 1)),
    )
    refused(
        "inspection_feedback_after_onsite",
        lambda: _inspection(world, onsite_end_date=date(2024, 5, 1), feedback_date=date(2024, 4, 1)),
    )


def test_finding_constraints(world):
    refused(
        "finding_seq_once_per_inspection",
        lambda: Finding.objects.create(
            inspection=world.g1.inspection,
            seq=1,
            category=world.category,
            title="重",
            description="重",
            source="interview",
            author=world.users["group1_member"],
        ),
    )
    refused(
        "finding_review_state_valid",
        lambda: Finding.objects.filter(pk=world.g1.draft.pk).update(review_state="approved"),
    )
    refused(
        "finding_fed_back_only_when_reported",
        lambda: Finding.objects.filter(pk=world.g1.draft.pk).update(feedback=world.g1.feedback),
    )


def test_clue_constraints(world):
    refused(
        "clue_transfer_recorded",
        lambda: Clue.objects.filter(pk=world.g1.clue.pk).update(letter_number=""),
    )
    refused(
        "clue_due_after_transfer",
        lambda: Clue.objects.filter(pk=world.g1.clue.pk).update(feedback_due_date=date(2000, 1, 1)),
    )
    refused("clue_disposition_valid", lambda: Clue.objects.filter(pk=world.g1.clue.pk).update(disposition="x"))


def test_feedback_due_dates_after_feedback(world):
    refused(
        "feedback_plan_due_after_date",
        lambda: Feedback.objects.filter(pk=world.g1.feedback.pk).update(plan_due=date(2000, 1, 1)),
    )


def test_task_constraints(world):
    task = world.g1.task
    refused("task_status_valid", lambda: RectificationTask.objects.filter(pk=task.pk).update(status="done"))
    refused("task_progress_is_percent", lambda: RectificationTask.objects.filter(pk=task.pk).update(progress=101))
    refused("task_closed_iff_closed_at", lambda: RectificationTask.objects.filter(pk=task.pk).update(status="closed"))


def test_one_reminder_per_task_rung_and_due_date(world):
    task = world.g1.task
    Reminder.objects.create(task=task, rung="d20", due_date=task.due_date)
    refused(
        "reminder_once_per_task_rung",
        lambda: Reminder.objects.create(task=task, rung="d20", due_date=task.due_date),
    )
    # A new due date is a new ladder.
    Reminder.objects.create(task=task, rung="d20", due_date=task.due_date + timedelta(days=7))
    refused("reminder_for_one_subject", lambda: Reminder.objects.create(rung="d20", due_date=task.due_date))


def test_one_notification_per_reminder_and_recipient(world):
    reminder = Reminder.objects.create(task=world.g1.task, rung="due", due_date=world.g1.task.due_date)
    user = world.users["office"]
    Notification.objects.create(recipient=user, reminder=reminder, title="到期")
    refused(
        "notification_once_per_reminder",
        lambda: Notification.objects.create(recipient=user, reminder=reminder, title="到期"),
    )
