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
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_list_is_in_the_navigation_exactly_when_it_opens(world, login, persona):
    client = login(world.users[persona])
    nav = client.get(reverse("home")).content.decode().split("</nav>")[0]
    for name in LISTS:
        url = reverse(name)
        assert (f'href="{url}"' in nav) == (client.get(url).status_code == 200), (persona, name)
