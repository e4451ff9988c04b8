"""Long text never loses a write: every service that records history takes maximum-length and over-length text.

simple-history's change reason is a varchar(100) and the reasons of reviews, 退回, 申请销号, spot checks and
stage advances quote the user's comment. SQLite ignores varchar limits, PostgreSQL refuses them: these tests
bite on PostgreSQL (CI), where a length limit anywhere in a write makes the service raise DataError.
"""

import inspect
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

import findings.services
import rectification.services.feedback
import rectification.services.spotchecks
import rectification.services.tasks
import rounds.services
from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody, ReviewState, Source
from findings.models import Clue, CluePerson, Finding, FindingReview
from rectification.choices import SpotCheckKind, SpotCheckResult, TaskStatus, TermType
from rectification.models import ProgressReport, SpotCheck, TaskEvent
from rectification.services import progress_report_add, task_transition
from rectification.services.spotchecks import spotcheck_draw, spotcheck_record
from rectification.services.tasks import task_create, task_update
from rounds.choices import Specialty, Stage, UnitKind
from rounds.models import Avoidance, Inspection, InspectionGroup, Inspector, PartyUnit, Plan, Round
from tests.findings_support import PDF
from xuncha.history import REASON_MAX_LENGTH, reason_summary

pytestmark = pytest.mark.django_db

LONG = "整改情况说明：" + "已完成相关制度修订并组织全体干部学习，" * 150  # ~3,000 characters: a real report


def fill(model, field, *, over=False):
    """A value of exactly the field's max_length (or one more), for CharFields; a long text for TextFields."""
    f = model._meta.get_field(field)
    if isinstance(f, models.CharField) and f.max_length:
        return ("测" * (f.max_length + (1 if over else 0)))[: f.max_length + (1 if over else 0)]
    return LONG


def _history_fits(obj):
    record = obj.history.latest()
    assert len(record.history_change_reason or "") <= REASON_MAX_LENGTH
    return record


# --- the cases: one per service that takes text from a user ------------------------------------------


def finding_create_case(w, over):
    finding = findings.services.finding_create(
        actor=w.users["group1_member"],
        inspection=w.g1.inspection,
        category=w.category,
        title=fill(Finding, "title", over=over),
        description=LONG,
        source=Source.INTERVIEW,
        files=[SimpleUploadedFile("谈" * 250 + ".pdf", PDF)],
    )
    assert finding.description == LONG
    _history_fits(finding)


def finding_update_case(w, over):
    finding = findings.services.finding_update(
        actor=w.users["group1_member"], finding=w.g1.draft, title=fill(Finding, "title", over=over), description=LONG
    )
    _history_fits(finding)


def evidence_add_case(w, over):
    files = [SimpleUploadedFile("笔" * (250 if over else 196) + ".pdf", PDF)]
    (evidence,) = findings.services.evidence_add(actor=w.users["group1_member"], finding=w.g1.draft, files=files)
    assert evidence.original_name.endswith(".pdf")


def finding_transition_case(w, over):
    member, leader = w.users["group1_member"], w.users["group1_leader"]
    draft = findings.services.finding_transition(actor=member, finding=w.g1.draft, to_state=ReviewState.DEPUTY_REVIEW)
    sent_back = findings.services.finding_transition(
        actor=leader, finding=draft, to_state=ReviewState.DRAFT, comment=LONG
    )
    review = FindingReview.objects.filter(finding=sent_back).latest("pk")
    assert review.comment == LONG  # the full text stays on the review row
    record = _history_fits(sent_back)
    assert record.history_change_reason.startswith("退回修改：整改情况说明")


def _people(over):
    return [
        {
            "name": fill(CluePerson, "name", over=over),
            "post": fill(CluePerson, "post", over=over),
            "rank": fill(CluePerson, "rank", over=over),
        }
    ]


def clue_create_case(w, over):
    clue = findings.services.clue_create(
        actor=w.users["group1_leader"],
        inspection=w.g1.inspection,
        people=_people(over),
        summary=LONG,
        receiving_body=ReceivingBody.OTHER,
        receiving_body_other=fill(Clue, "receiving_body_other", over=over),
    )
    _history_fits(clue)
    _history_fits(clue.people.get())


def _draft_clue(w):
    return findings.services.clue_create(
        actor=w.users["group1_leader"],
        inspection=w.g1.inspection,
        people=[{"name": "张某"}],
        summary="线索",
        receiving_body=ReceivingBody.DISCIPLINE,
    )


def clue_update_case(w, over):
    clue = _draft_clue(w)
    person = clue.people.get()
    people = [{"id": person, **_people(over)[0]}]
    clue = findings.services.clue_update(
        actor=w.users["group1_leader"],
        clue=clue,
        people=people,
        summary=LONG,
        receiving_body=ReceivingBody.OTHER,
        receiving_body_other=fill(Clue, "receiving_body_other", over=over),
    )
    _history_fits(clue)


