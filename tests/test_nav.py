"""The navigation offers exactly the lists a user can open: its links follow the rules the list views apply."""

import pytest
from django.urls import reverse

from tests.matrix import PERSONAS

pytestmark = pytest.mark.django_db

LISTS = [
    "findings:finding_list",
    "findings:clue_list",
    "rectification:task_list",
    "rounds:unit_list",
    "rounds:plan_list",
    "dashboard:index",
    "accounts:account_list",
    "findings:category_list",
    "setup",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_list_is_in_the_navigation_exactly_when_it_opens(world, login, persona):
    client = login(world.users[persona])
    nav = client.get(reverse("home")).content.decode().split("</nav>")[0]
    for name in LISTS:
        url = reverse(name)
        assert (f'href="{url}"' in nav) == (client.get(url).status_code == 200), (persona, name)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("home"),
        lambda w: reverse("rectification:task_list"),
        lambda w: reverse("rectification:task_detail", args=[w.g1.task.pk]),
        lambda w: reverse("rectification:reminder_list"),
        lambda w: reverse("rectification:inbox"),
        lambda w: reverse("rectification:feedback_list"),
        lambda w: reverse("rectification:spotcheck_list"),
        lambda w: reverse("rectification:unassigned"),
        lambda w: reverse("findings:finding_detail", args=[w.g1.finding.pk]),
        lambda w: reverse("rounds:unit_detail", args=[w.units.finance.pk]),
        lambda w: reverse("dashboard:tasks"),
    ],
)
def test_every_page_title_names_the_page_then_the_system(world, login, url):
    """Browser tabs and bookmarks: "整改台账 · 巡察工作管理系统", the system's name once, from the base layout."""
    page = login(world.users["office"]).get(url(world)).content.decode()
    title = page[page.index("<title>") + 7 : page.index("</title>")]
    assert title.endswith(" · 巡察工作管理系统") and title.count("巡察工作管理系统") == 1, title
    assert not title.startswith(" · ")
