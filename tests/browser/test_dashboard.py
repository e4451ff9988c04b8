"""The leadership's journey: the dashboard with its charts, a figure, and the rows behind it."""

import pytest

from tests.dashboard.data import build_rich

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_reads_the_dashboard_and_drills_into_overdue_tasks(world, page, log_in):
    build_rich(world)
    log_in("leadership")
    page.click("text=覆盖率与整改看板")
    page.wait_for_url("**/dashboard/")
    # Charts are drawn locally by ECharts (no CDN) from the page's own figures.
    page.wait_for_selector("#chart-kind canvas")
    assert page.evaluate("typeof window.echarts") == "object"
    assert "目标 50%，已完成" in page.content()
    overdue = page.locator("#rectification .stat-figure a")
    count = overdue.inner_text().strip()
    overdue.click()
    page.wait_for_url("**/dashboard/tasks/?overdue=1")
    assert f"共 {count} 条" in page.inner_text("[data-testid=row-count]")
    assert "已逾期：是" in page.inner_text("[data-testid=applied-filters]")


def test_printing_shows_the_tables_not_the_charts(world, page, log_in):
    log_in("leadership")
    page.goto("/dashboard/")
    page.emulate_media(media="print")
    assert page.locator("#chart-kind").is_hidden()
    assert page.locator("#coverage table").first.is_visible()
    assert page.locator("nav.navbar").is_hidden()


def test_group_leader_is_told_there_is_no_such_page(world, page, log_in):
    log_in("group1_leader")
    response = page.goto("/dashboard/")
    assert response.status == 404


def test_the_menu_fits_a_1366_pixel_screen_in_english(world, page, log_in):
    # A long menu wraps to a second row: the language switch and 退出 stay on screen.
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in("office")
    page.goto("/dashboard/")
    with page.expect_navigation():
        page.select_option("#language-switcher", "en")
    assert "Log out" in page.inner_text("nav.navbar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    logout = page.get_by_role("button", name="Log out").bounding_box()
    assert logout["x"] + logout["width"] <= 1366


def test_a_chart_with_nothing_to_draw_says_so(world, page, log_in):
    from rectification.models import RectificationTask

    RectificationTask.objects.all().delete()
    log_in("leadership")
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-kind canvas")
    assert page.inner_text("#chart-rect-rounds") == "暂无数据"
