"""Every workflow table, pinned move by move: for each state × state × role, whether the role may make the move,
and which moves say why (退回), carry a reply, or are made only by a progress report. The expectations are written
out here, not read from the code: widening, narrowing or deleting a rule in any table fails here.

The services enforce these tables (tests/test_findings_workflow.py, test_task_and_stage_workflows.py,
test_report_workflow.py, and the document and upper-request service sweeps below)."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from findings import petition_workflow, report_workflow
from findings import workflow as finding_workflow
from rectification import document_workflow, upper_workflow
from rectification import workflow as task_workflow
from rounds import workflow as stage_workflow
from tests.findings_support import PDF
from xuncha.workflow import Rule, Workflow

# --- The tables, written out -------------------------------------------------------------------------------
# name: (module's Workflow, every state, every role, {(from, to): roles allowed}, {(from, to): rule flags})

FINDING = (
    finding_workflow.FLOW,
    ["draft", "deputy_review", "leader_sign", "reported"],
    ["member", "deputy", "leader", "liaison", "office"],
    {
        ("draft", "deputy_review"): {"member"},
        ("deputy_review", "leader_sign"): {"deputy", "leader"},
        ("deputy_review", "draft"): {"deputy", "leader"},
        ("leader_sign", "reported"): {"leader"},
        ("leader_sign", "draft"): {"leader"},
    },
    {("deputy_review", "draft"): {"needs_comment"}, ("leader_sign", "draft"): {"needs_comment"}},
)
TASK = (
    task_workflow.FLOW,
    ["not_started", "in_progress", "submitted", "closed"],
    ["unit_liaison", "office", "leadership", "group_leader", "group_member", "unit_head"],
    {
        ("not_started", "in_progress"): {"unit_liaison", "office"},
        ("not_started", "submitted"): {"unit_liaison", "office"},
        ("in_progress", "submitted"): {"unit_liaison", "office"},
        ("submitted", "closed"): {"office"},
        ("submitted", "in_progress"): {"office"},
        ("closed", "in_progress"): {"office"},
    },
    {
        ("not_started", "in_progress"): {"by_report"},
        ("not_started", "submitted"): {"by_report"},
        ("in_progress", "submitted"): {"by_report"},
        ("submitted", "in_progress"): {"needs_comment"},
        ("closed", "in_progress"): {"needs_comment"},
    },
)
DOCUMENT = (
    document_workflow.FLOW,
    ["pending", "submitted", "returned", "accepted"],
    ["unit_liaison", "office", "leadership", "supervising_liaison"],
    {
        ("pending", "submitted"): {"unit_liaison", "office"},
        ("returned", "submitted"): {"unit_liaison", "office"},
        ("submitted", "accepted"): {"office"},
        ("submitted", "returned"): {"office"},
    },
    {("submitted", "returned"): {"needs_comment"}},
)
UPPER = (
    upper_workflow.FLOW,
    ["todo", "doing", "submitted", "confirmed", "returned"],
    ["owner", "office", "leadership"],
    {
        ("todo", "doing"): {"owner", "office"},
        ("doing", "submitted"): {"owner", "office"},
        ("submitted", "confirmed"): {"office"},
        ("submitted", "returned"): {"office"},
        ("returned", "submitted"): {"owner", "office"},
    },
    {
        ("doing", "submitted"): {"needs_reply"},
        ("submitted", "returned"): {"needs_comment"},
        ("returned", "submitted"): {"needs_reply"},
    },
)
STAGE = (
    stage_workflow.FLOW,
    [0, 1, 2, 3, 4, 5, 6],
    ["office", "group_leader", "group_member", "leadership"],
    {
        (0, 1): {"office"},
        (1, 2): {"office", "group_leader"},
        (2, 3): {"office", "group_leader"},
        (3, 4): {"office"},
        (4, 5): {"office"},
        (5, 6): {"office"},
    },
    {},
)
REPORT = (
    report_workflow.FLOW,
    ["draft", "group_meeting", "office_consult", "leadership_review", "secretary_meeting", "final"],
    ["leader", "deputy", "office", "leadership", "member"],
    {
        ("draft", "group_meeting"): {"leader", "deputy"},
        ("group_meeting", "office_consult"): {"leader"},
        ("group_meeting", "draft"): {"leader"},
        ("office_consult", "leadership_review"): {"office"},
        ("office_consult", "draft"): {"office"},
        ("leadership_review", "secretary_meeting"): {"leadership"},
        ("leadership_review", "draft"): {"leadership"},
        ("secretary_meeting", "final"): {"leadership"},
        ("secretary_meeting", "draft"): {"leadership"},
    },
    {
        ("group_meeting", "draft"): {"needs_comment"},
        ("office_consult", "draft"): {"needs_comment"},
        ("leadership_review", "draft"): {"needs_comment"},
        ("secretary_meeting", "final"): {"needs_comment", "records_decision"},
        ("secretary_meeting", "draft"): {"needs_comment"},
    },
)
ROUND_REPORT = (
    report_workflow.ROUND_FLOW,
    ["draft", "submitted", "approved"],
    ["office", "leadership", "leader"],
    {
        ("draft", "submitted"): {"office"},
        ("submitted", "approved"): {"leadership"},
        ("submitted", "draft"): {"leadership"},
    },
    {("submitted", "draft"): {"needs_comment"}},
)
PETITION = (
    petition_workflow.FLOW,
    ["received", "assigned", "closed"],
    ["office", "leader", "deputy", "member", "leadership"],
    {
        ("received", "assigned"): {"office", "leader", "deputy"},
        ("assigned", "closed"): {"office", "leader", "deputy"},
    },
    {},
)
TABLES = {
    "finding": FINDING,
    "task": TASK,
    "document": DOCUMENT,
    "upper_request": UPPER,
    "stage": STAGE,
    "report": REPORT,
    "round_report": ROUND_REPORT,
    "petition": PETITION,
}
FLAGS = ("needs_comment", "needs_reply", "records_decision", "by_report")


@pytest.mark.parametrize("name", TABLES)
def test_every_state_role_and_move_is_allowed_or_refused_as_written_here(name):
    flow, states, roles, allowed, _flags = TABLES[name]
    for frm, to, role in itertools.product(states, states, roles):
        expected = role in allowed.get((frm, to), set())
        assert flow.may(frozenset({role}), frm, to) is expected, (name, frm, to, role)


@pytest.mark.parametrize("name", TABLES)
def test_the_table_has_no_move_beyond_those_written_here(name):
    flow, states, _roles, allowed, _flags = TABLES[name]
    assert set(flow.transitions) == set(allowed), name
    assert all(frm in states and to in states for frm, to in flow.transitions), name


@pytest.mark.parametrize("name", TABLES)
def test_the_moves_that_say_why_carry_a_reply_or_go_by_a_report_are_those_written_here(name):
    flow, _states, _roles, allowed, flags = TABLES[name]
    for move in allowed:
        rule = flow.rule_for(*move)
        assert {f for f in FLAGS if getattr(rule, f)} == flags.get(move, set()), (name, move)


@pytest.mark.parametrize("name", TABLES)
def test_available_moves_are_the_allowed_ones_in_the_tables_order(name):
    flow, states, roles, allowed, _flags = TABLES[name]
    for state, role in itertools.product(states, roles):
        moves = [to for to, _rule in flow.available_moves(frozenset({role}), state)]
        assert sorted(moves, key=states.index) == sorted(
            (to for (frm, to), by in allowed.items() if frm == state and role in by), key=states.index
        )


def test_clue_table():
    """Clues: the group's leaders edit and transfer a draft; the receiving body records the disposition."""
    statuses, roles = ["draft", "transferred", "answered"], ["leader", "deputy", "member", "receiving_body"]
    allowed = {
        ("draft", "draft"): {"leader", "deputy"},
        ("draft", "transferred"): {"leader", "deputy"},
        ("transferred", "transferred"): {"receiving_body"},
        ("transferred", "answered"): {"receiving_body"},
        ("answered", "answered"): {"receiving_body"},
    }
    for frm, to, role in itertools.product(statuses, statuses, roles):
        expected = role in allowed.get((frm, to), set())
        assert finding_workflow.clue_may(frozenset({role}), frm, to) is expected, (frm, to, role)


