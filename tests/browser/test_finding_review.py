"""The finding review journey in the browser: draft with evidence → 副组长复核 → 组长审签 → 已报告,
then a clue recorded and transferred; group 2's leader sees none of it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from findings.models import Clue, Finding
from tests.findings_support import PDF, add_deputy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "甲组机密：专项资金挪作他用"
SUMMARY = "甲组机密：某股长涉嫌虚报冒领补贴"


def _log_out(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def test_finding_review_and_clue_transfer_journey(world, page, log_in, pick):
    deputy = add_deputy(world)
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm on 移交

    # A member drafts a finding with an evidence file and submits it.
    log_in("group1_member")
    page.click("nav >> text=问题底稿")
    page.click("text=起草问题底稿")
    pick("#id_inspection", "财政", world.g1.inspection.unit.name)
    page.select_option("#id_category", label="违反中央八项规定精神")
    page.fill("#id_title", TITLE)
    page.fill("#id_description", "2024年专项资金30万元用于弥补办公经费。")
    page.select_option("#id_source", "documents")
    page.check("#id_key_minority")
    page.set_input_files("#id_files", {"name": "谈话笔录.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("button:has-text('保存草稿')")
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    assert page.inner_text("[data-testid=review-state]") == "草稿"
    assert "谈话笔录.pdf" in page.content()
    page.fill("#id_comment", "请复核")
    page.click("button:has-text('提交复核')")
    page.wait_for_selector("[data-testid=review-state]:has-text('副组长复核')")
    detail_url = page.url
    finding = Finding.objects.get(title=TITLE)
    _log_out(page)

    # The deputy reviews.
    log_in(deputy.username)
    page.goto(detail_url)
    page.fill("#id_comment", "情况属实，证据充分")
    page.click("button:has-text('复核通过')")
    page.wait_for_selector("[data-testid=review-state]:has-text('组长审签')")
    assert "审签，列入报告" not in page.content()  # a deputy does not sign
    _log_out(page)

    # The leader sees it waiting, opens the evidence, and signs.
    log_in("group1_leader")
    page.click("nav >> text=问题底稿")
    assert "待我审核 1" in page.content()
    page.click(f"text={TITLE}")
    with page.expect_download() as download:
        page.click("text=谈话笔录.pdf")
    assert download.value.suggested_filename == "谈话笔录.pdf"
    page.fill("#id_comment", "同意列入巡察报告")
    page.click("button:has-text('审签，列入报告')")
    page.wait_for_selector("[data-testid=review-state]:has-text('已报告')")
    trail = page.inner_text("#reviews")
    assert "请复核" in trail and "情况属实，证据充分" in trail and "同意列入巡察报告" in trail

    # The leader records a clue on that finding and transfers it.
    page.click("nav >> text=问题线索")
    page.click("text=登记问题线索")
    page.select_option("#id_inspection", str(world.g1.inspection.pk))
    page.fill("#id_summary", SUMMARY)
    page.select_option("#id_finding", str(finding.pk))
    page.select_option("#id_receiving_body", "discipline")
    page.fill("#id_people-0-name", "刘某")
    page.fill("#id_people-0-post", "农业股股长")
    page.click("button:has-text('保存')")
    page.wait_for_selector("[data-testid=clue-status]:has-text('待移交')")
    page.click("text=移交线索")
    page.fill("#id_letter_number", "县巡〔2025〕12号")
    page.click("button:has-text('确认移交')")
    page.wait_for_selector("[data-testid=clue-status]:has-text('已移交')")
    due = timezone.localdate() + timedelta(days=90)
    assert page.inner_text("[data-testid=feedback-due]") == due.isoformat()
    clue = Clue.objects.get(summary=SUMMARY)
    clue_url = page.url
    _log_out(page)

    # Group 2's leader sees none of it: not in the lists, 404 by direct URL, evidence included.
    log_in("group2_leader")
    page.goto(reverse("findings:finding_list"))
    assert TITLE not in page.content() and "甲组机密" not in page.content()
    page.goto(reverse("findings:clue_list"))
    assert SUMMARY not in page.content() and "甲组机密" not in page.content()
    for url in (
        detail_url,
        clue_url,
        reverse("findings:evidence_download", args=[finding.evidence.get().pk]),
        reverse("findings:clue_transfer", args=[clue.pk]),
    ):
        response = page.goto(url)
        assert response.status == 404, url
        assert "甲组机密" not in page.content()