def clue_transfer_case(w, over):
    clue = findings.services.clue_transfer(
        actor=w.users["group1_leader"],
        clue=_draft_clue(w),
        receiving_body=ReceivingBody.OTHER,
        receiving_body_other=fill(Clue, "receiving_body_other", over=over),
        letter_number=fill(Clue, "letter_number", over=over),
        transfer_date=w.today,
    )
    assert clue.status == ClueStatus.TRANSFERRED
    _history_fits(clue)


def clue_record_disposition_case(w, over):
    clue = findings.services.clue_record_disposition(
        actor=w.users["jiwei"],
        clue=w.g1.clue,
        disposition=Disposition.VERIFY,
        outcome=Outcome.CASE,
        outcome_detail=LONG,
        answered_date=w.today,
    )
    assert clue.outcome_detail == LONG
    _history_fits(clue)


def group_create_case(w, over):
    group = rounds.services.group_create(
        actor=w.users["office"], round=w.round, name=fill(InspectionGroup, "name", over=over)
    )
    _history_fits(group)


def unit_create_case(w, over):
    unit = rounds.services.unit_create(
        actor=w.users["office"], name=fill(PartyUnit, "name", over=over), kind=UnitKind.DEPARTMENT
    )
    _history_fits(unit)


def unit_update_case(w, over):
    unit = rounds.services.unit_update(
        actor=w.users["office"], unit=w.units.outside, name=fill(PartyUnit, "name", over=over)
    )
    _history_fits(unit)


def inspector_create_case(w, over):
    person = rounds.services.inspector_create(
        actor=w.users["office"],
        name=fill(Inspector, "name", over=over),
        rank=fill(Inspector, "rank", over=over),
        specialties=[Specialty.FINANCE],
    )
    _history_fits(person)


def inspector_update_case(w, over):
    person = Inspector.objects.create(name="某某")
    person = rounds.services.inspector_update(
        actor=w.users["office"], inspector=person, name=fill(Inspector, "name", over=over), rank="正科级"
    )
    _history_fits(person)


def avoidance_declare_case(w, over):
    person = Inspector.objects.create(name="某某")
    avoidance = rounds.services.avoidance_declare(
        actor=w.users["office"], inspector=person, unit=w.units.outside, reason=fill(Avoidance, "reason", over=over)
    )
    _history_fits(avoidance)


def plan_create_case(w, over):
    plan = rounds.services.plan_create(
        actor=w.users["office"], name=fill(Plan, "name", over=over), start_year=2030, end_year=2034
    )
    _history_fits(plan)


def plan_update_case(w, over):
    plan = rounds.services.plan_update(
        actor=w.users["office"],
        plan=w.plan,
        name=fill(Plan, "name", over=over),
        start_year=w.plan.start_year,
        end_year=w.plan.end_year,
    )
    _history_fits(plan)


def round_create_case(w, over):
    round_ = rounds.services.round_create(
        actor=w.users["office"], plan=w.plan, number=2, year=w.today.year, theme=fill(Round, "theme", over=over)
    )
    _history_fits(round_)


def round_update_case(w, over):
    round_ = rounds.services.round_update(actor=w.users["office"], round=w.round, theme=fill(Round, "theme", over=over))
    _history_fits(round_)


def inspection_advance_case(w, over):
    inspection = rounds.services.inspection_advance(
        actor=w.users["office"], inspection=w.g1.inspection, to_stage=Stage.RECTIFICATION, reason=LONG
    )
    record = _history_fits(inspection)
    assert record.history_change_reason.startswith("阶段：反馈 → 整改；整改情况说明")


def task_create_case(w, over):
    task = task_create(
        actor=w.users["office"],
        finding=w.g1.finding,
        measure=LONG,
        goal=LONG,
        responsible_unit=w.units.finance,
        term_type=TermType.DEADLINE,
        due_date=w.today + timedelta(days=30),
    )
    _history_fits(task)


def task_update_case(w, over):
    task = task_update(actor=w.users["office"], task=w.g1.task, measure=LONG, goal=LONG)
    _history_fits(task)


def _submitted(w):
    """The liaison asks for 销号 with a full report: the text is the transition's comment."""
    progress_report_add(
        actor=w.users["liaison"],
        task=w.g1.task,
        text=LONG,
        progress=100,
        submit=True,
        files=[SimpleUploadedFile("证" * 250 + ".pdf", PDF)],
    )
    task = type(w.g1.task).objects.get(pk=w.g1.task.pk)
    assert task.status == TaskStatus.SUBMITTED
    return task


def progress_report_add_case(w, over):
    task = _submitted(w)
    assert ProgressReport.objects.get(task=task).text == LONG
    assert TaskEvent.objects.filter(task=task).latest("pk").comment == LONG
    _history_fits(task)


