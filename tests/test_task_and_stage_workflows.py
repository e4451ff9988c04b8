"""The task-status table (rectification/workflow.py) and the inspection stage table (rounds/workflow.py), rule by
rule: every (from, to, role) combination allowed or refused as written here, independently of the code's tables.
Also the numbers those workflows start from: the default due days and the boundary of "overdue"."""

import itertools
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from findings.choices import ReceivingBody, ReviewState, Source
from findings.models import Clue, Finding, default_clue_feedback_due
from findings.services import clue_transfer
from rectification.choices import TaskStatus as T
from rectification.models import Feedback, RectificationTask, TaskEvent
from rectification.services import progress_report_add, task_transition
from rectification.services.feedback import feedback_give
from rounds.choices import InspectionKind
from rounds.choices import Stage as St
from rounds.models import Inspection, Round, UnitLiaison
from rounds.services import inspection_advance
from tests.findings_support import PDF, add_deputy

pytestmark = pytest.mark.django_db

# --- Task status ------------------------------------------------------------------------------

# Written out independently of rectification/workflow.py: deleting or widening a rule there must fail here.
TASK_ALLOWED = {
    (T.NOT_STARTED, T.IN_PROGRESS): {"liaison", "office"},
    (T.NOT_STARTED, T.SUBMITTED): {"liaison", "office"},
    (T.IN_PROGRESS, T.SUBMITTED): {"liaison", "office"},
    (T.SUBMITTED, T.CLOSED): {"office"},
    (T.SUBMITTED, T.IN_PROGRESS): {"office"},  # 退回: never the liaison, whose own task it is
    (T.CLOSED, T.IN_PROGRESS): {"office"},  # reopened after a failed spot check
}
TASK_NEEDS_COMMENT = {(T.SUBMITTED, T.IN_PROGRESS), (T.CLOSED, T.IN_PROGRESS)}
# 开始整改 and 申请销号 are made by a progress report (with its evidence), never by a bare status change.
TASK_BY_REPORT = {(T.NOT_STARTED, T.IN_PROGRESS), (T.NOT_STARTED, T.SUBMITTED), (T.IN_PROGRESS, T.SUBMITTED)}
TASK_ACTORS = [
    "liaison",
    "office",
    "other_liaison",
    "leadership",
    "group_leader",
    "group_member",
    "other_group_leader",
    "jiwei",
    "nobody",
]
TASK_PAIRS = [(a, b) for a, b in itertools.product(T.values, T.values) if a != b]


def _task_actor(world, name):
    if name == "other_liaison":
        user = User.objects.create_user("other_liaison", password="pw")
        UnitLiaison.objects.create(user=user, unit=world.units.education)
        return user
    return world.users[
        {"group_leader": "group1_leader", "group_member": "group1_member", "other_group_leader": "group2_leader"}.get(
            name, name
        )
    ]


def _set_status(task, status):
    RectificationTask.objects.filter(pk=task.pk).update(
        status=status, closed_at=timezone.now() if status == T.CLOSED else None, progress=0
    )


@pytest.mark.parametrize("actor_name", TASK_ACTORS)
def test_every_task_transition_is_allowed_or_refused_as_the_table_says(world, actor_name):
    actor = _task_actor(world, actor_name)
    task = world.g1.task
    for from_status, to_status in TASK_PAIRS:
        _set_status(task, from_status)
        events = TaskEvent.objects.count()
        bare = (from_status, to_status) not in TASK_BY_REPORT
        if bare and actor_name in TASK_ALLOWED.get((from_status, to_status), set()):
            moved = task_transition(actor=actor, task=task, to_status=to_status, comment="理由")
            assert moved.status == to_status
            event = TaskEvent.objects.latest("pk")
            assert (event.from_status, event.to_status, event.actor, event.comment) == (
                from_status,
                to_status,
                actor,
                "理由",
            )
            stored = RectificationTask.objects.get(pk=task.pk)
            assert (stored.closed_at is not None) == (to_status == T.CLOSED)
            if to_status == T.SUBMITTED:
                assert stored.progress == 100
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                task_transition(actor=actor, task=task, to_status=to_status, comment="理由")
            assert RectificationTask.objects.get(pk=task.pk).status == from_status, (actor_name, from_status, to_status)
            assert TaskEvent.objects.count() == events


