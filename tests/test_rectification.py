"""Feedback, tasks, progress, verification and spot checks as the office and the unit liaison live them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from findings.choices import ReviewState, Source
from findings.models import Finding
from rectification.choices import ReminderState, Rung, SpotCheckKind, SpotCheckResult, TaskStatus, TermType
from rectification.models import Notification, RectificationTask, Reminder, SpotCheck, TaskEvent
from rectification.services import (
    feedback_give,
    progress_report_add,
    spotcheck_draw,
    spotcheck_record,
    task_create,
    task_transition,
)
from rectification.services.spotchecks import draw_sample
from rounds.choices import InspectionKind, Stage
from rounds.models import Inspection
from tests.task_support import submit_for_review


def _pdf(name="整改报告.pdf", content=b"%PDF-1.4 ok"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def awaiting(world):
    """An inspection at stage 反馈 with two reported findings and a draft, and no feedback yet."""
    inspection = Inspection.objects.create(
        round=world.round,
        group=world.g1.group,
        unit=world.units.township,
        kind=InspectionKind.REGULAR,
        stage=Stage.FEEDBACK,
    )
    make = lambda seq, state, **kw: Finding.objects.create(  # noqa: E731
        inspection=inspection,
        seq=seq,
        category=world.category,
        title=f"问题{seq}",
        description="情况",
        source=Source.INTERVIEW,
        review_state=state,
        author=world.users["group1_member"],
        **kw,
    )
    world.awaiting = inspection
    world.reported = [make(1, ReviewState.REPORTED), make(2, ReviewState.REPORTED)]
    world.draft = make(3, ReviewState.DRAFT)
    return world


# --- feedback -----------------------------------------------------------------------------------


def test_feedback_hands_over_reported_findings_and_starts_the_round_due_dates(awaiting):
    awaiting.round.plan_due_days = 20
    awaiting.round.save()
    day = awaiting.today
    feedback = feedback_give(actor=awaiting.users["office"], inspection=awaiting.awaiting, date=day)
    assert set(feedback.findings.all()) == set(awaiting.reported)
    assert (feedback.plan_due, feedback.report_due, feedback.assessment_due) == (
        day + timedelta(days=20),
        day + timedelta(days=60),
        day + timedelta(days=180),
    )
    awaiting.draft.refresh_from_db()
    assert awaiting.draft.feedback is None
    awaiting.awaiting.refresh_from_db()
    assert awaiting.awaiting.feedback_date == day


def test_feedback_only_at_the_feedback_stage_and_only_by_the_office(awaiting):
    with pytest.raises(PermissionDenied):
        feedback_give(actor=awaiting.users["group1_leader"], inspection=awaiting.awaiting, date=awaiting.today)
    Inspection.objects.filter(pk=awaiting.awaiting.pk).update(stage=Stage.REPORTING)
    with pytest.raises(ValidationError, match="反馈"):
        feedback_give(actor=awaiting.users["office"], inspection=awaiting.awaiting, date=awaiting.today)


def test_feedback_page_gives_feedback_and_sends_the_office_to_the_unassigned_list(awaiting, login):
    client = login(awaiting.users["office"])
    url = reverse("rectification:feedback_create", args=[awaiting.awaiting.pk])
    page = client.get(url).content.decode()
    assert "问题1" in page and "问题3" not in page  # drafts are not offered
    response = client.post(url, {"date": awaiting.today.isoformat(), "findings": [awaiting.reported[0].pk]})
    assert response.status_code == 302 and response.url == reverse("rectification:unassigned")
    unassigned = client.get(response.url).content.decode()
    assert "问题1" in unassigned and "问题2" not in unassigned
    assert client.get(url).status_code == 404  # given once


def test_feedback_form_keeps_what_was_typed_and_says_what_is_wrong(awaiting, login):
    client = login(awaiting.users["office"])
    url = reverse("rectification:feedback_create", args=[awaiting.awaiting.pk])
    response = client.post(url, {"date": "2026-13-40"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-13-40" in body and "请至少选择一个问题" in body


# --- tasks ----------------------------------------------------------------------------------------


def _task_fields(world, **over):
    return {
        "measure": "建立台账",
        "responsible_unit": world.units.township,
        "term_type": TermType.DEADLINE,
        "due_date": world.today + timedelta(days=30),
        **over,
    }


def test_tasks_only_for_fed_back_findings_or_reported_immediate_ones(awaiting):
    office = awaiting.users["office"]
    finding = awaiting.reported[0]
    with pytest.raises(ValidationError, match="尚未反馈"):
        task_create(actor=office, finding=finding, **_task_fields(awaiting))
    Finding.objects.filter(pk=finding.pk).update(immediate=True)
    finding.refresh_from_db()
    task = task_create(actor=office, finding=finding, **_task_fields(awaiting, term_type=TermType.IMMEDIATE))
    assert task.status == TaskStatus.NOT_STARTED
    assert task.round == finding.inspection.round  # the ledger filters and counts by the task's own round
    Finding.objects.filter(pk=awaiting.draft.pk).update(immediate=True)
    awaiting.draft.refresh_from_db()
    with pytest.raises(ValidationError):
        task_create(actor=office, finding=awaiting.draft, **_task_fields(awaiting))


def test_unassigned_lists_fed_back_findings_until_each_has_a_task(awaiting, login):
    office = awaiting.users["office"]
    feedback_give(actor=office, inspection=awaiting.awaiting, date=awaiting.today)
    client = login(office)
    url = reverse("rectification:unassigned")
    assert "问题2" in client.get(url).content.decode()
    create = reverse("rectification:task_create", args=[awaiting.reported[1].pk])
    data = {
        "measure": "建立台账",
        "responsible_unit": awaiting.units.township.pk,
        "term_type": TermType.DEADLINE,
        "due_date": (awaiting.today + timedelta(days=30)).isoformat(),
    }
    assert client.post(create, data).status_code == 302
    assert "问题2" not in client.get(url).content.decode()


def test_task_form_reports_a_missing_measure(world, login):
    client = login(world.users["office"])
    response = client.post(reverse("rectification:task_create", args=[world.g1.finding.pk]), {"measure": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()


# --- progress and verification --------------------------------------------------------------------


def test_liaison_reports_progress_with_evidence_and_asks_to_close(world, login):
    client = login(world.users["liaison"])
    task = world.g1.task
    url = reverse("rectification:progress_add", args=[task.pk])
    assert client.post(url, {"text": "已修订制度", "progress": 60, "files": [_pdf()]}).status_code == 302
    task.refresh_from_db()
    assert (task.progress, task.status) == (60, TaskStatus.IN_PROGRESS)
    response = client.post(url, {"text": "全部完成", "progress": 80, "submit_for_review": "1"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.SUBMITTED, 100)
    evidence = task.reports.first().evidence.get()
    download = client.get(reverse("rectification:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 ok"
    assert "整改报告.pdf" in download["Content-Disposition"] or "filename*" in download["Content-Disposition"]


def test_evidence_of_the_wrong_type_or_size_is_refused_and_the_text_kept(world, login, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client = login(world.users["liaison"])
    url = reverse("rectification:progress_add", args=[world.g1.task.pk])
    response = client.post(url, {"text": "附件有问题", "progress": 50, "files": [_pdf("x.exe")]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "类型不允许上传" in body and "附件有问题" in body
    response = client.post(url, {"text": "太大", "progress": 50, "files": [_pdf("big.pdf", b"x" * 11)]})
    assert "的上限" in response.content.decode()
    assert not world.g1.task.reports.exists()


def test_asking_to_close_needs_evidence(world):
    with pytest.raises(ValidationError, match="佐证材料"):
        progress_report_add(actor=world.users["liaison"], task=world.g1.task, text="完成", progress=100)


def test_progress_reports_are_never_edited_in_place(world):
    report = progress_report_add(actor=world.users["liaison"], task=world.g1.task, text="一", progress=10)
    progress_report_add(actor=world.users["liaison"], task=world.g1.task, text="二", progress=20)
    report.refresh_from_db()
    assert report.text == "一"
    with pytest.raises(ValidationError, match="不能低于"):
        progress_report_add(actor=world.users["liaison"], task=world.g1.task, text="倒退", progress=5)


def test_liaison_of_another_unit_and_group_members_cannot_report(world):
    with pytest.raises(PermissionDenied):
        progress_report_add(actor=world.users["group1_leader"], task=world.g1.task, text="x", progress=10)
    with pytest.raises(PermissionDenied):
        progress_report_add(actor=world.users["liaison"], task=world.g2.task, text="x", progress=10)


def _submit(world, task):
    return submit_for_review(world.users["liaison"], task)


def test_office_closes_a_submitted_task_and_the_trail_records_it(world, login):
    task = _submit(world, world.g1.task)
    client = login(world.users["office"])
    response = client.post(reverse("rectification:task_transition", args=[task.pk]), {"to_status": "closed"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    trail = list(TaskEvent.objects.filter(task=task).values_list("from_status", "to_status", "actor__username"))
    assert trail == [("in_progress", "submitted", "liaison"), ("submitted", "closed", "office")]
    page = client.get(reverse("rectification:task_detail", args=[task.pk])).content.decode()
    assert "已完成待审核 → 已销号" in page and "变更记录" in page


def test_returning_a_task_needs_a_reason(world, login):
    task = _submit(world, world.g1.task)
    client = login(world.users["office"])
    url = reverse("rectification:task_transition", args=[task.pk])
    client.post(url, {"to_status": "in_progress", "comment": ""})
    task.refresh_from_db()
    assert task.status == TaskStatus.SUBMITTED
    client.post(url, {"to_status": "in_progress", "comment": "佐证材料不足"})
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS
    assert task.events.last().comment == "佐证材料不足"


def test_liaison_cannot_close_their_own_task(world):
    task = _submit(world, world.g1.task)
    with pytest.raises(PermissionDenied):
        task_transition(actor=world.users["liaison"], task=task, to_status=TaskStatus.CLOSED)


def test_moves_outside_the_table_are_refused(world):
    with pytest.raises(ValidationError, match="不能变更"):
        task_transition(actor=world.users["office"], task=world.g1.task, to_status=TaskStatus.CLOSED)


def test_the_database_refuses_a_closed_task_without_a_closing_date(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=world.g1.task.pk).update(status=TaskStatus.CLOSED)


def test_reminder_once_per_task_rung_and_due_date_but_a_cancelled_one_can_be_replaced(world):
    task, day = world.g1.task, world.today
    first = Reminder.objects.create(task=task, rung=Rung.D10, due_date=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(task=task, rung=Rung.D10, due_date=day)
    Reminder.objects.filter(pk=first.pk).update(state=ReminderState.CANCELLED)
    Reminder.objects.create(task=task, rung=Rung.D10, due_date=day)


# --- the ledger -------------------------------------------------------------------------------------


def test_ledger_filters_and_search(world, login):
    client = login(world.users["office"])
    url = reverse("rectification:task_list")
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(due_date=world.today - timedelta(days=1))
    body = client.get(url, {"overdue": "on"}).content.decode()
    assert "乙组机密整改措施" in body and "甲组机密整改措施" not in body
    body = client.get(url, {"q": "甲组机密"}).content.decode()
    assert "甲组机密整改措施" in body and "乙组机密整改措施" not in body
    body = client.get(url, {"unit": world.units.education.pk}).content.decode()
    assert "乙组机密整改措施" in body and "甲组机密整改措施" not in body


def test_ledger_search_finds_a_task_by_its_measure_its_findings_title_or_its_unit(world, login):
    client = login(world.users["office"])
    url = reverse("rectification:task_list")
    for q in ("修订议事规则", "三重一大", "县教育局"):  # measure (both), finding title (both), unit (group 2's)
        body = client.get(url, {"q": q}).content.decode()
        assert "乙组机密整改措施" in body, q
        assert ("甲组机密整改措施" in body) == (q != "县教育局"), q


def test_ledger_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for i in range(60):
        RectificationTask.objects.create(
            finding=world.g1.finding,
            measure=f"措施{i}",
            responsible_unit=world.units.finance,
            handler=world.users["liaison"],
            term_type=TermType.DEADLINE,
            due_date=world.today,
        )
    client = login(world.users["liaison"])
    with django_assert_max_num_queries(15):  # 14, and the unit documents' counts under the ledger
        response = client.get(reverse("rectification:task_list"))
    assert response.content.decode().count("/rectification/tasks/") == 50


def test_liaison_sees_only_their_units_tasks(world, login):
    body = login(world.users["liaison"]).get(reverse("rectification:task_list")).content.decode()
    assert "甲组机密整改措施" in body and "乙组机密" not in body


# --- spot checks ------------------------------------------------------------------------------------


def test_a_seed_reproduces_the_draw():
    ids = list(range(1, 500))
    assert draw_sample(ids, 10, 42) == draw_sample(ids, 10, 42)
    assert draw_sample(ids, 10, 42) != draw_sample(ids, 10, 43)


def _close(world, task):
    _submit(world, task)
    return task_transition(actor=world.users["office"], task=task, to_status=TaskStatus.CLOSED)


def test_spot_check_draw_is_recorded_with_its_seed_and_reproducible(world):
    for t in (world.g1.task, world.g2.task):
        RectificationTask.objects.filter(pk=t.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    office = world.users["office"]
    a = spotcheck_draw(actor=office, kind=SpotCheckKind.TASKS, sample_size=1, seed=7)
    b = spotcheck_draw(actor=office, kind=SpotCheckKind.TASKS, sample_size=1, seed=a.seed)
    assert [i.task_id for i in a.items.all()] == [i.task_id for i in b.items.all()]
    c = spotcheck_draw(actor=office, kind=SpotCheckKind.TASKS, sample_size=5)
    assert c.seed is not None and c.items.count() == 2  # no more than there are


def test_failed_recheck_reopens_the_task_with_the_reason(world):
    task = _close(world, world.g1.task)
    check = spotcheck_draw(actor=world.users["office"], kind=SpotCheckKind.TASKS, sample_size=1)
    item = check.items.get()
    with pytest.raises(ValidationError, match="写明情况"):
        spotcheck_record(actor=world.users["office"], item=item, result=SpotCheckResult.FAILED)
    with pytest.raises(ValidationError, match="新的整改时限"):
        spotcheck_record(actor=world.users["office"], item=item, result=SpotCheckResult.FAILED, note="制度未执行")
    with pytest.raises(ValidationError, match="不能早于今天"):
        spotcheck_record(
            actor=world.users["office"],
            item=item,
            result=SpotCheckResult.FAILED,
            note="制度未执行",
            due_date=world.today - timedelta(days=1),
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED  # a refused record changes nothing
    new_due = world.today + timedelta(days=45)
    spotcheck_record(
        actor=world.users["office"], item=item, result=SpotCheckResult.FAILED, note="制度未执行", due_date=new_due
    )
    task.refresh_from_db()
    assert (task.status, task.closed_at, task.due_date) == (TaskStatus.IN_PROGRESS, None, new_due)
    assert not task.is_overdue(world.today)  # reopened with a due date ahead, not overdue at once
    assert task.events.last().comment.endswith("制度未执行")


def test_failed_recheck_asks_for_a_new_due_date_on_the_page(world, login):
    task = _close(world, world.g1.task)
    check = spotcheck_draw(actor=world.users["office"], kind=SpotCheckKind.TASKS, sample_size=1)
    item = check.items.get()
    client = login(world.users["office"])
    page = client.get(reverse("rectification:spotcheck_detail", args=[check.pk])).content.decode()
    assert 'name="due_date"' in page
    url = reverse("rectification:spotcheck_item_record", args=[item.pk])
    client.post(url, {"result": SpotCheckResult.FAILED, "note": "制度未执行"})
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED  # no due date: nothing reopened, the page says why
    new_due = world.today + timedelta(days=30)
    client.post(url, {"result": SpotCheckResult.FAILED, "note": "制度未执行", "due_date": new_due.isoformat()})
    task.refresh_from_db()
    assert (task.status, task.due_date) == (TaskStatus.IN_PROGRESS, new_due)


def test_spot_check_of_finished_inspections_within_a_round(world):
    Inspection.objects.filter(pk=world.g1.inspection.pk).update(stage=Stage.ARCHIVED)
    check = spotcheck_draw(
        actor=world.users["office"], kind=SpotCheckKind.INSPECTIONS, sample_size=3, round=world.round
    )
    assert [i.inspection_id for i in check.items.all()] == [world.g1.inspection.pk]
    assert SpotCheck.objects.get().round == world.round


# --- inbox --------------------------------------------------------------------------------------------


def test_inbox_shows_unread_count_and_marks_read(world, login):
    me, other = world.users["liaison"], world.users["office"]
    for i in range(3):
        Notification.objects.create(recipient=me, title=f"提醒{i}", url=reverse("rectification:task_list"))
    theirs = Notification.objects.create(recipient=other, title="别人的")
    client = login(me)
    page = client.get(reverse("rectification:inbox")).content.decode()
    assert 'data-unread="3"' in page and "别人的" not in page
    assert client.post(reverse("rectification:inbox_read", args=[theirs.pk])).status_code == 404
    note = Notification.objects.filter(recipient=me).first()
    response = client.post(reverse("rectification:inbox_read", args=[note.pk]), {"next": note.url})
    assert response.url == note.url
    assert 'data-unread="2"' in client.get(reverse("home")).content.decode()
    client.post(reverse("rectification:inbox_read_all"))
    assert "data-unread" not in client.get(reverse("home")).content.decode()


def test_asking_to_close_is_not_a_bare_status_change(world, login):
    client = login(world.users["liaison"])
    client.post(reverse("rectification:task_transition", args=[world.g1.task.pk]), {"to_status": "submitted"})
    world.g1.task.refresh_from_db()
    assert world.g1.task.status == TaskStatus.IN_PROGRESS


def test_the_admin_cannot_move_a_task_to_another_finding(world, admin_client):
    # The task's round is copied from its finding when the task is made, so the finding is fixed after that.
    change = admin_client.get(reverse("admin:rectification_rectificationtask_change", args=[world.g1.task.pk]))
    assert 'name="finding"' not in change.content.decode()
    add = admin_client.get(reverse("admin:rectification_rectificationtask_add"))
    assert 'name="finding"' in add.content.decode()
