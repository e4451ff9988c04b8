"""From a round's page, a leadership user reaches every inspection, its report and its review state, and the
round's 综合报告, by links only — and records the leading group's review and approves the round report."""

import pytest

from findings.choices import ReportState, RoundReportState
from findings.models import InspectionReport, RoundReport
from tests.report_support import report_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_reaches_every_report_from_the_round_page(world, page, log_in):
    report = report_at(world, ReportState.LEADERSHIP_REVIEW)  # group 1's report awaits the leading group
    RoundReport.objects.create(
        round=world.round,
        state=RoundReportState.SUBMITTED,
        summary="本轮总体情况良好",
        submitted_by=world.users["office"],
    )
    log_in("leadership")
    page.click("main >> text=巡察轮次")
    page.click(f"text={world.round}")
    round_url = page.url

    # Every inspection of the round, and what its report says, one link at a time.
    for side, state in ((world.g1, "领导小组审议"), (world.g2, "未起草")):
        page.click(f"#reports ~ table >> text={side.inspection.unit.name}")
        page.wait_for_selector("#inspection-report")
        assert page.inner_text("#inspection-report [data-testid=report-state]") == state
        page.go_back()

    # Group 1's report, from the round page's report column, and the leading group's review recorded on it.
    page.click("#reports ~ table >> a:has-text('巡察报告')")
    assert page.inner_text("[data-testid=report-state]") == "领导小组审议"
    assert "甲组机密正文" in page.inner_text("[data-testid=problems]")
    page.fill("#id_comment", "同意报书记专题会")
    page.click("button:has-text('领导小组审议通过，报书记专题会')")
    page.wait_for_selector("[data-testid=report-state]:has-text('书记专题会')")
    assert "同意报书记专题会" in page.inner_text("#steps")
    report.refresh_from_db()
    assert report.state == ReportState.SECRETARY_MEETING

    # The round's 综合报告, reached from the round page, approved by the leading group.
    page.click("[data-testid=round-link]")
    assert page.url == round_url
    page.click("text=本轮综合报告")
    assert page.inner_text("h1 ~ [data-testid=round-report-state]") == "已报领导小组"
    assert "本轮总体情况良好" in page.content()
    assert "县财政局党组" in page.content() and "县教育局党组" in page.content()
    page.click("button:has-text('审定通过')")
    page.wait_for_selector("[data-testid=approved]")
    assert "李书记" in page.inner_text("[data-testid=approved]")
    assert RoundReport.objects.get().state == RoundReportState.APPROVED
    assert InspectionReport.objects.count() == 1