@pytest.mark.parametrize("actor_name", TASK_ACTORS)
def test_starting_and_asking_to_close_go_by_a_progress_report(world, actor_name):
    actor = _task_actor(world, actor_name)
    task = world.g1.task
    for from_status, to_status in sorted(TASK_BY_REPORT):
        _set_status(task, from_status)
        submit = to_status == T.SUBMITTED
        report = dict(text="整改进展", progress=100 if submit else 50, files=[SimpleUploadedFile("证.pdf", PDF)])
        if actor_name in TASK_ALLOWED[(from_status, to_status)]:
            progress_report_add(actor=actor, task=task, **report)
            assert RectificationTask.objects.get(pk=task.pk).status == to_status
            assert TaskEvent.objects.latest("pk").to_status == to_status
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                progress_report_add(actor=actor, task=task, **report)
            assert RectificationTask.objects.get(pk=task.pk).status == from_status


def test_asking_to_close_without_a_report_is_refused_by_the_service(world):
    with pytest.raises(ValidationError, match="报送进展"):
        task_transition(actor=world.users["liaison"], task=world.g1.task, to_status=T.SUBMITTED)
    assert RectificationTask.objects.get(pk=world.g1.task.pk).status == T.IN_PROGRESS


@pytest.mark.parametrize("move", sorted(TASK_NEEDS_COMMENT))
def test_sending_back_and_reopening_need_a_reason(world, move):
    from_status, to_status = move
    task = world.g1.task
    _set_status(task, from_status)
    with pytest.raises(ValidationError):
        task_transition(actor=world.users["office"], task=task, to_status=to_status, comment="   ")
    assert RectificationTask.objects.get(pk=task.pk).status == from_status


@pytest.mark.parametrize("move", sorted(set(TASK_ALLOWED) - TASK_NEEDS_COMMENT - TASK_BY_REPORT))
def test_other_moves_need_no_reason(world, move):
    from_status, to_status = move
    task = world.g1.task
    _set_status(task, from_status)
    assert task_transition(actor=world.users["office"], task=task, to_status=to_status).status == to_status


def test_an_unknown_status_is_refused(world):
    with pytest.raises(ValidationError):
        task_transition(actor=world.users["office"], task=world.g1.task, to_status="done", comment="理由")


# --- Inspection stage -------------------------------------------------------------------------

STAGE_ALLOWED = {
    (St.PREPARATION, St.STATIONED): {"office"},
    (St.STATIONED, St.UNDERSTANDING): {"office", "leader", "deputy"},
    (St.UNDERSTANDING, St.REPORTING): {"office", "leader", "deputy"},
    (St.REPORTING, St.FEEDBACK): {"office"},
    (St.FEEDBACK, St.RECTIFICATION): {"office"},
    (St.RECTIFICATION, St.ARCHIVED): {"office"},
}
STAGE_DATES = {
    St.STATIONED: "entry_date",
    St.REPORTING: "onsite_end_date",
    St.FEEDBACK: "feedback_date",
}
STAGE_ACTORS = [
    "office",
    "leader",
    "deputy",
    "member",
    "other_leader",
    "other_member",
    "leadership",
    "liaison",
    "jiwei",
    "nobody",
]
STAGE_PAIRS = [(a, b) for a, b in itertools.product(St.values, St.values) if a != b]
DATE_FIELDS = ["entry_date", "onsite_end_date", "feedback_date"]


def _stage_actor(world, name):
    if name == "deputy":
        return add_deputy(world)
    return world.users[
        {
            "leader": "group1_leader",
            "member": "group1_member",
            "other_leader": "group2_leader",
            "other_member": "group2_member",
        }.get(name, name)
    ]


@pytest.mark.parametrize("actor_name", STAGE_ACTORS)
def test_every_stage_move_is_allowed_or_refused_as_the_table_says(world, actor_name):
    actor = _stage_actor(world, actor_name)
    inspection = world.g1.inspection
    today = timezone.localdate()
    for from_stage, to_stage in STAGE_PAIRS:
        Inspection.objects.filter(pk=inspection.pk).update(stage=from_stage, **dict.fromkeys(DATE_FIELDS))
        history = inspection.history.count()
        if actor_name in STAGE_ALLOWED.get((from_stage, to_stage), set()):
            moved = inspection_advance(actor=actor, inspection=inspection, to_stage=to_stage, reason="按计划")
            assert moved.stage == to_stage
            stored = Inspection.objects.get(pk=inspection.pk)
            for name in DATE_FIELDS:  # the move dates what it starts, and nothing else
                assert getattr(stored, name) == (today if STAGE_DATES.get(to_stage) == name else None)
            assert inspection.history.count() == history + 1
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                inspection_advance(actor=actor, inspection=inspection, to_stage=to_stage, reason="按计划")
            assert Inspection.objects.get(pk=inspection.pk).stage == from_stage, (actor_name, from_stage, to_stage)
            assert inspection.history.count() == history