def task_transition_case(w, over):
    task = task_transition(actor=w.users["office"], task=_submitted(w), to_status=TaskStatus.IN_PROGRESS, comment=LONG)
    assert TaskEvent.objects.filter(task=task).latest("pk").comment == LONG
    record = _history_fits(task)
    assert record.history_change_reason.startswith("退回重新整改：整改情况说明")


def _closed(w):
    return task_transition(actor=w.users["office"], task=_submitted(w), to_status=TaskStatus.CLOSED)


def spotcheck_draw_case(w, over):
    _closed(w)
    check = spotcheck_draw(actor=w.users["office"], kind=SpotCheckKind.TASKS, sample_size=1, note=LONG)
    assert SpotCheck.objects.get(pk=check.pk).note == LONG
    _history_fits(check)


def spotcheck_record_case(w, over):
    task = _closed(w)
    check = spotcheck_draw(actor=w.users["office"], kind=SpotCheckKind.TASKS, sample_size=1)
    item = spotcheck_record(
        actor=w.users["office"],
        item=check.items.get(),
        result=SpotCheckResult.FAILED,
        note=LONG,
        due_date=w.today + timedelta(days=30),
    )
    assert item.note == LONG
    _history_fits(item)
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert TaskEvent.objects.filter(task=task).latest("pk").comment.endswith(LONG)
    _history_fits(task)


def group_set_review_exception_case(w, over):
    reason = fill(InspectionGroup, "review_exception_reason", over=over)
    group = rounds.services.group_set_review_exception(
        actor=w.users["office"], group=w.g1.inspection.group, allowed=True, reason=reason
    )
    assert group.review_exception_reason == reason
    _history_fits(group)


CASES = {name.removesuffix("_case"): fn for name, fn in dict(globals()).items() if name.endswith("_case")}

# Services that record history but take no free text from a user: their reasons are fixed phrases,
# checked below in both languages. A new service must join CASES or this list, or the guard fails.
NO_USER_TEXT = {
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "unit_set_active",
    "avoidance_withdraw",
    "plan_scope_add",
    "plan_scope_set_year",
    "plan_scope_remove",
    "milestone_set",
    "milestone_remove",
    "inspection_assign",
    "inspection_unassign",
    "inspection_archive",
    "inspection_update_counters",
    "feedback_give",
}

SERVICE_MODULES = [
    findings.services,
    rounds.services,
    rectification.services.feedback,
    rectification.services.spotchecks,
    rectification.services.tasks,
]


def _history_writing_services():
    names = set()
    for module in SERVICE_MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            source = inspect.getsource(fn)
            if any(call in source for call in ("stamp(", "_save(", "_add_evidence(", "_sync_people(", "new_task(")):
                names.add(name)
    # The step task_create and upper_task_create share (rectification.services.tasks): covered through them.
    return names - {"new_task"}


def test_every_service_that_records_history_is_covered():
    assert _history_writing_services() - set(CASES) - NO_USER_TEXT == set()
    assert set(CASES) <= _history_writing_services() | {"progress_report_add"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_maximum_length_and_long_text_is_saved_with_its_history(world, name):
    CASES[name](world, over=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_over_length_text_is_a_validation_error_never_a_database_error(world, name):
    try:
        CASES[name](world, over=True)
    except ValidationError:
        pass  # a field's limit, said in a form error; what must never happen is a DataError from the database


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_fixed_reasons_fit_the_history_column(language):
    from django.utils import translation

    sources = "".join(inspect.getsource(m) for m in SERVICE_MODULES)
    phrases = re.findall(r'reason=_\("([^"]+)"\)', sources)
    assert len(phrases) > 20
    with translation.override(language):
        for phrase in phrases:
            assert len(translation.gettext(phrase)) <= REASON_MAX_LENGTH, phrase


def test_a_long_reason_is_cut_with_an_ellipsis():
    assert reason_summary("短") == "短"
    cut = reason_summary("长" * 500)
    assert len(cut) == REASON_MAX_LENGTH and cut.endswith("…")


def test_the_stage_advance_note_fits_whole_in_the_history(world, login):
    """The stage advance's note is kept only in the history: the form refuses what would be cut."""
    from django.urls import reverse

    client = login(world.users["office"])
    url = reverse("rounds:inspection_advance", args=[world.g1.inspection.pk])
    response = client.post(url, {"to_stage": Stage.RECTIFICATION, "reason": "说" * 61})
    assert Inspection.objects.get(pk=world.g1.inspection.pk).stage == Stage.FEEDBACK
    assert "60" in " ".join(str(m) for m in response.wsgi_request._messages)
    client.post(url, {"to_stage": Stage.RECTIFICATION, "reason": "说" * 60})
    inspection = Inspection.objects.get(pk=world.g1.inspection.pk)
    assert inspection.stage == Stage.RECTIFICATION
    assert inspection.history.latest().history_change_reason.endswith("说" * 60)
