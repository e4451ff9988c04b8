"""The 巡察报告 review table, checked exhaustively against a table written here independently of
findings/report_workflow.py: every (from, to) pair of states × every persona."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from findings import report_services
from findings.choices import ReportState, RoundReportState
from findings.models import InspectionReportStep, RoundReport
from tests.findings_support import add_deputy
from tests.report_support import report_at

S = ReportState
# Who may make each move, as the issue states the chain: the group puts its draft to the 组务会; the group
# leader records the 组务会; the office the 组办会商; leadership the 领导小组审议 and the 书记专题会.
EXPECTED = {
    (S.DRAFT, S.GROUP_MEETING): {"group1_leader", "group1_deputy"},
    (S.GROUP_MEETING, S.OFFICE_CONSULT): {"group1_leader"},
    (S.GROUP_MEETING, S.DRAFT): {"group1_leader"},
    (S.OFFICE_CONSULT, S.LEADERSHIP_REVIEW): {"office"},
    (S.OFFICE_CONSULT, S.DRAFT): {"office"},
    (S.LEADERSHIP_REVIEW, S.SECRETARY_MEETING): {"leadership"},
    (S.LEADERSHIP_REVIEW, S.DRAFT): {"leadership"},
    (S.SECRETARY_MEETING, S.FINAL): {"leadership"},
    (S.SECRETARY_MEETING, S.DRAFT): {"leadership"},
}
PERSONAS = [
    "group1_leader",
    "group1_deputy",
    "group1_member",
    "group2_leader",
    "group2_member",
    "office",
    "leadership",
    "liaison",
    "jiwei",
    "nobody",
]


@pytest.mark.django_db
def test_every_move_by_every_persona_matches_the_expected_table(world):
    world.users["group1_deputy"] = add_deputy(world)
    outcomes = {}
    for from_state, to_state in itertools.product(S, S):
        for persona in PERSONAS:
            report = report_at(world, from_state)
            before = InspectionReportStep.objects.count()
            try:
                report_services.report_transition(
                    actor=world.users[persona],
                    report=report,
                    to_state=to_state,
                    meeting_date=world.today,
                    comment="会议意见",
                    expected_state=from_state,
                )
            except (PermissionDenied, ValidationError):
                report.refresh_from_db()
                assert report.state == from_state
                assert InspectionReportStep.objects.count() == before
                continue
            report.refresh_from_db()
            assert report.state == to_state
            step = InspectionReportStep.objects.latest("pk")
            assert (step.from_state, step.to_state, step.actor, step.meeting_date) == (
                from_state,
                to_state,
                world.users[persona],
                world.today,
            )
            outcomes.setdefault((from_state, to_state), set()).add(persona)
    assert outcomes == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_state", "persona"),
    [
        (S.GROUP_MEETING, "group1_leader"),
        (S.OFFICE_CONSULT, "office"),
        (S.LEADERSHIP_REVIEW, "leadership"),
        (S.SECRETARY_MEETING, "leadership"),
    ],
)
def test_sending_back_needs_a_comment(world, from_state, persona):
    report = report_at(world, from_state)
    with pytest.raises(ValidationError, match="退回须填写意见"):
        report_services.report_transition(
            actor=world.users[persona], report=report, to_state=S.DRAFT, meeting_date=world.today, comment="  "
        )
    report.refresh_from_db()
    assert report.state == from_state


@pytest.mark.django_db
def test_the_secretary_meeting_records_its_decision_and_date(world):
    report = report_at(world, S.SECRETARY_MEETING)
    with pytest.raises(ValidationError):
        report_services.report_transition(
            actor=world.users["leadership"], report=report, to_state=S.FINAL, meeting_date=world.today
        )
    report_services.report_transition(
        actor=world.users["leadership"],
        report=report,
        to_state=S.FINAL,
        meeting_date=world.today,
        comment="原则同意，按意见修改后印发",
    )
    report.refresh_from_db()
    assert (report.state, report.decision, report.decision_date) == (S.FINAL, "原则同意，按意见修改后印发", world.today)


@pytest.mark.django_db
def test_a_move_on_a_state_the_user_did_not_see_is_refused(world):
    report = report_at(world, S.OFFICE_CONSULT)
    with pytest.raises(ValidationError, match="已被他人处理"):
        report_services.report_transition(
            actor=world.users["office"],
            report=report,
            to_state=S.LEADERSHIP_REVIEW,
            meeting_date=world.today,
            expected_state=S.GROUP_MEETING,
        )
    report.refresh_from_db()
    assert report.state == S.OFFICE_CONSULT


@pytest.mark.django_db
def test_a_meeting_date_in_the_future_is_refused(world):
    from datetime import timedelta

    report = report_at(world, S.DRAFT)
    with pytest.raises(ValidationError):
        report_services.report_transition(
            actor=world.users["group1_leader"],
            report=report,
            to_state=S.GROUP_MEETING,
            meeting_date=world.today + timedelta(days=1),
        )


R = RoundReportState
ROUND_EXPECTED = {
    (R.DRAFT, R.SUBMITTED): {"office"},
    (R.SUBMITTED, R.APPROVED): {"leadership"},
    (R.SUBMITTED, R.DRAFT): {"leadership"},
}


@pytest.mark.django_db
def test_every_round_report_move_by_every_persona_matches_the_expected_table(world):
    world.users["group1_deputy"] = add_deputy(world)
    outcomes = {}
    for from_state, to_state in itertools.product(R, R):
        for persona in PERSONAS:
            report, _ = RoundReport.objects.get_or_create(round=world.round)
            fields = {"state": from_state, "approved_by": None, "approved_at": None}
            if from_state == R.APPROVED:
                fields.update(approved_by=world.users["leadership"], approved_at=timezone.now())
            RoundReport.objects.filter(pk=report.pk).update(**fields)
            try:
                report_services.round_report_transition(
                    actor=world.users[persona], round_=world.round, to_state=to_state, comment="意见"
                )
            except (PermissionDenied, ValidationError):
                assert RoundReport.objects.get(pk=report.pk).state == from_state
                continue
            after = RoundReport.objects.get(pk=report.pk)
            assert after.state == to_state
            if to_state == R.APPROVED:
                assert after.approved_by == world.users["leadership"] and after.approved_at is not None
            if to_state == R.SUBMITTED:
                assert after.submitted_by == world.users["office"] and after.submitted_at is not None
            outcomes.setdefault((from_state, to_state), set()).add(persona)
    assert outcomes == ROUND_EXPECTED


def _at_once(calls):
    """Run the calls in threads released together; return what each raised (None when it succeeded)."""
    import threading

    from django.db import connection

    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(i, call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_leaders_drafting_at_once_make_one_report(world):
    from django.db import connection

    from findings.models import InspectionReport

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL")
    deputy = add_deputy(world)
    leaders = [world.users["group1_leader"], deputy] * 2
    errors = _at_once(
        [lambda u=u: report_services.report_create(actor=u, inspection=world.g1.inspection) for u in leaders]
    )
    assert errors == [None] * len(leaders)
    assert InspectionReport.objects.filter(inspection=world.g1.inspection).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_the_same_step_record_it_once(world):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL")
    report = report_at(world, S.OFFICE_CONSULT)

    def move():
        report_services.report_transition(
            actor=world.users["office"],
            report=report,
            to_state=S.LEADERSHIP_REVIEW,
            meeting_date=world.today,
            expected_state=S.OFFICE_CONSULT,
        )

    errors = _at_once([move, move, move])
    assert sum(e is None for e in errors) == 1
    assert all(isinstance(e, ValidationError) for e in errors if e is not None)
    assert InspectionReportStep.objects.filter(report=report).count() == 1