def test_a_stage_date_already_set_is_kept(world):
    inspection = world.g1.inspection
    Inspection.objects.filter(pk=inspection.pk).update(stage=St.PREPARATION, entry_date=date(2026, 3, 1))
    inspection_advance(actor=world.users["office"], inspection=inspection, to_stage=St.STATIONED)
    assert Inspection.objects.get(pk=inspection.pk).entry_date == date(2026, 3, 1)


def test_a_stage_outside_the_list_is_refused(world):
    with pytest.raises(ValidationError):
        inspection_advance(actor=world.users["office"], inspection=world.g1.inspection, to_stage=99)


# --- Due days and overdue ---------------------------------------------------------------------


def test_default_due_days_are_one_two_and_six_months_and_three_for_clues():
    assert settings.XUNCHA_FEEDBACK_DUE_DAYS == {"plan": 30, "report": 60, "assessment": 180}
    assert settings.XUNCHA_CLUE_FEEDBACK_DAYS == 90


def test_a_new_round_starts_with_the_default_due_days(world):
    round_ = Round.objects.create(plan=world.plan, number=9, year=world.today.year)
    assert (round_.plan_due_days, round_.report_due_days, round_.assessment_due_days) == (30, 60, 180)


def test_feedback_sets_its_due_dates_from_the_round(world):
    inspection = Inspection.objects.create(
        round=world.round,
        group=world.g1.group,
        unit=world.units.township,
        kind=InspectionKind.REGULAR,
        stage=St.FEEDBACK,
    )
    Finding.objects.create(
        inspection=inspection,
        seq=1,
        category=world.category,
        title="问题",
        source=Source.DOCUMENTS,
        review_state=ReviewState.REPORTED,
        author=world.users["group1_member"],
    )
    # The round was made before the defaults could apply: the model's defaults are pinned by the test above.
    given = date(2026, 1, 31)
    feedback = feedback_give(actor=world.users["office"], inspection=inspection, date=given)
    feedback = Feedback.objects.get(pk=feedback.pk)
    assert (feedback.plan_due, feedback.report_due, feedback.assessment_due) == (
        date(2026, 3, 2),
        date(2026, 4, 1),
        date(2026, 7, 30),
    )


def test_a_clue_answer_is_due_ninety_days_after_transfer_unless_set(world):
    assert default_clue_feedback_due(date(2026, 1, 1)) == date(2026, 4, 1)
    clue = Clue.objects.create(
        inspection=world.g1.inspection,
        summary="线索",
        receiving_body=ReceivingBody.DISCIPLINE,
        created_by=world.users["group1_leader"],
    )
    clue.people.create(name="某人")
    transfer = world.today - timedelta(days=1)
    clue = clue_transfer(
        actor=world.users["group1_leader"],
        clue=clue,
        receiving_body=ReceivingBody.DISCIPLINE,
        letter_number="县巡〔2026〕9号",
        transfer_date=transfer,
    )
    assert clue.feedback_due_date == transfer + timedelta(days=90)


SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("due_offset", "overdue"),
    [(-1, True), (0, False), (1, False)],
    ids=["due yesterday", "due today", "due tomorrow"],
)
def test_a_task_due_today_is_not_overdue_and_yesterday_is(world, due_offset, overdue):
    # 01:00 in Shanghai is still the previous day in UTC: "today" must be the Shanghai date.
    now = datetime(2026, 5, 2, 1, 0, tzinfo=SHANGHAI)
    today = date(2026, 5, 2)
    task = world.g1.task
    RectificationTask.objects.filter(pk=task.pk).update(due_date=today + timedelta(days=due_offset))
    task.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=now):
        assert timezone.localdate() == today
        assert task.is_overdue(timezone.localdate()) is overdue
        assert RectificationTask.objects.overdue(timezone.localdate()).filter(pk=task.pk).exists() is overdue


@pytest.mark.parametrize("status", [T.SUBMITTED, T.CLOSED])
def test_a_task_awaiting_verification_or_closed_is_never_overdue(world, status):
    task = world.g1.task
    _set_status(task, status)
    RectificationTask.objects.filter(pk=task.pk).update(due_date=world.today - timedelta(days=100))
    task.refresh_from_db()
    assert not task.is_overdue(world.today)
    assert not RectificationTask.objects.overdue(world.today).filter(pk=task.pk).exists()
