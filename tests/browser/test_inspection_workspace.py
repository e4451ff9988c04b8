"""The inspection as one workspace, in Chromium: a 回头看 journey, and the hub's sections each linking on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rectification.choices import TaskStatus
from rectification.models import LookbackCheck, RectificationTask
from rounds import services
from rounds.choices import RoundStatus
from rounds.models import Inspection, Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lookback_journey_reopens_a_task_with_a_new_due_date(world, page, log_in, pick):
    """Round 2's 第一巡察组 looks back on 县财政局党组: the office assigns the 回头看 (a unit never inspected asks
    first), follows the link to the earlier inspection, and checks its fed-back finding as 未到位."""
    office = world.users["office"]
    round2 = Round.objects.create(plan=world.plan, number=2, year=world.today.year, status=RoundStatus.ACTIVE)
    group = services.group_create(actor=office, round=round2, name="第一巡察组")
    RectificationTask.objects.filter(pk=world.g1.task.pk).update(status=TaskStatus.CLOSED, closed_at=timezone.now())
    page.on("dialog", lambda dialog: dialog.accept())
    log_in("office")

    # A unit the plan never inspected: the page warns and asks to confirm.
    page.goto(f"/groups/{group.pk}/")
    pick("#id_unit", "城投")
    page.select_option("#id_kind", label="回头看")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=在本规划内从未被巡察过")
    assert not Inspection.objects.filter(round=round2).exists()
    page.check("#id_confirmed")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已将县城投集团党委（回头看）分配给第一巡察组")

    # The unit group 1 inspected and fed back: linked at once, no question asked.
    pick("#id_unit", "财政")
    page.select_option("#id_kind", label="回头看")
    page.click("#assign-form button[type=submit]")
    page.wait_for_selector("text=已将县财政局党组（回头看）分配给第一巡察组")
    lookback = Inspection.objects.get(round=round2, unit=world.units.finance)
    assert lookback.follows == world.g1.inspection

    page.click(f"#inspections a[href='/inspections/{lookback.pk}/']")
    page.wait_for_selector("#lookback")
    assert world.g1.finding.title in page.inner_text("#lookback")
    assert "已核查 0 / 1" in page.inner_text("#lookback")
    # The link back to the earlier inspection, and from there to its look-backs.
    page.click("#follows a")
    page.wait_for_selector(f"#lookbacks a[href='/inspections/{lookback.pk}/']")
    page.click(f"#lookbacks a[href='/inspections/{lookback.pk}/']")

    # The item check: 未到位 without a date is refused; with one it reopens the task.
    page.click("#lookback >> text=逐项核查")
    page.check("input[name=result][value=not_done]")
    page.fill("#id_note", "议事规则修订后未执行")
    page.click("#lookback-check-form button[type=submit]")
    page.wait_for_selector("text=整改任务将重新打开，请确定新的整改时限")
    due = world.today + timedelta(days=30)
    page.check("input[name=result][value=not_done]")
    page.fill("#id_new_due_date", due.isoformat())
    page.set_input_files(
        "#id_evidence", files=[{"name": "核查记录.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.click("#lookback-check-form button[type=submit]")
    page.wait_for_selector("text=已登记")
    row = page.inner_text(f"#lookback tr[data-finding='{world.g1.finding.pk}']")
    assert "未到位" in row and due.isoformat() in row and "核查记录.pdf" in row
    assert "已核查 1 / 1" in page.inner_text("#lookback")

    page.click(f"#lookback a[href='/rectification/tasks/{world.g1.task.pk}/']")
    page.wait_for_selector("#task-status")
    assert "整改中" in page.inner_text("#task-status")
    assert due.isoformat() in page.content()
    check = LookbackCheck.objects.get()
    assert check.task_id == world.g1.task.pk and check.new_due_date == due


def test_each_section_of_the_inspection_page_links_to_its_objects(world, page, log_in):
    g1 = world.g1
    log_in("office")
    hub = f"/inspections/{g1.inspection.pk}/"
    journeys = [
        ("#findings", f"/findings/{g1.finding.pk}/", g1.finding.title),
        ("#clues", f"/findings/clues/{g1.clue.pk}/", g1.clue.summary[:10]),
        ("#tasks", f"/rectification/tasks/{g1.task.pk}/", g1.task.measure[:10]),
    ]
    for section, href, text in journeys:
        page.goto(hub)
        page.click(f"{section} a[href='{href}']")
        page.wait_for_url(f"**{href}")
        assert text in page.content(), section
    # Documents download from the feedback section and the documents list.
    for section, href in [
        ("#feedback", f"/ledgers/word/feedback/{g1.inspection.pk}.docx"),
        ("#documents", f"/ledgers/word/notice/{g1.inspection.unit_id}.docx?round={g1.inspection.round_id}"),
        ("#findings", f"/ledgers/word/finding/{g1.finding.pk}.docx"),
    ]:
        page.goto(hub)
        with page.expect_download() as download:
            page.click(f"{section} a[href='{href}']")
        assert download.value.suggested_filename.endswith(".docx"), section
    # The section bar takes the reader to each part.
    page.goto(hub)
    for anchor in ("#findings", "#clues", "#feedback", "#tasks", "#documents", "#history"):
        assert page.locator(f"#sections a[href='{anchor}']").count() == 1, anchor
