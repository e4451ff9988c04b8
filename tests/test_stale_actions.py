"""A button pressed on a page that is out of date is refused with a message, never applied to the state it did not show.

Each test opens the page, lets a colleague move the object on, then submits the form as the page rendered it.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from findings.choices import ClueStatus, Disposition, Outcome, ReceivingBody, ReviewState
from findings.models import BodyLiaison, Clue, Finding
from rectification.choices import SpotCheckResult, TaskStatus
from rectification.models import ProgressReport, SpotCheck, SpotCheckItem, TaskEvent
from rectification.services import task_transition
from rounds.choices import Stage
from rounds.models import Inspection
from rounds.services import inspection_advance
from tests.edit_forms import rendered_form
from tests.task_support import submit_for_review
from xuncha.roles import OFFICE_GROUP

pytestmark = pytest.mark.django_db


def _colleague(world):
    colleague = User.objects.create_user("office2", password="pw")
    colleague.groups.add(world.users["office"].groups.get(name=OFFICE_GROUP))
    return colleague


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_send_back_pressed_after_a_colleague_closed_the_task_is_refused_not_applied_as_reopen(world, login):
    task = world.g1.task
    submit_for_review(world.users["liaison"], task)
    client = login(world.users["office"])
    detail = reverse("rectification:task_detail", args=[task.pk])
    action = reverse("rectification:task_transition", args=[task.pk])
    send_back = rendered_form(_page(client, detail), action, to_status=TaskStatus.IN_PROGRESS)
    assert send_back["expected_status"] == [TaskStatus.SUBMITTED]

    task_transition(actor=_colleague(world), task=task, to_status=TaskStatus.CLOSED)
    response = client.post(action, {**send_back, "comment": "佐证材料不足"}, follow=True)

    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    assert not TaskEvent.objects.filter(task=task, from_status=TaskStatus.CLOSED).exists()
    assert "该任务已被他人处理，当前状态为“已销号”" in response.content.decode()


def test_progress_report_on_a_task_a_colleague_has_sent_for_verification_is_refused_with_a_message(world, login):
    task = world.g1.task
    client = login(world.users["liaison"])
    detail = reverse("rectification:task_detail", args=[task.pk])
    action = reverse("rectification:progress_add", args=[task.pk])
    form = rendered_form(_page(client, detail), action)
    assert form["expected_status"] == [TaskStatus.IN_PROGRESS]

    submit_for_review(world.users["office"], task)
    reports = ProgressReport.objects.filter(task=task).count()
    response = client.post(action, {**form, "text": "已完成议事规则修订", "progress": "60"})

    # The report form is gone from the page (the task is no longer open to reports): the reason shows above it.
    assert ProgressReport.objects.filter(task=task).count() == reports
    assert "该任务已被他人处理，当前状态为“已完成待审核”" in response.content.decode()


def test_a_refused_progress_report_keeps_what_was_typed_while_the_form_is_still_offered(world, login):
    task = world.g1.task
    client = login(world.users["liaison"])
    action = reverse("rectification:progress_add", args=[task.pk])
    form = rendered_form(_page(client, reverse("rectification:task_detail", args=[task.pk])), action)
    form["expected_status"] = [TaskStatus.NOT_STARTED]  # the page was opened before the first report

    response = client.post(action, {**form, "text": "已完成议事规则修订", "progress": "60"})

    page = response.content.decode()
    assert not ProgressReport.objects.filter(task=task).exists()
    assert "该任务已被他人处理，当前状态为“整改中”" in page
    assert "已完成议事规则修订" in page


def test_stage_advance_pressed_after_a_colleague_advanced_is_refused_with_a_message(world, login):
    inspection = world.g1.inspection
    client = login(world.users["office"])
    detail = reverse("rounds:inspection_detail", args=[inspection.pk])
    action = reverse("rounds:inspection_advance", args=[inspection.pk])
    form = rendered_form(_page(client, detail), action)
    assert form["expected_stage"] == [str(Stage.FEEDBACK)]

    inspection_advance(
        actor=_colleague(world), inspection=inspection, to_stage=Stage.RECTIFICATION, expected_stage=Stage.FEEDBACK
    )
    history = inspection.history.count()
    response = client.post(action, form, follow=True)

    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.RECTIFICATION
    assert inspection.history.count() == history
    assert "已被他人推进到“整改”阶段" in response.content.decode()


def test_a_stale_review_click_says_why_even_when_no_review_button_is_left(world, login):
    draft = world.g1.draft
    Finding.objects.filter(pk=draft.pk).update(review_state=ReviewState.LEADER_SIGN)
    client = login(world.users["group1_leader"])
    detail = reverse("findings:finding_detail", args=[draft.pk])
    action = reverse("findings:finding_transition", args=[draft.pk])
    form = rendered_form(_page(client, detail), action)
    assert form["expected_state"] == [ReviewState.LEADER_SIGN]

    Finding.objects.filter(pk=draft.pk).update(review_state=ReviewState.REPORTED)  # signed in another tab
    response = client.post(action, {**form, "to_state": ReviewState.REPORTED})

    assert "该底稿已被他人处理，当前状态为“已报告”" in response.content.decode()


def test_disposition_saved_from_a_page_before_a_colleague_answered_is_refused(world, login):
    clue = world.g1.clue
    client = login(world.users["jiwei"])
    action = reverse("findings:clue_disposition", args=[clue.pk])
    form = rendered_form(_page(client, action), "")
    assert form["expected_status"] == [ClueStatus.TRANSFERRED]

    colleague = User.objects.create_user("jiwei2", password="pw")
    BodyLiaison.objects.create(user=colleague, body=ReceivingBody.DISCIPLINE)
    Clue.objects.filter(pk=clue.pk).update(
        status=ClueStatus.ANSWERED,
        disposition=Disposition.values[0],
        outcome=Outcome.values[0],
        answered_date=world.today - timedelta(days=1),
    )
    response = client.post(action, {**form, "disposition": Disposition.values[1]})

    clue.refresh_from_db()
    assert clue.status == ClueStatus.ANSWERED and clue.disposition == Disposition.values[0]
    assert "该线索已被他人处理，当前状态为“已反馈”" in response.content.decode()


def test_a_spot_check_result_recorded_twice_is_refused_with_a_message(world, login):
    task = world.g1.task
    check = SpotCheck.objects.create(kind="tasks", seed=1, sample_size=1, drawn_by=world.users["office"])
    item = SpotCheckItem.objects.create(spot_check=check, task=task)
    client = login(world.users["office"])
    detail = reverse("rectification:spotcheck_detail", args=[check.pk])
    action = reverse("rectification:spotcheck_item_record", args=[item.pk])
    form = rendered_form(_page(client, detail), action)

    client_2 = login(_colleague(world))
    client_2.post(action, {"result": SpotCheckResult.PASSED})
    client = login(world.users["office"])
    response = client.post(action, {**form, "result": SpotCheckResult.FAILED, "note": "未整改到位"}, follow=True)

    item.refresh_from_db()
    assert item.result == SpotCheckResult.PASSED
    assert "该项已登记核查结果" in response.content.decode()
