"""The 整改台账: the headline export. Readable, printable, scoped, and constant in queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings.models import Finding
from rectification.choices import TaskStatus, TermType
from rectification.models import ProgressEvidence, ProgressReport, RectificationTask
from rounds.models import Inspection, PartyUnit, Round
from tests.exports_helpers import all_text, headers, sheet_rows, workbook
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db

LEDGER_HEADERS = [
    "序号",
    "问题编号",
    "问题类别",
    "反馈问题",
    "整改措施",
    "整改目标",
    "责任领导",
    "责任部门",
    "经办人",
    "时限类型",
    "整改时限",
    "进度",
    "状态",
    "佐证材料",
    "销号日期",
    "来源",
]


def _evidence(task, author, *names):
    report = ProgressReport.objects.create(task=task, text="已完成", progress=100, author=author)
    for name in names:
        ProgressEvidence.objects.create(report=report, file="evidence/x", original_name=name, size=1)


def _ledger(login, world, persona, **params):
    return login(world.users[persona]).get(reverse("exports:ledger"), params)


def test_ledger_has_the_columns_the_office_uses_and_readable_values(world, login):
    task = world.g1.task
    task.status = TaskStatus.CLOSED
    task.progress = 100
    task.closed_at = timezone.make_aware(datetime.datetime(2026, 3, 5, 23, 30))
    task.handler = world.users["liaison"]
    task.save()
    _evidence(task, world.users["liaison"], "议事规则.pdf", "会议纪要.docx")
    wb = workbook(_ledger(login, world, "office"))
    ws = wb.active
    assert ws.title == "整改台账"
    assert headers(ws) == LEDGER_HEADERS
    rows = sheet_rows(ws)
    assert len(rows) == 2
    row = next(r for r in rows if r[1] == world.g1.finding.number)
    assert row[0] == 1 or row[0] == 2
    assert row[2] == str(world.category)
    assert row[3] == world.g1.finding.title
    assert row[4] == task.measure
    assert row[6] == "王办" and row[7] == "县财政局党组" and row[8] == "吴联络"
    assert row[9] == task.get_term_type_display()
    assert row[10].date() == task.due_date  # a real date cell …
    assert row[11] == 1  # 100 %
    assert row[12] == "已销号"
    assert set(row[13].split("、")) == {"议事规则.pdf", "会议纪要.docx"}
    assert row[14].date() == datetime.date(2026, 3, 5)  # local date of closing, not UTC
    assert row[15] == "县委巡察"
    # … shown the way people read and print dates.
    r = 3 + rows.index(row)
    assert ws.cell(r, 11).number_format == "yyyy-mm-dd"
    assert ws.cell(r, 12).number_format == "0%"
    assert ws.cell(r, 5).alignment.wrap_text


def test_ledger_is_frozen_and_set_up_for_landscape_printing(world, login):
    ws = workbook(_ledger(login, world, "office")).active
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"
    assert ws.column_dimensions["E"].width == 40
    assert ws.auto_filter.ref == "A2:P4"


@pytest.mark.parametrize(
    ("persona", "mine", "theirs"),
    [
        ("group1_leader", "甲组机密", "乙组机密"),
        ("group2_member", "乙组机密", "甲组机密"),
        ("liaison", "甲组机密", "乙组机密"),
    ],
)
def test_ledger_never_holds_another_groups_rows(world, login, persona, mine, theirs):
    wb = workbook(_ledger(login, world, persona))
    text = all_text(wb)
    assert mine in text
    assert theirs not in text
    assert len(sheet_rows(wb.active)) == 1


@pytest.mark.parametrize("persona", ["jiwei", "nobody"])
def test_roles_without_tasks_get_404(world, login, persona):
    assert _ledger(login, world, persona).status_code == 404
    assert login(world.users[persona]).get(reverse("exports:tasks")).status_code == 404


def test_ledger_filters_by_status_unit_and_overdue(world, login):
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(due_date=world.today - datetime.timedelta(days=3))
    rows = sheet_rows(workbook(_ledger(login, world, "office", overdue="1")).active)
    assert [r[1] for r in rows] == [world.g2.finding.number]
    rows = sheet_rows(workbook(_ledger(login, world, "office", unit=world.units.finance.pk)).active)
    assert [r[1] for r in rows] == [world.g1.finding.number]
    rows = sheet_rows(workbook(_ledger(login, world, "office", status="closed")).active)
    assert rows == []


def test_one_sheet_per_round_when_asked(world, login):
    later = Round.objects.create(plan=world.plan, number=2, year=world.today.year)
    inspection = Inspection.objects.create(round=later, group=world.g1.group, unit=world.units.township, kind="regular")
    finding = Finding.objects.create(
        inspection=inspection,
        seq=1,
        category=world.category,
        title="第二轮问题",
        description="…",
        source="interview",
        author=world.users["group1_member"],
    )
    RectificationTask.objects.create(
        finding=finding,
        measure="第二轮措施",
        responsible_unit=world.units.township,
        term_type=TermType.DEADLINE,
        due_date=world.today,
    )
    wb = workbook(_ledger(login, world, "office", sheets="round"))
    assert wb.sheetnames == [str(later), str(world.round)]
    assert [r[4] for r in sheet_rows(wb[str(later)])] == ["第二轮措施"]
    second = sheet_rows(wb[str(world.round)])
    assert len(second) == 2 and [r[0] for r in second] == [1, 2]  # 序号 restarts per sheet
    assert wb[str(later)]["A1"].value == f"整改台账（{later}）"
    # One sheet for all is the default.
    assert workbook(_ledger(login, world, "office")).sheetnames == ["整改台账"]
    assert ExportLog.objects.filter(kind="ledger", filters__sheets="round").count() == 1


def _add_tasks(world, n):
    finding = world.g1.finding
    report_author = world.users["liaison"]
    for i in range(n):
        task = RectificationTask.objects.create(
            finding=finding,
            measure=f"措施{i}",
            responsible_unit=world.units.finance,
            responsible_leader=world.users["office"],
            handler=report_author,
            term_type=TermType.DEADLINE,
            due_date=world.today,
        )
        _evidence(task, report_author, f"材料{i}-a.pdf", f"材料{i}-b.pdf")


def _queries(login, world, **params):
    client = login(world.users["office"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("exports:ledger"), params)
        wb = workbook(response)
    return len(ctx.captured_queries), len(sheet_rows(wb.active))


def test_query_count_does_not_grow_with_rows(world, login, settings):
    _add_tasks(world, 3)
    small, rows_small = _queries(login, world)
    _add_tasks(world, 40)
    large, rows_large = _queries(login, world)
    assert (rows_small, rows_large) == (5, 45)
    assert large == small
    large_sheets, _ = _queries(login, world, sheets="round")
    assert large_sheets == small


def test_a_bad_filter_drops_only_itself_and_says_so(world, login):
    client = login(world.users["office"])
    status = TaskStatus.CLOSED
    alone = client.get(reverse("rectification:task_list"), {"status": status}).context["page"].paginator.count
    response = client.get(reverse("rectification:task_list"), {"round": "abc", "status": status})
    assert response.context["page"].paginator.count == alone < RectificationTask.objects.count()
    assert response.context["form"].errors["round"]


def test_a_unit_taken_off_the_register_still_filters_its_tasks(world, login):
    PartyUnit.objects.filter(pk=world.units.finance.pk).update(is_active=False)
    response = login(world.users["office"]).get(reverse("rectification:task_list"), {"unit": world.units.finance.pk})
    assert not response.context["form"].errors
    assert [t.pk for t in response.context["page"]] == [world.g1.task.pk]


@pytest.mark.parametrize(
    ("url", "param"),
    [("rectification:task_list", "unit"), ("findings:finding_list", "inspection"), ("rounds:unit_list", "parent")],
)
def test_an_id_beyond_any_id_answers_the_page_not_a_500(world, login, url, param):
    response = login(world.users["office"]).get(reverse(url), {param: "9" * 25})
    assert response.status_code == 200


def test_the_ledger_finds_a_task_by_its_finding_s_number(world, login):
    client = login(world.users["office"])
    response = client.get(reverse("rectification:task_list"), {"q": world.g1.finding.number})
    assert [t.pk for t in response.context["page"]] == [world.g1.task.pk]
    assert client.get(reverse("rectification:task_list"), {"q": "99999-999"}).context["page"].paginator.count == 0


def test_the_ledger_search_box_says_what_it_searches(world, login):
    body = login(world.users["office"]).get(reverse("rectification:task_list")).content.decode()
    assert 'placeholder="搜索整改措施、问题、责任部门或问题编号"' in body
    assert '<label class="visually-hidden" for="id_q">搜索</label>' in body
