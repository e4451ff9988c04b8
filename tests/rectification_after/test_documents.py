"""The unit's documents after the feedback: opened with the feedback, submitted, sent back, resubmitted,
accepted; late or missing; reminded exactly once per (document, rung, due date)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rectification import reminders
from rectification.choices import DocumentKind, DocumentStatus, ReminderState, Rung, TaskStatus, Timeliness
from rectification.models import DocumentEvent, Notification, RectificationTask, Reminder, UnitDocument
from rectification.services import document_review, document_submit, feedback_give
from rounds.choices import InspectionKind, Stage
from rounds.models import Inspection

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="整改方案.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def doc(world, kind, side="g1"):
    return UnitDocument.objects.get(feedback=getattr(world, side).feedback, kind=kind)


def test_feedback_opens_the_three_documents_with_the_feedbacks_due_dates(world):
    from findings.choices import ReviewState
    from findings.models import Finding

    inspection = Inspection.objects.create(
        round=world.round,
        group=world.g1.group,
        unit=world.units.township,
        kind=InspectionKind.REGULAR,
        stage=Stage.FEEDBACK,
    )
    Finding.objects.create(
        inspection=inspection,
        seq=1,
        category=world.category,
        title="t",
        description="d",
        source="interview",
        review_state=ReviewState.REPORTED,
        author=world.users["group1_member"],
    )
    feedback = feedback_give(actor=world.users["office"], inspection=inspection, date=world.today)
    docs = {d.kind: d for d in UnitDocument.objects.filter(feedback=feedback)}
    assert set(docs) == set(DocumentKind.values)
    assert docs[DocumentKind.PLAN].due_date == feedback.plan_due
    assert docs[DocumentKind.REPORT].due_date == feedback.report_due
    assert docs[DocumentKind.HEAD_REPORT].due_date == feedback.report_due
    assert all(d.status == DocumentStatus.PENDING and d.unit == world.units.township for d in docs.values())


def test_plan_sent_back_then_resubmitted_then_accepted(world):
    liaison, office = world.users["liaison"], world.users["office"]
    plan = doc(world, DocumentKind.PLAN)
    document_submit(actor=liaison, document=plan, text="初稿", files=[pdf()], expected_status="pending")
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.SUBMITTED and plan.first_submitted_on == timezone.localdate()
    with pytest.raises(ValidationError):
        document_review(actor=office, document=plan, to_status=DocumentStatus.RETURNED, comment="")
    document_review(actor=office, document=plan, to_status=DocumentStatus.RETURNED, comment="措施不具体")
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.RETURNED
    document_submit(actor=liaison, document=plan, text="修改稿", files=[pdf("修改稿.pdf")], expected_status="returned")
    document_review(actor=office, document=plan, to_status=DocumentStatus.ACCEPTED, expected_status="submitted")
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.ACCEPTED and plan.accepted_at is not None
    trail = list(DocumentEvent.objects.filter(document=plan).values_list("from_status", "to_status", "comment"))
    assert trail == [
        ("pending", "submitted", "初稿"),
        ("submitted", "returned", "措施不具体"),
        ("returned", "submitted", "修改稿"),
        ("submitted", "accepted", ""),
    ]
    assert plan.submissions.count() == 2 and plan.history.count() >= 5


def test_a_decision_on_a_stale_page_is_refused(world):
    plan = doc(world, DocumentKind.PLAN)
    document_submit(actor=world.users["liaison"], document=plan, text="稿", files=[pdf()])
    with pytest.raises(ValidationError):  # the page still showed 待报送
        document_submit(
            actor=world.users["liaison"], document=plan, text="再报", files=[pdf()], expected_status="pending"
        )
    document_review(actor=world.users["office"], document=plan, to_status="accepted", expected_status="submitted")
    with pytest.raises(ValidationError):  # a second reviewer's page still showed 待审核
        document_review(
            actor=world.users["office"], document=plan, to_status="returned", comment="x", expected_status="submitted"
        )


def test_only_the_units_liaison_or_the_office_submit_and_only_the_office_reviews(world):
    plan = doc(world, DocumentKind.PLAN, side="g2")  # not the liaison's unit
    with pytest.raises(PermissionDenied):
        document_submit(actor=world.users["liaison"], document=plan, text="x", files=[pdf()])
    own = doc(world, DocumentKind.PLAN)
    document_submit(actor=world.users["liaison"], document=own, text="x", files=[pdf()])
    with pytest.raises(PermissionDenied):
        document_review(actor=world.users["liaison"], document=own, to_status="accepted")
    with pytest.raises(PermissionDenied):
        document_review(actor=world.users["leadership"], document=own, to_status="accepted")


def test_a_submission_needs_a_file(world):
    with pytest.raises(ValidationError):
        document_submit(actor=world.users["liaison"], document=doc(world, DocumentKind.PLAN), text="x", files=[])


def test_timeliness_on_time_late_missing_not_due(world):
    today = timezone.localdate()
    d = UnitDocument(due_date=today)
    assert d.timeliness(today) == Timeliness.NOT_DUE
    assert d.timeliness(today + timedelta(days=1)) == Timeliness.MISSING
    d.first_submitted_on = today
    assert d.timeliness(today + timedelta(days=9)) == Timeliness.ON_TIME
    d.first_submitted_on = today + timedelta(days=1)
    assert d.timeliness(today + timedelta(days=9)) == Timeliness.LATE


def test_one_document_of_each_kind_per_feedback(world):
    plan = doc(world, DocumentKind.PLAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitDocument.objects.create(
            feedback=plan.feedback, inspection=plan.inspection, unit=plan.unit, kind="plan", due_date=plan.due_date
        )


# --- the reminder ladder ------------------------------------------------------------------------


@pytest.fixture
def quiet(world):
    """Only group 1's 整改报告 is owed and late: every task and other document is out of the ladder."""
    RectificationTask.objects.update(status=TaskStatus.SUBMITTED)
    UnitDocument.objects.exclude(pk=doc(world, DocumentKind.REPORT).pk).update(
        status=DocumentStatus.ACCEPTED, first_submitted_on=world.today, accepted_at=timezone.now()
    )
    head = world.users["nobody"]
    world.units.finance.head = head
    world.units.finance.save()
    return world