def test_the_shared_rule_lookup_refuses_unknown_and_unhashable_values():
    flow = Workflow({("a", "b"): Rule(frozenset({"x"}))})
    assert flow.rule_for("a", "c") is None
    assert flow.rule_for("a", ["b"]) is None
    assert not flow.may(frozenset({"x"}), "b", "a")
    assert flow.available_moves(frozenset({"y"}), "a") == []


# --- The document and upper-request services enforce their tables, role by role ------------------------------


def _pdf():
    return SimpleUploadedFile("整改方案.pdf", PDF, content_type="application/pdf")


DOCUMENT_ACTORS = {"unit_liaison": "liaison", "office": "office", "leadership": "leadership", "other": "group1_leader"}


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", DOCUMENT_ACTORS)
def test_every_document_move_is_made_or_refused_by_the_service_as_written(world, actor_name):
    from rectification.models import DocumentEvent, UnitDocument
    from rectification.services import document_review, document_submit

    _flow, states, _roles, allowed, _flags = DOCUMENT
    actor = world.users[DOCUMENT_ACTORS[actor_name]]
    document = UnitDocument.objects.filter(feedback=world.g1.feedback).first()
    for frm, to in itertools.product(states, states):
        if frm == to:
            continue
        UnitDocument.objects.filter(pk=document.pk).update(
            status=frm,
            first_submitted_on=None if frm == "pending" else world.today,
            accepted_at=timezone.now() if frm == "accepted" else None,
        )
        document.refresh_from_db()
        events = DocumentEvent.objects.count()
        if to == "submitted":
            call = lambda: document_submit(actor=actor, document=document, text="方案", files=[_pdf()])  # noqa: E731
        else:
            call = lambda to=to: document_review(actor=actor, document=document, to_status=to, comment="理由")  # noqa: E731
        if actor_name in allowed.get((frm, to), set()):
            call()
            assert UnitDocument.objects.get(pk=document.pk).status == to, (actor_name, frm, to)
            assert DocumentEvent.objects.latest("pk").to_status == to
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                call()
            assert UnitDocument.objects.get(pk=document.pk).status == frm, (actor_name, frm, to)
            assert DocumentEvent.objects.count() == events


