import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_downloads_the_ledger_one_sheet_per_round_and_opens_it(world, page, log_in, tmp_path):
    log_in("office")
    page.click("text=台账导出")
    page.wait_for_url("**/ledgers/")
    page.check("#l-sheets")
    with page.expect_download() as info:
        page.click("#ledger-download")
    download = info.value
    assert download.suggested_filename.startswith("整改台账_") and download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "ledger.xlsx"
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [str(world.round)]
    ws = wb.active
    assert ws.cell(2, 1).value == "序号" and ws.cell(2, 15).value == "销号日期"
    measures = {ws.cell(r, 5).value for r in range(3, ws.max_row + 1)}
    assert measures == {world.g1.task.measure, world.g2.task.measure}
    # The download is in the office's log.
    page.goto("/ledgers/log/")
    assert "整改台账" in page.content() and download.suggested_filename in page.content()


def test_a_group_member_downloads_only_their_groups_ledger(world, page, log_in, tmp_path):
    log_in("group2_member")
    page.goto("/ledgers/")
    with page.expect_download() as info:
        page.click("#ledger-download")
    path = tmp_path / "ledger.xlsx"
    info.value.save_as(path)
    text = "".join(str(v) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for v in row if v)
    assert "乙组机密" in text and "甲组机密" not in text