def test_a_missing_report_is_reminded_exactly_once_sweep_twice(quiet):
    report = doc(quiet, DocumentKind.REPORT)
    UnitDocument.objects.filter(pk=report.pk).update(due_date=quiet.today - timedelta(days=3))
    first = reminders.sweep(quiet.today)
    second = reminders.sweep(quiet.today)
    rows = Reminder.objects.filter(document=report)
    assert first.written == 1 and second.written == 0
    assert [(r.rung, r.state) for r in rows] == [(Rung.OVERDUE, ReminderState.SENT)]
    inbox = Notification.objects.filter(reminder__document=report)
    # Overdue: the unit's liaison, its head and the office — once each, whatever the sweeps.
    assert sorted(inbox.values_list("recipient__username", flat=True)) == ["liaison", "nobody", "office"]
    assert "整改报告" in inbox.first().title
    assert inbox.first().url == reverse("rectification:document_detail", args=[report.pk])


def test_the_ladder_climbs_and_each_rung_is_written_once(quiet):
    report = doc(quiet, DocumentKind.REPORT)
    due = report.due_date
    for day, rung in [
        (due - timedelta(days=15), Rung.D20),
        (due - timedelta(days=5), Rung.D10),
        (due, Rung.DUE),
        (due + timedelta(days=1), Rung.OVERDUE),
        (due + timedelta(days=31), Rung.ESCALATED),
    ]:
        reminders.sweep(day)
        reminders.sweep(day)
        assert Reminder.objects.filter(document=report, rung=rung).count() == 1
    assert Reminder.objects.filter(document=report).count() == 5
    assert Notification.objects.filter(reminder__document=report, recipient__username="leadership").count() == 1


def test_a_submitted_or_accepted_document_is_not_reminded(quiet):
    report = doc(quiet, DocumentKind.REPORT)
    document_submit(actor=quiet.users["liaison"], document=report, text="报告", files=[pdf()])
    reminders.sweep(report.due_date + timedelta(days=1))
    assert not Reminder.objects.filter(document=report).exists()


def test_submitting_cancels_rungs_not_yet_sent(quiet):
    report = doc(quiet, DocumentKind.REPORT)
    reminders.plan(report.due_date)  # written, not yet sent
    document_submit(actor=quiet.users["liaison"], document=report, text="报告", files=[pdf()])
    assert Reminder.objects.get(document=report).state == ReminderState.CANCELLED


