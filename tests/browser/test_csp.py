"""The Content-Security-Policy allows only the site's own scripts and styles, and the site still works under it:
the dashboard's charts, the searchable pickers, htmx, the export buttons and the language switcher, with no
violation reported on the main pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from rounds.choices import UnitKind
from rounds.models import PartyUnit
from tests.dashboard.data import build_rich

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded in the page before any of its own scripts (Playwright's init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}`));
"""


@pytest.fixture
def violations(page):
    """Every CSP violation the pages report, to the console or as an event; `.check()` reads the current page."""
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(RECORD_VIOLATIONS)

    class Seen(list):
        def check(self):
            self.extend(page.evaluate("window.cspViolations || []"))
            self.extend(console)
            console.clear()
            return self

    return Seen()


def _visit(page, violations, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    violations.check()
    return response


def test_the_main_pages_report_no_violation(world, page, log_in, violations):
    build_rich(world)
    log_in("office")
    urls = [
        reverse("home"),
        reverse("dashboard:index"),
        reverse("dashboard:tasks") + "?overdue=1",
        reverse("findings:finding_list"),
        reverse("findings:finding_detail", args=[world.g1.finding.pk]),
        reverse("findings:clue_list"),
        reverse("findings:clue_detail", args=[world.g1.clue.pk]),
        reverse("rectification:task_list"),
        reverse("rectification:task_detail", args=[world.g1.task.pk]),
        reverse("rounds:unit_list"),
        reverse("rounds:unit_update", args=[world.units.village.pk]),
        reverse("rounds:plan_detail", args=[world.plan.pk]),
        reverse("rounds:group_detail", args=[world.g1.group.pk]),
        reverse("rounds:inspection_detail", args=[world.g1.inspection.pk]),
        reverse("exports:index"),
        reverse("exports:export_log"),
        "/no-such-page/",
    ]
    for url in urls:
        _visit(page, violations, url)
    assert violations == [], violations


def test_a_violation_would_be_seen(world, page, log_in, violations):
    # Without this, a listener that heard nothing would make every test here pass.
    log_in("office")
    _visit(page, violations, reverse("home"))
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in violations.check())


def test_the_dashboard_draws_its_charts_and_bars(world, page, log_in, violations):
    build_rich(world)
    log_in("leadership")
    _visit(page, violations, reverse("dashboard:index"))
    page.wait_for_selector("#chart-kind canvas")
    bar = page.locator(".progress-bar[data-progress]").first
    expected = float(bar.get_attribute("data-progress"))
    assert bar.evaluate("b => b.style.width") == f"{expected:g}%"
    assert violations.check() == []


def test_a_picker_searches_under_the_policy(world, page, log_in, violations):
    PartyUnit.objects.create(name="县审计局党组", kind=UnitKind.DEPARTMENT)
    log_in("office")
    _visit(page, violations, reverse("rectification:task_list"))
    page.fill("#id_unit-ts-control", "财政")
    suggestion = page.locator("#id_unit-ts-dropdown .option")
    suggestion.first.wait_for()
    assert suggestion.all_inner_texts() == ["县财政局党组"]
    suggestion.first.click()
    page.click("button:has-text('查询')")
    page.wait_for_url(re.compile(rf"[?&]unit={world.units.finance.pk}(&|$)"))
    assert violations.check() == []


def test_htmx_saves_a_form_in_place_under_the_policy(world, page, log_in, violations):
    log_in("group1_leader")
    _visit(page, violations, reverse("rounds:my_inspections"))
    field = page.locator(f"#c{world.g1.inspection.pk}-interviews")
    field.fill("7")
    field.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".counters-form [role=status]")).to_be_visible()
    assert page.url.endswith(reverse("rounds:my_inspections"))  # swapped in place, no page load
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.interviews == 7
    assert violations.check() == []


def test_an_export_button_downloads_and_comes_back_under_the_policy(world, page, log_in, violations):
    log_in("office")
    _visit(page, violations, reverse("rectification:task_list"))
    button = page.locator("a[data-download-busy]").first
    with page.expect_download() as info:
        button.click(no_wait_after=True)
    assert info.value.suggested_filename.endswith(".xlsx")
    expect(button).not_to_have_attribute("aria-disabled", "true")
    assert violations.check() == []


def test_the_language_switcher_still_switches(world, page, log_in, violations):
    log_in("office")
    _visit(page, violations, reverse("home"))
    with page.expect_navigation():
        page.select_option("#language-switcher", "en")
    assert "Log out" in page.inner_text("nav.navbar")
    assert violations.check() == []