UPPER_ACTORS = ["owner", "office", "leadership", "other"]


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", UPPER_ACTORS)
def test_every_upper_request_move_is_made_or_refused_by_the_service_as_written(world, actor_name):
    from rectification.models import UpperRequest, UpperRequestEvent
    from rectification.services.upper import request_transition
    from tests.upper_support import request_of

    _flow, states, _roles, allowed, _flags = UPPER
    item = request_of(world)  # owned by the liaison
    actor = {
        "owner": world.users["liaison"],
        "office": world.users["office"],
        "leadership": world.users["leadership"],
        "other": world.users["group1_leader"],
    }[actor_name]
    for frm, to in itertools.product(states, states):
        if frm == to:
            continue
        UpperRequest.objects.filter(pk=item.pk).update(status=frm, submitted_date=world.today, reply="已办理")
        item.refresh_from_db()
        events = UpperRequestEvent.objects.count()

        def call(to=to):
            return request_transition(actor=actor, request=item, to_status=to, reply="已按要求办理", comment="理由")

        if actor_name in allowed.get((frm, to), set()):
            call()
            assert UpperRequest.objects.get(pk=item.pk).status == to, (actor_name, frm, to)
        else:
            with pytest.raises((PermissionDenied, ValidationError)):
                call()
            assert UpperRequest.objects.get(pk=item.pk).status == frm, (actor_name, frm, to)
            assert UpperRequestEvent.objects.count() == events