def test_one_reminder_per_document_rung_due_date_in_the_database(quiet):
    report = doc(quiet, DocumentKind.REPORT)
    Reminder.objects.create(document=report, rung=Rung.DUE, due_date=report.due_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(document=report, rung=Rung.DUE, due_date=report.due_date)


# --- pages --------------------------------------------------------------------------------------


def test_liaison_sees_the_feedback_problem_list_and_deadlines(world, client):
    client.force_login(world.users["liaison"])
    page = client.get(reverse("rectification:feedback_detail", args=[world.g1.feedback.pk])).content.decode()
    assert world.g1.finding.title in page
    assert f"{world.g1.feedback.plan_due:%Y-%m-%d}" in page and f"{world.g1.feedback.report_due:%Y-%m-%d}" in page
    assert "整改方案" in page and "主要负责人组织落实情况报告" in page
    assert client.get(reverse("rectification:feedback_detail", args=[world.g2.feedback.pk])).status_code == 404


def test_submit_and_review_through_the_pages(world, client):
    plan = doc(world, DocumentKind.PLAN)
    url = reverse("rectification:document_detail", args=[plan.pk])
    client.force_login(world.users["liaison"])
    assert 'id="submit-form"' in client.get(url).content.decode()
    response = client.post(
        reverse("rectification:document_submit", args=[plan.pk]),
        {"expected_status": "pending", "text": "方案", "files": [pdf()]},
    )
    assert response.status_code == 302
    client.force_login(world.users["office"])
    page = client.get(url).content.decode()
    assert "审核通过" in page and "退回修改" in page and "整改方案.pdf" in page
    client.post(
        reverse("rectification:document_review", args=[plan.pk]),
        {"expected_status": "submitted", "to_status": "returned", "comment": "请补充时间表"},
    )
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.RETURNED
    # A second click on the same (now stale) page changes nothing and says so.
    response = client.post(
        reverse("rectification:document_review", args=[plan.pk]),
        {"expected_status": "submitted", "to_status": "accepted"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.RETURNED and "刷新页面" in response.content.decode()


def test_submit_without_file_shows_the_error_and_keeps_the_text(world, client):
    plan = doc(world, DocumentKind.PLAN)
    client.force_login(world.users["liaison"])
    response = client.post(
        reverse("rectification:document_submit", args=[plan.pk]), {"expected_status": "pending", "text": "我的说明"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请上传文书文件" in body and "我的说明" in body


def test_document_list_shows_on_time_late_missing_per_inspection(world, client):
    today = world.today
    plan1, report1 = doc(world, DocumentKind.PLAN), doc(world, DocumentKind.REPORT)
    UnitDocument.objects.filter(pk=plan1.pk).update(
        status="accepted", first_submitted_on=plan1.due_date, accepted_at=timezone.now()
    )
    UnitDocument.objects.filter(pk=report1.pk).update(due_date=today - timedelta(days=1))
    plan2 = doc(world, DocumentKind.PLAN, side="g2")
    UnitDocument.objects.filter(pk=plan2.pk).update(
        status="submitted", due_date=today - timedelta(days=5), first_submitted_on=today
    )
    client.force_login(world.users["office"])
    body = client.get(reverse("rectification:document_list")).content.decode()
    assert 'data-kind="plan" data-timeliness="on_time"' in body
    assert 'data-kind="report" data-timeliness="missing"' in body
    assert 'data-kind="plan" data-timeliness="late"' in body
    only_missing = client.get(reverse("rectification:document_list") + "?timeliness=missing").content.decode()
    assert world.units.finance.name in only_missing and world.units.education.name not in only_missing


def _late_and_missing(world):
    plan1, report1 = doc(world, DocumentKind.PLAN), doc(world, DocumentKind.REPORT)
    UnitDocument.objects.filter(pk=plan1.pk).update(
        status="submitted", due_date=world.today - timedelta(days=9), first_submitted_on=world.today
    )
    UnitDocument.objects.filter(pk=report1.pk).update(due_date=world.today - timedelta(days=1))


@pytest.mark.parametrize("url", ["dashboard:index", "rectification:task_list"])
def test_dashboard_and_ledger_count_documents_on_time_late_missing(world, client, url):
    _late_and_missing(world)
    client.force_login(world.users["office"])
    body = client.get(reverse(url)).content.decode()
    assert 'data-kind="plan" data-timeliness="late"><a' in body
    # Group 1's 整改报告 is missing; group 2's documents are not yet due.
    assert '"report" data-timeliness="missing"><a class="text-danger fw-bold" href' in body
    late = body.split('data-kind="plan" data-timeliness="late">')[1].split("</a>")[0]
    assert late.endswith(">1")


def test_dashboard_shows_each_recent_inspections_documents(world, client):
    _late_and_missing(world)
    client.force_login(world.users["leadership"])
    body = client.get(reverse("dashboard:index")).content.decode()
    assert 'id="document-table"' in body and world.units.finance.name in body


def test_a_liaisons_ledger_counts_only_their_units_documents(world, client):
    _late_and_missing(world)
    UnitDocument.objects.filter(feedback=world.g2.feedback, kind="report").update(
        due_date=world.today - timedelta(days=1)
    )
    client.force_login(world.users["liaison"])
    body = client.get(reverse("rectification:task_list")).content.decode()
    missing = body.split('"report" data-timeliness="missing">')[1].split("</a>")[0]
    assert missing.endswith(">1")  # group 2's missing report is not theirs to count
