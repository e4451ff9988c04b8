"""配合上级巡视: a 问题整改 request's problems become tasks of the county in the same 整改台账 (来源 上级巡视巡察),
so 件件有着落 covers them too: reminded like any task, never shown to an inspection group, held out of every
round's counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from rectification import reminders
from rectification.choices import TaskSource, TaskStatus
from rectification.models import Notification, RectificationTask
from rectification.services import upper as services
from rectification.services.assessments import outcome_record
from tests.exports_helpers import all_text, docx_text, headers, sheet_rows, workbook
from tests.upper_support import UPPER_MEASURE, UPPER_PROBLEM, request_of, upper_task_of
from xuncha.dashboard import figures
from xuncha.dashboard.selectors import Scope

pytestmark = pytest.mark.django_db


def _task_fields(world, **extra):
    return {
        "measure": "整改措施",
        "responsible_unit": world.units.finance,
        "term_type": "deadline",
        "due_date": world.today + timedelta(days=30),
        **extra,
    }


# --- the model: exactly one origin ------------------------------------------------------------------
def test_a_task_with_both_origins_is_refused_by_the_database(world):
    request = request_of(world, kind="rectification")
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.create(finding=world.g1.finding, upper_request=request, **_task_fields(world))


def test_a_task_with_no_origin_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.create(**_task_fields(world))


def test_an_existing_task_cannot_lose_its_origin_or_gain_a_second(world):
    request = request_of(world, kind="rectification")
    task = world.g1.task
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=task.pk).update(finding=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationTask.objects.filter(pk=task.pk).update(upper_request=request)


def test_full_clean_names_the_rule(world):
    task = RectificationTask(round=world.round, **_task_fields(world))
    with pytest.raises(ValidationError, match="二者之一"):
        task.full_clean()


def test_an_upper_task_has_no_round_and_says_where_it_comes_from(world):
    task = upper_task_of(world)
    task.refresh_from_db()
    assert task.finding_id is None and task.round_id is None
    assert task.source == TaskSource.UPPER and task.get_source_display() == "上级巡视巡察"
    assert task.problem_title == UPPER_PROBLEM
    assert world.g1.task.source == TaskSource.COUNTY and world.g1.task.round_id == world.round.pk


# --- the service: the office, from a 问题整改 request only -------------------------------------------
@pytest.mark.parametrize("persona", ["leadership", "liaison", "group1_leader"])
def test_only_the_office_creates_upper_tasks(world, persona):
    request = request_of(world, kind="rectification")
    with pytest.raises(PermissionDenied):
        services.upper_task_create(actor=world.users[persona], request=request, **_task_fields(world))


def test_only_a_rectification_request_yields_tasks(world, login):
    request = request_of(world, kind="documents")
    with pytest.raises(ValidationError):
        services.upper_task_create(actor=world.users["office"], request=request, **_task_fields(world))
    client = login(world.users["office"])
    assert client.get(reverse("rectification:upper_task_create", args=[request.pk])).status_code == 404
    page = client.get(reverse("rectification:upper_request_detail", args=[request.pk])).content.decode()
    assert "分解整改任务" not in page


def test_office_creates_two_tasks_from_one_request_and_the_pages_link_both_ways(world, login):
    request = request_of(world, kind="rectification", title=UPPER_PROBLEM)
    client = login(world.users["office"])
    url = reverse("rectification:upper_task_create", args=[request.pk])
    form = client.get(url)
    assert form.status_code == 200 and UPPER_PROBLEM in form.content.decode()
    data = {
        "measure": UPPER_MEASURE,
        "responsible_unit": world.units.finance.pk,
        "responsible_leader": world.users["unit_head"].pk,
        "term_type": "deadline",
        "due_date": (world.today + timedelta(days=20)).isoformat(),
    }
    response = client.post(url, {**data, "add_another": "1"})
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(url, {**data, "measure": "建立津贴补贴发放审批制度", "handler": world.users["liaison"].pk})
    tasks = list(request.tasks.order_by("pk"))
    assert len(tasks) == 2 and all(t.round_id is None and t.finding_id is None for t in tasks)
    assert response["Location"] == reverse("rectification:task_detail", args=[tasks[1].pk])
    # The request lists its tasks with their status; each task links back to the request.
    page = client.get(reverse("rectification:upper_request_detail", args=[request.pk])).content.decode()
    assert UPPER_MEASURE in page and "建立津贴补贴发放审批制度" in page and "未开始" in page
    detail = client.get(reverse("rectification:task_detail", args=[tasks[0].pk])).content.decode()
    assert reverse("rectification:upper_request_detail", args=[request.pk]) in detail
    assert "上级巡视巡察" in detail and "省委第三巡视组" in detail
    assert client.get(reverse("rectification:task_edit", args=[tasks[0].pk])).status_code == 200


# --- the ledger: marked by source, in the page and its export -----------------------------------------
def test_the_ledger_shows_the_upper_task_marked_and_filters_by_source(world, login):
    task = upper_task_of(world)
    client = login(world.users["office"])
    page = client.get(reverse("rectification:task_list")).content.decode()
    assert UPPER_MEASURE in page and 'data-source="upper"' in page and 'data-source="county"' in page
    upper = client.get(reverse("rectification:task_list"), {"source": "upper"}).content.decode()
    assert UPPER_MEASURE in upper and world.g1.task.measure not in upper
    county = client.get(reverse("rectification:task_list"), {"source": "county"}).content.decode()
    assert UPPER_MEASURE not in county and world.g1.task.measure in county
    # A round's ledger has no upper-level task; a search finds it by the request's title.
    by_round = client.get(reverse("rectification:task_list"), {"round": world.round.pk}).content.decode()
    assert UPPER_MEASURE not in by_round
    found = client.get(reverse("rectification:task_list"), {"q": "违规发放津贴"}).content.decode()
    assert reverse("rectification:task_detail", args=[task.pk]) in found


def test_the_ledger_export_marks_the_source_and_filters_by_it(world, login):
    upper_task_of(world)
    client = login(world.users["office"])
    ws = workbook(client.get(reverse("rectification:task_list"), {"export": "xlsx"})).active
    columns = headers(ws)
    rows = sheet_rows(ws)
    assert len(rows) == 3
    source, problem = columns.index("来源"), columns.index("反馈问题")
    upper = next(r for r in rows if r[columns.index("整改措施")] == UPPER_MEASURE)
    assert upper[source] == "上级巡视巡察" and upper[problem] == UPPER_PROBLEM
    assert upper[columns.index("问题编号")] in (None, "")
    assert {r[source] for r in rows} == {"上级巡视巡察", "县委巡察"}
    only = workbook(client.get(reverse("exports:ledger"), {"source": "upper"})).active
    assert [r[columns.index("整改措施")] for r in sheet_rows(only)] == [UPPER_MEASURE]
    # One sheet per round: the upper-level tasks get a sheet of their own.
    wb = workbook(client.get(reverse("rectification:task_list"), {"export": "xlsx", "sheets": "round"}))
    assert "上级巡视巡察" in wb.sheetnames and str(world.round) in wb.sheetnames


def test_the_rectification_notice_shows_the_source(world, login):
    upper_task_of(world)
    response = login(world.users["liaison"]).get(reverse("exports:rectification_notice", args=[world.units.finance.pk]))
    text = docx_text(response)
    assert UPPER_PROBLEM in text and "上级巡视巡察" in text and "县委巡察" in text


# --- who sees it: the office, leadership, the unit's liaison and head; never a group -----------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office", 200),
        ("leadership", 200),
        ("liaison", 200),
        ("unit_head", 200),
        ("group1_leader", 404),
        ("group1_member", 404),
        ("group2_leader", 404),
        ("zuzhibu", 404),
    ],
)
def test_who_opens_an_upper_task(world, login, persona, status):
    task = upper_task_of(world)
    assert login(world.users[persona]).get(reverse("rectification:task_detail", args=[task.pk])).status_code == status


@pytest.mark.parametrize("persona", ["group1_leader", "group1_member", "group2_leader", "group2_member"])
def test_groups_never_see_upper_tasks_in_the_ledger_or_its_export(world, login, persona):
    upper_task_of(world)
    client = login(world.users[persona])
    assert UPPER_MEASURE not in client.get(reverse("rectification:task_list")).content.decode()
    assert UPPER_MEASURE not in all_text(workbook(client.get(reverse("exports:ledger"))))
    assert not RectificationTask.objects.visible_to(world.users[persona]).filter(upper_request__isnull=False).exists()


def test_the_liaison_reads_it_in_the_ledger_and_reports_progress(world, login):
    task = upper_task_of(world)
    client = login(world.users["liaison"])
    assert UPPER_MEASURE in client.get(reverse("rectification:task_list")).content.decode()
    response = client.post(
        reverse("rectification:progress_add", args=[task.pk]),
        {"text": "已清退部分津贴", "progress": 40, "expected_status": task.status},
    )
    task.refresh_from_db()
    assert response.status_code == 302 and task.status == TaskStatus.IN_PROGRESS and task.progress == 40
    assert task.history.count() >= 2


# --- reminders: the same ladder, to the unit's liaison ----------------------------------------------------
def test_reminders_reach_the_units_liaison(world):
    task = upper_task_of(world, due_in=5)
    reminders.sweep(world.today)
    reminders.sweep(world.today)
    notes = Notification.objects.filter(reminder__task=task)
    assert list(notes.values_list("recipient__username", flat=True)) == [world.users["liaison"].username]
    note = notes.get()
    assert UPPER_MEASURE[:20] in note.title
    assert note.url == reverse("rectification:task_detail", args=[task.pk])


def test_an_overdue_upper_task_reaches_the_unit_head_and_the_office(world):
    task = upper_task_of(world, due_in=-3)
    reminders.sweep(world.today)
    names = set(Notification.objects.filter(reminder__task=task).values_list("recipient__username", flat=True))
    assert {world.users["unit_head"].username, world.users["office"].username} <= names


def test_the_reminder_list_and_its_export_show_the_upper_task(world, login):
    upper_task_of(world, due_in=5)
    reminders.sweep(world.today)
    client = login(world.users["liaison"])
    assert UPPER_MEASURE[:10] in client.get(reverse("rectification:reminder_list")).content.decode()
    assert "上级巡视巡察" in all_text(workbook(client.get(reverse("exports:reminders"))))


# --- counts: in no round's figures ------------------------------------------------------------------------
def test_dashboard_figures_leave_upper_tasks_out(world):
    def rectification():
        return figures.build(Scope(plan=world.plan, today=world.today))["rectification"]

    before = rectification()
    upper_task_of(world, due_in=-40)  # overdue and escalated: it would show in every figure
    task = upper_task_of(world)
    RectificationTask.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSED, closed_at=world.g1.task.created_at)
    after = rectification()
    assert after == before
    assert after["total"]["n"] == RectificationTask.objects.filter(round__isnull=False).count() == 2


def test_an_outcome_cannot_name_an_upper_task(world):
    task = upper_task_of(world)
    with pytest.raises(ValidationError):
        outcome_record(actor=world.users["office"], inspection=world.g1.inspection, task=task)


def test_a_rectification_request_without_a_task_is_listed_as_unassigned(world, login):
    request = request_of(world, kind="rectification", title=UPPER_PROBLEM)
    request_of(world, request.visit, kind="documents", title="调阅会议记录")
    client = login(world.users["office"])
    page = client.get(reverse("rectification:unassigned")).content.decode()
    assert UPPER_PROBLEM in page and "调阅会议记录" not in page
    assert reverse("rectification:upper_task_create", args=[request.pk]) in page
    upper_task_of(world, request)
    assert UPPER_PROBLEM not in client.get(reverse("rectification:unassigned")).content.decode()
