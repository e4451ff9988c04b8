"""导出Excel shows that the file is being made: disabled, a spinner and 正在生成… until the download arrives."""

import threading
import time

import openpyxl
import pytest
from playwright.sync_api import expect

from xuncha.exports import engine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright waits for a pending navigation before it reads the page, and an export link is one until the
# file comes; so the page itself writes down how its button changes (and the clicks it gets) for the test
# to read afterwards.
RECORD = """button => {
  const state = () => ({
    t: Date.now(),
    text: button.textContent.trim(),
    disabled: button.classList.contains("disabled") || button.disabled === true,
    ariaDisabled: button.getAttribute("aria-disabled"),
    spinner: button.querySelector(".spinner-border") !== null,
  });
  window.buttonStates = [state()];
  new MutationObserver(() => window.buttonStates.push(state())).observe(
    button, {attributes: true, childList: true, subtree: true, characterData: true});
  window.buttonClicks = [];
  document.addEventListener("click", (event) => {
    if (event.target.closest("a, button") === button) window.buttonClicks.push(Date.now());
  });
}"""


@pytest.fixture
def held_exports(monkeypatch):
    """Every export waits before writing its rows until the test releases it: the seven seconds of a
    20,000-row ledger, for as long as the test needs. The rest (the file, the log, the cookie) is the real
    export code, run by the live server in this process. Yields the wall-clock times (ms) exports started."""
    release = threading.Event()
    started = []
    write = engine.write_workbook

    def held(*args, **kwargs):
        started.append(time.time() * 1000)
        release.wait(timeout=30)
        return write(*args, **kwargs)

    monkeypatch.setattr(engine, "write_workbook", held)
    yield started, release
    release.set()


def test_export_button_shows_progress_until_the_ledger_arrives(world, page, log_in, held_exports, tmp_path):
    started, release = held_exports
    log_in("office")
    page.goto("/rectification/")
    button = page.locator("a[data-download-busy]").first
    expect(button).to_have_text("导出Excel")
    button.evaluate(RECORD)

    with page.expect_download() as info:
        button.click(no_wait_after=True)  # the navigation is the download, which the test holds
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")  # on the focused button, again, while the file is being made
        page.wait_for_timeout(700)
        released_at = time.time() * 1000
        release.set()
    download = info.value

    expect(button).to_have_text("导出Excel")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    states = page.evaluate("window.buttonStates")
    initial, busy, restored = states  # nothing else happened to the button: the second press changed nothing
    assert initial == {**restored, "t": initial["t"]}
    assert (busy["text"], busy["disabled"], busy["ariaDisabled"], busy["spinner"]) == ("正在生成…", True, "true", True)
    assert (restored["text"], restored["disabled"], restored["ariaDisabled"], restored["spinner"]) == (
        "导出Excel",
        False,
        None,
        False,
    )
    # Busy from the click until the server had written the file, not merely for a moment.
    assert len(started) == 1, "the second press started a second export"
    assert busy["t"] <= started[0] and restored["t"] >= released_at
    _, second = page.evaluate("window.buttonClicks")  # the second press did reach the button
    assert busy["t"] <= second <= restored["t"]
    # The page removed the server's signal.
    assert [c["name"] for c in page.context.cookies() if c["name"].startswith("download-")] == []

    path = tmp_path / "ledger.xlsx"
    download.save_as(path)
    ws = openpyxl.load_workbook(path).active
    assert {ws.cell(r, 5).value for r in range(3, ws.max_row + 1)} == {world.g1.task.measure, world.g2.task.measure}

    # The button works again.
    with page.expect_download():
        button.click(no_wait_after=True)
    expect(button).to_have_text("导出Excel")
    assert len(started) == 2


def test_the_export_centres_ledger_form_shows_progress_too(world, page, log_in, held_exports):
    started, release = held_exports
    log_in("office")
    page.goto("/ledgers/")
    button = page.locator("#ledger-download")
    button.evaluate(RECORD)
    with page.expect_download() as info:
        button.click(no_wait_after=True)
        page.wait_for_timeout(500)
        release.set()
    assert info.value.suggested_filename.startswith("整改台账_")
    expect(button).to_be_enabled()
    expect(button).to_have_text("导出整改台账")
    initial, busy, restored = page.evaluate("window.buttonStates")
    assert (busy["text"], busy["disabled"], busy["spinner"]) == ("正在生成…", True, True)
    assert initial == {**restored, "t": initial["t"]}
    assert len(started) == 1


def test_one_export_at_a_time_the_others_wait(world, page, log_in, held_exports):
    """A second download would cancel the first (each is the page's navigation until its file answers): while
    导出Excel is being made, 按轮次分表导出 is disabled and a click on it starts nothing."""
    started, release = held_exports
    log_in("office")
    page.goto("/rectification/")
    first = page.locator("a[data-download-busy]", has_text="导出Excel")
    other = page.locator("a[data-download-busy]", has_text="按轮次分表导出")
    other.evaluate(
        """other => {
          window.otherStates = [];
          new MutationObserver(() => window.otherStates.push(other.getAttribute("aria-disabled"))).observe(
            other, {attributes: true});
        }"""
    )
    with page.expect_download() as info:
        first.click(no_wait_after=True)
        page.wait_for_timeout(300)
        page.keyboard.press("Tab")  # from 导出Excel to the next link, 按轮次分表导出 (locators wait for the download)
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        release.set()
    assert "分表" not in info.value.suggested_filename and info.value.suggested_filename.startswith("整改台账_")
    assert len(started) == 1, "the second export was started"
    assert "true" in page.evaluate("window.otherStates")  # it was disabled meanwhile…
    expect(other).not_to_have_attribute("aria-disabled", "true")  # …and is not any more
    expect(first).to_have_text("导出Excel")
