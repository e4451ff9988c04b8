"""The workbench (工作台) as each role: every to-do count (and leadership's headline figures) equals what the list it
links to shows, followed by clicking it.

Built on the test world with a few more rows on every rung, not on seed_demo: seeding the demo county takes over a
minute, too slow for a browser test (tests/test_demo_reminder_sweep.py sweeps the demo data itself)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from findings.choices import ReviewState
from findings.models import Finding
from rectification.choices import TaskStatus
from rectification.models import RectificationTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = [
    "office",
    "leadership",
    "group1_leader",
    "group1_member",
    "group2_leader",
    "group2_member",
    "liaison",
    "jiwei",
    "unit_head",
    "zuzhibu",
]
TOTAL = re.compile(r"(\d+)")


@pytest.fixture
def busy(world):
    """More to do: tasks due soon, overdue and submitted on both groups' units, and findings in each review state."""
    for side, unit in ((world.g1, world.units.finance), (world.g2, world.units.education)):
        for n, (days, status) in enumerate(
            [
                (5, TaskStatus.IN_PROGRESS),
                (-3, TaskStatus.IN_PROGRESS),
                (-40, TaskStatus.IN_PROGRESS),
                (2, TaskStatus.SUBMITTED),
            ]
        ):
            RectificationTask.objects.create(
                finding=side.finding,
                measure=f"工作台措施{n}",
                responsible_unit=unit,
                responsible_leader=world.users["office"],
                term_type="deadline",
                due_date=world.today + timedelta(days=days),
                status=status,
            )
        Finding.objects.filter(pk=side.draft.pk).update(review_state=ReviewState.DEPUTY_REVIEW)
        for seq in (3, 4):
            Finding.objects.create(
                inspection=side.inspection,
                seq=seq,
                category=world.category,
                title=f"{side.marker}草稿{seq}",
                description="待核实",
                source=side.draft.source,
                author=side.draft.author,
                review_state=ReviewState.DRAFT if seq == 3 else ReviewState.LEADER_SIGN,
            )
    return world


def _shown(page, url: str) -> int:
    """What the list at `url` shows: its total (共 N), or for the documents table the cells of that timeliness."""
    page.goto(url)
    if urlsplit(url).path == reverse("rectification:document_list"):
        (timeliness,) = parse_qs(urlsplit(url).query)["timeliness"]
        return page.locator(f"#document-table td[data-timeliness='{timeliness}']").count()
    return int(TOTAL.search(page.locator("main h1 small").first.inner_text()).group(1))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_workbench_count_is_what_its_list_shows(busy, page, log_in, persona):
    log_in(persona)
    page.goto("/")
    todos = [
        (a.get_attribute("data-todo"), int(a.get_attribute("data-count")), a.get_attribute("href"))
        for a in page.locator("#todos a[data-todo]").all()
    ]
    headlines = [
        (a.inner_text(), a.locator("[data-headline]").inner_text(), a.get_attribute("href"))
        for a in page.locator("#headlines a.card").all()
    ]
    if persona == "leadership":
        assert len(headlines) == 4
    else:
        assert todos, f"{persona} has nothing on the workbench"
    mismatches = []
    for key, count, url in todos:
        shown = _shown(page, url)
        if shown != count:
            mismatches.append((key, count, url, shown))
    for title, value, url in headlines:
        if value.isdigit() and _shown(page, url) != int(value):
            mismatches.append((title, value, url, _shown(page, url)))
    assert not mismatches, mismatches
    # Something waits for everyone here (the world has rows on every rung), and clicking a line opens its list.
    if todos:
        assert any(count for _key, count, _url in todos), todos
        key, _count, url = next(t for t in todos if t[1])
        page.goto("/")
        page.click(f"#todos a[data-todo='{key}']")
        page.wait_for_load_state()
        assert page.url.endswith(url)
