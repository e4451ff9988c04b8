"""The unit's documents in Chromium: the liaison submits a 整改方案 that the office sends back, resubmits it,
and submits a 整改报告 that the office accepts."""

import pytest

from rectification.models import DocumentEvent, UnitDocument

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _logout(page):
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")


def _submit(page, doc, text, filename):
    page.goto(f"/rectification/documents/{doc.pk}/")
    page.fill("#id_text", text)
    page.set_input_files("#id_files", files=[{"name": filename, "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("text=等待巡察办审核")


def test_plan_sent_back_and_resubmitted_report_accepted(world, page, log_in):
    plan = UnitDocument.objects.get(feedback=world.g1.feedback, kind="plan")
    report = UnitDocument.objects.get(feedback=world.g1.feedback, kind="report")

    # The liaison finds the feedback, its problem list and deadlines, and submits the 整改方案.
    log_in("liaison")
    page.goto("/rectification/documents/")
    page.click(f"a[href='/rectification/feedback/{world.g1.feedback.pk}/']")
    assert world.g1.finding.title in page.inner_text("#feedback-findings")
    assert f"{world.g1.feedback.plan_due:%Y-%m-%d}" in page.inner_text("#feedback-dates")
    _submit(page, plan, "整改方案初稿", "整改方案.pdf")
    assert page.inner_text("#document-status") == "已报送待审核"
    _logout(page)

    # The office sends it back with a reason.
    log_in("office")
    page.goto(f"/rectification/documents/{plan.pk}/")
    page.fill("textarea[name=comment]", "整改措施不具体，请细化时间表")
    page.click("button:text-is('退回修改')")
    page.wait_for_selector("text=文书状态已变更为“已退回”")
    _logout(page)

    # The liaison sees why, resubmits; then submits the 整改报告.
    log_in("liaison")
    page.goto(f"/rectification/documents/{plan.pk}/")
    assert "整改措施不具体" in page.inner_text("#status-trail")
    assert page.inner_text("#document-status") == "已退回"
    _submit(page, plan, "整改方案修改稿", "整改方案（修改稿）.pdf")
    _submit(page, report, "整改报告", "整改报告.pdf")
    _logout(page)

    # The office accepts the report; the list shows both documents in on time.
    log_in("office")
    page.goto(f"/rectification/documents/{report.pk}/")
    assert "整改报告.pdf" in page.inner_text("#submissions")
    page.click("button:text-is('审核通过')")
    page.wait_for_selector("text=文书状态已变更为“已通过”")
    assert page.inner_text("#document-status") == "已通过"
    page.goto("/rectification/documents/")
    row = page.locator(f"#document-table tr:has-text('{world.units.finance.name}')")
    cell = row.locator("td[data-kind='report']")
    assert "按时报送" in cell.inner_text() and "已通过" in cell.inner_text()

    plan.refresh_from_db()
    report.refresh_from_db()
    assert (plan.status, report.status) == ("submitted", "accepted")
    assert list(DocumentEvent.objects.filter(document=plan).values_list("to_status", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
    ]
