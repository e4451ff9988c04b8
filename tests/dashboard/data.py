"""A hand-built county on top of tests/world.py, with every edge case the dashboard's definitions turn on."""

from datetime import timedelta
from itertools import count
from types import SimpleNamespace

from findings.choices import ClueStatus, Disposition, ReceivingBody, ReviewState, Source
from findings.models import Clue, Finding, FindingCategory
from rectification.choices import TaskStatus, TermType
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, Stage, UnitKind
from rounds.models import Inspection, PartyUnit, Plan, PlanUnit, Round
from rounds.services import group_create

_seq = count(100)


def _inspection(round_, group, unit, kind=InspectionKind.REGULAR, stage=Stage.STATIONED):
    return Inspection.objects.create(round=round_, group=group, unit=unit, kind=kind, stage=stage)


def _finding(inspection, category, author, *, key_minority=False, state=ReviewState.REPORTED):
    return Finding.objects.create(
        inspection=inspection,
        seq=next(_seq),
        category=category,
        title="问题",
        description="描述",
        source=Source.INTERVIEW,
        key_minority=key_minority,
        review_state=state,
        author=author,
    )


def _task(finding, unit, due, status=TaskStatus.IN_PROGRESS):
    from django.utils import timezone

    return RectificationTask.objects.create(
        finding=finding,
        measure="措施",
        responsible_unit=unit,
        term_type=TermType.DEADLINE,
        due_date=due,
        status=status,
        closed_at=timezone.now() if status == TaskStatus.CLOSED else None,
    )


def _clue(inspection, author, body, *, status=ClueStatus.TRANSFERRED, disposition="", transfer, due):
    transferred = status != ClueStatus.DRAFT
    return Clue.objects.create(
        inspection=inspection,
        summary="线索",
        receiving_body=body,
        status=status,
        transfer_date=transfer if transferred else None,
        letter_number=f"县巡〔2026〕{next(_seq)}号" if transferred else "",
        feedback_due_date=due if transferred else None,
        disposition=disposition,
        answered_date=transfer if status == ClueStatus.ANSWERED else None,
        created_by=author,
    )


def build_rich(world) -> SimpleNamespace:
    """Adds to the world: units inspected twice, by 回头看 only, still in 准备, outside the scope; a village
    under an inspected township; an older plan; findings, clues and tasks on every boundary."""
    today, plan, office = world.today, world.plan, world.users["office"]
    u = world.units
    year = today.year
    round2 = Round.objects.create(plan=plan, number=2, year=year)
    g = group_create(actor=office, round=round2, name="第三巡察组")
    g_r1 = world.g1.group

    twice = PartyUnit.objects.create(name="县水利局党组", kind=UnitKind.DEPARTMENT)
    lookback_only = PartyUnit.objects.create(name="县交通局党组", kind=UnitKind.DEPARTMENT)
    preparing = PartyUnit.objects.create(name="县医院党委", kind=UnitKind.INSTITUTION)
    assessed = PartyUnit.objects.create(name="西山村党支部", kind=UnitKind.VILLAGE, parent=u.township)
    old_plan_only = PartyUnit.objects.create(name="县农业农村局党组", kind=UnitKind.DEPARTMENT)
    for unit, planned in [
        (twice, year - 1),
        (lookback_only, year - 1),
        (preparing, year),
        (assessed, year + 1),
        (old_plan_only, year + 2),
    ]:
        PlanUnit.objects.create(plan=plan, unit=unit, planned_year=planned)

    # Covered: the township (its village u.village is not), the unit inspected in both rounds.
    town = _inspection(world.round, g_r1, u.township, stage=Stage.UNDERSTANDING)
    _inspection(world.round, g_r1, twice, stage=Stage.ARCHIVED)
    again = _inspection(round2, g, twice, kind=InspectionKind.SPECIAL, stage=Stage.STATIONED)
    # Not covering: 回头看 and 整改评估 at any stage, a covering kind still in 准备.
    _inspection(round2, g, lookback_only, kind=InspectionKind.LOOKBACK, stage=Stage.RECTIFICATION)
    _inspection(round2, g, assessed, kind=InspectionKind.ASSESSMENT, stage=Stage.ARCHIVED)
    _inspection(round2, g, preparing, stage=Stage.PREPARATION)
    # Covered but outside the scope: never counted.
    outside = _inspection(round2, g, u.outside, stage=Stage.FEEDBACK)
    # Inspected in an older plan's round only: not covered in this plan.
    old = Plan.objects.create(name="上届规划", start_year=year - 7, end_year=year - 3)
    old_round = Round.objects.create(plan=old, number=1, year=year - 5)
    old_group = group_create(actor=office, round=old_round, name="第一巡察组")
    old_insp = _inspection(old_round, old_group, old_plan_only, stage=Stage.ARCHIVED)

    cats = {c.code: c for c in FindingCategory.objects.all()}
    top, child_a, child_b, other_child = cats["01"], cats["0101"], cats["0102"], cats["0301"]
    author = world.users["group1_member"]
    f_top = _finding(town, top, author, key_minority=True)  # filed at the top level itself
    f_a = _finding(town, child_a, author)
    f_b = _finding(again, child_b, author, key_minority=True)
    f_other = _finding(outside, other_child, author)
    _finding(again, child_a, author, key_minority=True, state=ReviewState.LEADER_SIGN)  # not yet reported
    f_old = _finding(old_insp, child_a, author)  # another plan

    d = timedelta
    tasks = [
        _task(f_top, u.township, today),  # due today: not overdue
        _task(f_top, u.township, today - d(1)),  # 1 day: 1–30
        _task(f_a, u.township, today - d(30)),  # 30 days: 1–30
        _task(f_a, u.township, today - d(31)),  # 31 days: 31–90
        _task(f_b, twice, today - d(90)),  # 90 days: 31–90
        _task(f_b, twice, today - d(91)),  # 91 days: 90+
        _task(f_b, twice, today - d(200), TaskStatus.SUBMITTED),  # awaiting verification: not overdue
        _task(f_other, u.outside, today - d(5), TaskStatus.CLOSED),  # closed: not overdue
        _task(f_other, u.outside, today + d(5), TaskStatus.CLOSED),
        _task(f_other, twice, today - d(3), TaskStatus.NOT_STARTED),
        _task(f_old, old_plan_only, today - d(400)),  # another plan's round
    ]

    leader = world.users["group1_leader"]
    clues = [
        _clue(town, leader, ReceivingBody.DISCIPLINE, transfer=today - d(100), due=today - d(10)),  # overdue
        _clue(town, leader, ReceivingBody.DISCIPLINE, transfer=today - d(90), due=today, disposition=Disposition.TALK),
        _clue(
            again,
            leader,
            ReceivingBody.DISCIPLINE,
            status=ClueStatus.ANSWERED,
            disposition=Disposition.VERIFY,
            transfer=today - d(200),
            due=today - d(100),
        ),  # answered late: not overdue any more
        _clue(again, leader, ReceivingBody.ORGANISATION, transfer=today - d(120), due=today - d(1), disposition="talk"),
        _clue(
            outside, leader, ReceivingBody.OTHER, status=ClueStatus.DRAFT, transfer=None, due=None
        ),  # not transferred
        _clue(old_insp, leader, ReceivingBody.DISCIPLINE, transfer=today - d(900), due=today - d(800)),  # old plan
    ]
    return SimpleNamespace(round2=round2, tasks=tasks, clues=clues, old_plan=old)
