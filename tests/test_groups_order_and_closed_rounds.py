"""Groups order 第一, 第二, 第三 … everywhere; a finished round's groups take no new members or units;
documents are linked where they are used."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rounds import services
from rounds.choices import InspectionKind, RoundStatus
from rounds.models import GroupMembership, Inspection, InspectionGroup, Inspector, Round, group_order_from_name


@pytest.mark.parametrize(
    ("name", "order"),
    [
        ("第一巡察组", 1),
        ("第二巡察组", 2),
        ("第三巡察组", 3),
        ("第十巡察组", 10),
        ("第十二巡察组", 12),
        ("第二十一巡察组", 21),
        ("第一百零五巡察组", 105),
        ("第12组", 12),
        ("专项巡察组", 0),
    ],
)
def test_order_from_name(name, order):
    assert group_order_from_name(name) == order


@pytest.fixture
def three_groups(world):
    """Groups formed out of order in a second round: 第三, 第十, 第二, 第一."""
    office = world.users["office"]
    round_ = Round.objects.create(plan=world.plan, number=2, year=world.today.year, status=RoundStatus.ACTIVE)
    units = [world.units.township, world.units.village, world.units.outside, world.units.education]
    groups = {}
    for name, unit in zip(["第三巡察组", "第十巡察组", "第二巡察组", "第一巡察组"], units, strict=True):
        groups[name] = services.group_create(actor=office, round=round_, name=name)
        services.inspection_assign(actor=office, group=groups[name], unit=unit, kind=InspectionKind.REGULAR)
    return round_, groups


EXPECTED = ["第一巡察组", "第二巡察组", "第三巡察组", "第十巡察组"]


def _positions(html, names):
    return [html.index(n) for n in names]


def test_groups_are_ordered_by_number_everywhere(world, client, three_groups):
    round_, groups = three_groups
    assert [g.name for g in InspectionGroup.objects.filter(round=round_)] == EXPECTED
    assert [i.group.name for i in Inspection.objects.filter(round=round_)] == EXPECTED
    client.force_login(world.users["office"])
    html = client.get(reverse("rounds:round_detail", args=[round_.pk])).content.decode()
    groups_part, inspections_part = html.split('<h2 class="h5">', 2)[1:3]
    positions = _positions(groups_part, EXPECTED)
    assert positions == sorted(positions)
    html = client.get(reverse("rounds:my_inspections") + f"?round={round_.pk}").content.decode()
    positions = _positions(html, EXPECTED)
    assert positions == sorted(positions)


def test_the_inspections_export_orders_groups_by_number(world, client, three_groups):
    import io

    from openpyxl import load_workbook

    round_, _ = three_groups
    client.force_login(world.users["office"])
    response = client.get(reverse("exports:inspections") + f"?round={round_.pk}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [c for row in sheet.iter_rows(values_only=True) for c in row if c in EXPECTED]
    assert names == EXPECTED


# --- A finished round -------------------------------------------------------------------------------


@pytest.fixture
def closed(world):
    Round.objects.filter(pk=world.round.pk).update(status=RoundStatus.CLOSED)
    world.round.refresh_from_db()
    world.g1.group.refresh_from_db()
    return world


def test_a_finished_rounds_group_page_offers_no_forms(closed, client):
    client.force_login(closed.users["office"])
    html = client.get(reverse("rounds:group_detail", args=[closed.g1.group.pk])).content.decode()
    assert 'id="round-closed"' in html
    assert 'id="member-form"' not in html and 'id="assign-form"' not in html
    assert reverse("rounds:membership_add", args=[closed.g1.group.pk]) not in html
    assert reverse("rounds:inspection_assign", args=[closed.g1.group.pk]) not in html


def test_an_open_rounds_group_page_offers_the_forms(world, client):
    client.force_login(world.users["office"])
    html = client.get(reverse("rounds:group_detail", args=[world.g1.group.pk])).content.decode()
    assert 'id="member-form"' in html and 'id="assign-form"' in html


def test_a_finished_rounds_groups_refuse_members_and_units(closed, client):
    office = closed.users["office"]
    person = Inspector.objects.create(name="新成员")
    with pytest.raises(ValidationError, match="已结束"):
        services.membership_add(actor=office, group=closed.g1.group, inspector=person)
    with pytest.raises(ValidationError, match="已结束"):
        services.inspection_assign(
            actor=office, group=closed.g1.group, unit=closed.units.township, kind=InspectionKind.REGULAR
        )
    membership = GroupMembership.objects.get(inspector__user=closed.users["group1_member"])
    with pytest.raises(ValidationError, match="已结束"):
        services.membership_remove(actor=office, membership=membership)
    # Through the pages too: nothing changes.
    client.force_login(office)
    client.post(reverse("rounds:membership_add", args=[closed.g1.group.pk]), {"inspector": person.pk, "role": "member"})
    client.post(
        reverse("rounds:inspection_assign", args=[closed.g1.group.pk]),
        {"unit": closed.units.township.pk, "kind": InspectionKind.REGULAR},
    )
    client.post(reverse("rounds:membership_remove", args=[membership.pk]))
    assert not GroupMembership.objects.filter(inspector=person).exists()
    assert GroupMembership.objects.filter(pk=membership.pk).exists()
    assert not Inspection.objects.filter(unit=closed.units.township).exists()


# --- Documents where they are used ------------------------------------------------------------------


def test_the_finding_page_links_its_sheet_for_those_who_may_download_it(world, client):
    sheet = reverse("exports:finding_sheet", args=[world.g1.finding.pk])
    page = reverse("findings:finding_detail", args=[world.g1.finding.pk])
    for persona in ("office", "leadership", "group1_leader", "group1_member"):
        client.force_login(world.users[persona])
        assert sheet in client.get(page).content.decode(), persona
        assert client.get(sheet).status_code == 200, persona
    # The unit's liaison reads the fed-back finding, but the working paper is the group's.
    client.force_login(world.users["liaison"])
    assert client.get(page).status_code == 200
    assert sheet not in client.get(page).content.decode()
    assert client.get(sheet).status_code == 404


def test_the_feedback_list_links_the_letter_and_the_notice(world, client):
    client.force_login(world.users["office"])
    html = client.get(reverse("rectification:feedback_list")).content.decode()
    for g in (world.g1, world.g2):
        letter = reverse("exports:feedback_letter", args=[g.inspection.pk])
        notice = reverse("exports:rectification_notice", args=[g.inspection.unit_id])
        assert letter in html and f"{notice}?round={g.inspection.round_id}" in html
        assert client.get(letter).status_code == 200
        assert client.get(f"{notice}?round={g.inspection.round_id}").status_code == 200
