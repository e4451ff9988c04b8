"""The dashboard's 巡察信访 panel: by channel and by handling, each figure equal to its drill-down's rows."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse

from findings import petition_services
from findings.choices import PetitionChannel, PetitionStatus
from findings.models import Petition
from tests.petition_support import petition_of
from xuncha.dashboard import figures
from xuncha.dashboard.selectors import Scope

from .test_exactness import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def petitions(world):
    made = [
        petition_of(world, 1),
        petition_of(world, 1, channel=PetitionChannel.PHONE),
        petition_of(world, 2, channel=PetitionChannel.QR),
        petition_services.petition_create(
            actor=world.users["office"], received_date=world.today, channel=PetitionChannel.EMAIL, summary="全县来信"
        ),
    ]
    petition_services.petition_transition(
        actor=world.users["group1_leader"], petition=made[0], to_status="assigned", on=world.today, route="group"
    )
    petition_services.petition_transition(
        actor=world.users["group1_leader"], petition=made[0], to_status="closed", on=world.today, reply="已核实"
    )
    # A county-wide petition from before the plan's term is not the plan's.
    old = petition_services.petition_create(
        actor=world.users["office"],
        received_date=world.today.replace(year=world.plan.start_year - 1) - timedelta(days=1),
        channel=PetitionChannel.LETTER,
        summary="上一届的来信",
    )
    return made, old


def test_counts_by_channel_and_status_are_the_registers(world, petitions):
    made, old = petitions
    data = figures.build(Scope(plan=world.plan, today=world.today))["petitions"]
    truth = Counter((p.channel, p.status) for p in Petition.objects.exclude(pk=old.pk))
    assert data["total"]["n"] == 4
    for row in data["by_channel"]:
        assert row["n"]["n"] == sum(n for (c, _s), n in truth.items() if c == row["channel"])
        for cell in row["statuses"]:
            assert cell["n"]["n"] == truth[(row["channel"], cell["status"])]
    closed = next(s for s in data["by_status"] if s["status"] == PetitionStatus.CLOSED)
    assert closed["n"]["n"] == 1


def test_every_petition_figure_equals_its_drill_down(world, petitions, login):
    client = login(world.users["leadership"])
    data = figures.build(Scope(plan=world.plan, today=world.today))["petitions"]
    figs = list(walk(data))
    assert len(figs) > 20
    for path, fig in figs:
        response = client.get(fig["url"])
        assert response.status_code == 200, path
        assert response.context["page_obj"].paginator.count == fig["n"], (path, fig["url"])


def test_the_panel_is_on_the_page_and_the_drill_down_hides_the_petitioner(world, petitions, login):
    client = login(world.users["office"])
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'id="petitions"' in page
    listing = client.get(reverse("dashboard:petitions") + "?channel=letter").content.decode()
    assert "甲组机密举报人" not in listing


def test_group_personas_have_no_petition_drill_down(world, petitions, login):
    for persona in ("group1_leader", "group1_member", "group2_leader"):
        assert login(world.users[persona]).get(reverse("dashboard:petitions")).status_code == 404


def test_drill_down_queries_do_not_grow_with_rows(world, petitions, login, django_assert_max_num_queries):
    client = login(world.users["office"])
    client.get(reverse("dashboard:petitions"))
    for _ in range(10):
        petition_of(world, 2)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("dashboard:petitions"))
    assert len(response.context["page_obj"].object_list) == 14  # the plan's, not the older county-wide one
