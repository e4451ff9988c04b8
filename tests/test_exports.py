"""List exports: the right headers, only the rows the user may see, and a log row for each."""

import pytest
from django.urls import reverse

from tests.exports_helpers import all_text, headers, sheet_rows, workbook
from xuncha.models import ExportLog

pytestmark = pytest.mark.django_db


def _get(login, world, persona, name, **params):
    return login(world.users[persona]).get(reverse(f"exports:{name}"), params)


def test_units_export_lists_the_registry_with_readable_kinds(world, login):
    wb = workbook(_get(login, world, "office", "units"))
    ws = wb.active
    assert headers(ws) == ["序号", "编号", "名称", "类别", "上级乡镇", "计划年度", "覆盖", "在册"]
    rows = sheet_rows(ws)
    assert len(rows) == 5
    village = next(r for r in rows if r[2] == "东风村党支部")
    assert village[1] == world.units.village.pk  # the key an edited export is imported back by
    assert village[3:5] == ["村(社区)党组织", "城关镇党委"] and village[-1] == "是"
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]


def test_units_export_applies_the_filters_on_screen(world, login):
    rows = sheet_rows(workbook(_get(login, world, "office", "units", kind="department")).active)
    assert sorted(r[2] for r in rows) == ["县教育局党组", "县财政局党组"]
    rows = sheet_rows(workbook(_get(login, world, "office", "units", q="财政")).active)
    assert [r[2] for r in rows] == ["县财政局党组"]


@pytest.mark.parametrize("persona", ["group1_leader", "liaison", "nobody"])
def test_registry_and_pool_exports_are_for_overseers_only(world, login, persona):
    assert _get(login, world, persona, "units").status_code == 404
    assert _get(login, world, persona, "people").status_code == 404


def test_people_export_shows_specialties_and_avoided_units(world, login):
    from rounds.models import Avoidance, Inspector

    person = Inspector.objects.get(name="1组组长")
    person.specialties = ["finance", "audit"]
    person.home_unit = world.units.township
    person.save()
    Avoidance.objects.create(inspector=person, unit=world.units.education)
    wb = workbook(_get(login, world, "office", "people"))
    assert headers(wb.active) == ["序号", "编号", "姓名", "工作单位", "职级", "专业特长", "组长库", "回避单位", "在库"]
    row = next(r for r in sheet_rows(wb.active) if r[2] == "1组组长")
    assert row[1] == person.pk
    assert row[3] == "城关镇党委"
    assert row[5] == "财务、审计"
    assert row[6] == "是"
    assert row[7] == "县教育局党组"


def test_findings_export_for_a_group_has_only_that_groups_rows(world, login):
    wb = workbook(_get(login, world, "group2_member", "findings"))
    text = all_text(wb)
    assert "乙组机密" in text
    assert "甲组机密" not in text
    assert len(sheet_rows(wb.active)) == 2  # the reported finding and the draft
    assert headers(wb.active)[:3] == ["问题编号", "轮次", "巡察组"]


def test_findings_export_for_the_office_has_both_groups_and_filters_by_state(world, login):
    wb = workbook(_get(login, world, "office", "findings"))
    assert len(sheet_rows(wb.active)) == 4
    wb = workbook(_get(login, world, "office", "findings", state="reported"))
    rows = sheet_rows(wb.active)
    assert len(rows) == 2
    assert all(r[10] == "已报告" for r in rows)


def test_liaison_gets_only_the_fed_back_findings_of_their_unit(world, login):
    wb = workbook(_get(login, world, "liaison", "findings"))
    rows = sheet_rows(wb.active)
    assert [r[0] for r in rows] == [world.g1.finding.number]


@pytest.mark.parametrize("persona", ["group1_member", "group2_member", "liaison", "nobody"])
def test_roles_without_clue_access_get_404_for_the_clue_export(world, login, persona):
    assert _get(login, world, persona, "clues").status_code == 404


def test_clue_export_for_a_group_leader_and_the_receiving_body(world, login):
    text = all_text(workbook(_get(login, world, "group1_leader", "clues")))
    assert "甲组机密线索" in text and "甲组机密张某（局长，正科级）" in text
    assert "乙组机密" not in text
    text = all_text(workbook(_get(login, world, "jiwei", "clues")))
    assert "甲组机密线索" in text and "乙组机密" not in text


def test_inspections_and_rounds_exports_are_scoped_to_the_group(world, login):
    wb = workbook(_get(login, world, "group1_member", "inspections"))
    rows = sheet_rows(wb.active)
    assert [r[3] for r in rows] == ["县财政局党组"]
    wb = workbook(_get(login, world, "group1_member", "rounds"))
    rows = sheet_rows(wb.active)
    assert len(rows) == 1
    # Their round counts only their own group: no hint of how many other groups there are.
    assert rows[0][7:] == [1, 1]
    rows = sheet_rows(workbook(_get(login, world, "office", "rounds")).active)
    assert rows[0][7:] == [2, 2]


def test_reminder_export_lists_only_visible_tasks_reminders(world, login):
    from rectification.choices import Rung
    from rectification.models import Reminder

    Reminder.objects.create(task=world.g1.task, rung=Rung.D20, due_date=world.today)
    Reminder.objects.create(task=world.g2.task, rung=Rung.D20, due_date=world.today)
    text = all_text(workbook(_get(login, world, "liaison", "reminders")))
    assert "甲组机密整改措施" in text and "乙组机密" not in text
    assert len(sheet_rows(workbook(_get(login, world, "office", "reminders")).active)) == 2
    assert _get(login, world, "nobody", "reminders").status_code == 404


def test_every_export_is_logged_with_who_what_filters_and_rows(world, login):
    _get(login, world, "group1_leader", "findings", state="reported", round=world.round.pk, bogus="x")
    log = ExportLog.objects.get()
    assert log.user == world.users["group1_leader"]
    assert log.kind == "findings"
    assert log.confidential is True
    assert log.filters == {"state": "reported", "round": world.round.pk}
    assert log.row_count == 1
    assert log.filename.startswith("问题底稿_") and log.filename.endswith(".xlsx")


def test_a_refused_export_writes_no_log(world, login):
    _get(login, world, "group1_member", "clues")
    assert not ExportLog.objects.exists()


def test_export_sheet_is_set_up_for_printing(world, login):
    ws = workbook(_get(login, world, "office", "units")).active
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"
    assert ws["A1"].value == "巡察对象名录"
    assert ws.column_dimensions["C"].width == 32
