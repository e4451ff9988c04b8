"""A list sorted by a column keeps the sort through paging and export: click the header on the 整改台账 and on the
findings list, page on (the next page continues the order), then export (the file's rows are in that order)."""

import re
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from findings.choices import ReviewState
from findings.models import Finding
from rectification.models import RectificationTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 27  # two pages of 20


@pytest.fixture
def many(world):
    """Tasks due on 27 different days and findings with 27 titles, made in the reverse of their sorted order."""
    for i in reversed(range(ROWS)):
        RectificationTask.objects.create(
            finding=world.g1.finding,
            measure=f"排序措施{i:02d}",
            responsible_unit=world.units.finance,
            responsible_leader=world.users["office"],
            term_type="deadline",
            due_date=world.today + timedelta(days=i - 10),
        )
        Finding.objects.create(
            inspection=world.g1.inspection,
            seq=100 + i,
            category=world.category,
            title=f"排序问题{i:02d}",
            description="详细情况",
            source=world.g1.draft.source,
            author=world.g1.draft.author,
            review_state=ReviewState.REPORTED,
        )
    return world


def _marked(texts, pattern):
    return [m for text in texts for m in re.findall(pattern, str(text or ""))]


def _sorted_through_pages_and_export(page, tmp_path, url, header, column, pattern):
    page.goto(f"{url}?per=20")
    page.click(f"main thead a.sort-link[data-sort='{column}']:has-text('{header}')")
    page.wait_for_url(re.compile(rf"sort={column}"))
    first = _marked([page.locator("main").inner_text()], pattern)
    assert first == sorted(first) and len(first) >= 10, first

    next_link = page.locator("nav[aria-label] a.page-link", has_text="下一页")
    assert f"sort={column}" in next_link.get_attribute("href")
    next_link.click()
    page.wait_for_url(re.compile(r"page=2"))
    assert f"sort={column}" in page.url
    second = _marked([page.locator("main").inner_text()], pattern)
    assert second and second == sorted(second) and second[0] > first[-1], (first, second)
    assert sorted(first + second) == [pattern.replace(r"\d\d", f"{i:02d}") for i in range(ROWS)]

    export = page.locator("a[href*='export=xlsx']").first
    assert f"sort={column}" in export.get_attribute("href")
    with page.expect_download() as info:
        export.click()
    path = tmp_path / "list.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    exported = _marked([v for row in sheet.iter_rows(values_only=True) for v in row], pattern)
    assert exported == first + second


def test_the_ledger_sorted_by_due_date_keeps_the_sort_through_paging_and_export(many, page, log_in, tmp_path):
    log_in("office")
    _sorted_through_pages_and_export(
        page, tmp_path, reverse("rectification:task_list"), "整改时限", "due", r"排序措施\d\d"
    )


def test_the_findings_list_sorted_by_title_keeps_the_sort_through_paging_and_export(many, page, log_in, tmp_path):
    log_in("office")
    _sorted_through_pages_and_export(
        page, tmp_path, reverse("findings:finding_list"), "问题标题", "title", r"排序问题\d\d"
    )
