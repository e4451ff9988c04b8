"""The rectification journey in Chromium: feedback → tasks → liaison's progress → office closes or returns."""

import pytest

from findings.choices import ReviewState, Source
from findings.models import Finding
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, Stage
from rounds.models import Inspection

# No serialized_rollback: world() restores the reference rows a flush removes (and a rollback of serialized
# rows clashes with content types a flush recreated when the browser tests run alone).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def special_inspection(world):
    """A 专项巡察 of the liaison's unit, at stage 反馈, with two reported findings."""
    inspection = Inspection.objects.create(
        round=world.round,
        group=world.g1.group,
        unit=world.units.finance,
        kind=InspectionKind.SPECIAL,
        stage=Stage.FEEDBACK,
    )
    for seq, title in [(1, "专项问题一：采购未公开招标"), (2, "专项问题二：资产未入账")]:
        Finding.objects.create(
            inspection=inspection,
            seq=seq,
            category=world.category,
            title=title,
            description="详细情况",
            source=Source.DOCUMENTS,
            review_state=ReviewState.REPORTED,
            author=world.users["group1_member"],
        )
    return inspection


def _logout(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def test_feedback_tasks_progress_and_verification(world, special_inspection, page, log_in):
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts

    # The office records the feedback and breaks each problem into a task.
    log_in("office")
    page.goto("/rectification/feedback/")
    page.click(f"a[href='/rectification/feedback/inspections/{special_inspection.pk}/']")
    page.click("text=登记反馈并移交问题")
    page.wait_for_url("**/rectification/unassigned/")
    assert "已登记反馈并移交 2 个问题" in page.content()
    for measure in ["规范采购程序", "清查资产入账"]:
        page.goto("/rectification/unassigned/")
        page.click("text=分解任务")
        page.fill("#id_measure", measure)
        page.click("button:text-is('保存')")
        page.wait_for_selector("#task-status")
    assert "所有已反馈的问题都已分解整改任务" in page.goto("/rectification/unassigned/").text()
    _logout(page)
    first, second = RectificationTask.objects.filter(finding__inspection=special_inspection).order_by("pk")

    # The liaison reports progress with evidence and asks for each to be closed.
    log_in("liaison")
    page.goto("/rectification/")
    page.click("text=规范采购程序")
    page.fill("#id_text", "已修订采购制度")
    page.fill("#id_progress", "60")
    page.set_input_files("#id_files", {"name": "采购制度.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"})
    page.click("button[name=report]")
    page.wait_for_selector("text=整改进展已报送")
    assert "采购制度.pdf" in page.content() and "整改中" in page.inner_text("#task-status")
    page.fill("#id_text", "制度已执行，整改完成")
    page.fill("#id_progress", "100")
    page.click("button[name=submit_for_review]")
    page.wait_for_selector("text=已申请销号")
    assert page.inner_text("#task-status") == "已完成待审核"
    page.goto(f"/rectification/tasks/{second.pk}/")
    page.fill("#id_text", "资产已入账")
    page.fill("#id_progress", "100")
    page.set_input_files(
        "#id_files", {"name": "入账凭证.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0jpeg"}
    )
    page.click("button[name=submit_for_review]")
    page.wait_for_selector("text=已申请销号")
    _logout(page)

    # The office closes the first and returns the second with a reason.
    log_in("office")
    page.goto(f"/rectification/tasks/{first.pk}/")
    page.click("text=审核通过，销号")
    page.wait_for_selector("text=任务状态已变更为“已销号”")
    trail = page.inner_text("#status-trail")
    for step in ["未开始 → 整改中", "整改中 → 已完成待审核", "已完成待审核 → 已销号"]:
        assert step in trail, trail
    page.goto(f"/rectification/tasks/{second.pk}/")
    page.fill("textarea[name=comment]", "入账凭证不清晰，请补充")
    page.click("text=退回重新整改")
    page.wait_for_selector("text=任务状态已变更为“整改中”")
    trail = page.inner_text("#status-trail")
    assert "已完成待审核 → 整改中" in trail and "入账凭证不清晰，请补充" in trail
    assert "变更记录" in page.content()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("closed", "in_progress")
