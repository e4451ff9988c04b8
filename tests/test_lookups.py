"""The searchable selects' lookups (xuncha/lookups.py): each answers from its form's own field, behind its page's door.

Every lookup finds by name and answers at most 20 rows; a user with no business there gets 404 and an anonymous
visitor the login page. The group-scoped ones never show another group's inspections or units."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.models import Profile
from findings.models import Clue
from rectification.models import RectificationTask
from rounds.choices import InspectionKind, UnitKind
from rounds.models import Inspection, Inspector, PartyUnit, Round
from xuncha.lookups import LIMIT

pytestmark = pytest.mark.django_db
MANY = LIMIT + 5


# --- More rows than one answer holds, each named so that one query finds them all ------------------


def _units(w, kind=UnitKind.DEPARTMENT):
    return [PartyUnit.objects.create(name=f"批量单位{i:02d}", kind=kind) for i in range(MANY)]


def _townships(w):
    _units(w, kind=UnitKind.TOWNSHIP)


def _rounds(w):
    for i in range(MANY):
        Round.objects.create(plan=w.plan, number=i + 2, year=w.today.year, theme=f"批量单位{i:02d}专项")


def _users(w):
    for i in range(MANY):
        User.objects.create_user(f"pl{i:02d}", first_name=f"批量单位{i:02d}")


def _finance_staff(w):
    for i in range(MANY):
        user = User.objects.create_user(f"fs{i:02d}", first_name=f"批量单位{i:02d}")
        Profile.objects.create(user=user, unit=w.units.finance, post="科员")


def _inspectors(w):
    for i in range(MANY):
        Inspector.objects.create(name=f"批量单位{i:02d}")


def _inspections(w):
    return [
        Inspection.objects.create(round=w.round, group=w.g1.group, unit=unit, kind=InspectionKind.REGULAR)
        for unit in _units(w)
    ]


def _clued_inspections(w):
    for inspection in _inspections(w):
        Clue.objects.create(
            inspection=inspection, summary="线索", receiving_body="discipline", created_by=w.users["group1_leader"]
        )


@dataclass(frozen=True)
class Lookup:
    name: str
    persona: str  # may use it
    outsider: str  # has no business there: 404
    q: str  # finds a row whose label contains `label`
    label: str
    many: callable  # world -> makes MANY rows that "批量单位" finds
    args: callable = lambda w: []
    bulk_persona: str = ""  # who sees those rows, where `persona` would not
    params: callable = lambda w: {}  # what the page's script sends besides ?q=


def _inspector_of(persona):
    return lambda w: [Inspector.objects.get(user=w.users[persona]).pk]


LOOKUPS = [
    Lookup(
        "rectification:lookup_ledger_units",
        "group1_member",
        "nobody",
        "财政",
        "县财政局党组",
        _units,
        bulk_persona="office",
    ),
    Lookup("rectification:lookup_ledger_rounds", "liaison", "jiwei", "", "第1轮巡察", _rounds, bulk_persona="office"),
    Lookup("rectification:lookup_responsible_units", "office", "leadership", "财政", "县财政局党组", _units),
    Lookup(
        "rectification:lookup_people",
        "office",
        "group1_leader",
        "吴",
        "吴联络 · 县财政局党组 · 联络员",
        _finance_staff,
        params=lambda w: {"unit": w.units.finance.pk},
    ),
    Lookup("rectification:lookup_spotcheck_rounds", "office", "leadership", "", "第1轮巡察", _rounds),
    Lookup("findings:lookup_finding_inspections", "group1_member", "jiwei", "财政", "第一巡察组", _inspections),
    Lookup(
        "findings:lookup_clue_inspections", "group1_leader", "group1_member", "财政", "县财政局党组", _clued_inspections
    ),
    Lookup("findings:lookup_drafting_inspections", "group1_member", "office", "财政", "县财政局党组", _inspections),
    Lookup("rounds:lookup_townships", "leadership", "group1_leader", "城关", "城关镇党委", _townships),
    Lookup("rounds:lookup_new_unit_parents", "office", "leadership", "城关", "城关镇党委", _townships),
    Lookup(
        "rounds:lookup_unit_parents",
        "office",
        "leadership",
        "城关",
        "城关镇党委",
        _townships,
        lambda w: [w.units.village.pk],
    ),
    Lookup("rounds:lookup_home_units", "office", "leadership", "财政", "县财政局党组", _units),
    Lookup("rounds:lookup_new_inspector_users", "office", "leadership", "liai", "liaison", _users),
    Lookup(
        "rounds:lookup_inspector_users",
        "office",
        "leadership",
        "group1",
        "group1_leader",
        _users,
        _inspector_of("group1_leader"),
    ),
    Lookup("rounds:lookup_avoidance_units", "office", "leadership", "城投", "县城投集团党委", _units),
    Lookup(
        "rounds:lookup_scope_units", "office", "leadership", "城投", "县城投集团党委", _units, lambda w: [w.plan.pk]
    ),
    Lookup(
        "rounds:lookup_group_inspectors",
        "office",
        "group1_leader",
        "组长",
        "2组组长",
        _inspectors,
        lambda w: [w.g1.group.pk],
    ),
    Lookup(
        "rounds:lookup_group_units",
        "office",
        "group1_leader",
        "城投",
        "县城投集团党委",
        _units,
        lambda w: [w.g1.group.pk],
    ),
]
IDS = [case.name for case in LOOKUPS]


def _ask(client, world, case, q=""):
    return client.get(reverse(case.name, args=case.args(world)), {"q": q, **case.params(world)})


def _texts(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    rows = response.json()
    assert all(isinstance(row["value"], int) and row["text"] for row in rows)
    return [row["text"] for row in rows]


@pytest.mark.parametrize("case", LOOKUPS, ids=IDS)
def test_lookup_finds_by_name(case, world, login):
    texts = _texts(_ask(login(world.users[case.persona]), world, case, case.q))
    assert any(case.label in text for text in texts), texts


@pytest.mark.parametrize("case", LOOKUPS, ids=IDS)
def test_lookup_answers_at_most_twenty(case, world, login):
    case.many(world)
    client = login(world.users[case.bulk_persona or case.persona])
    assert len(_texts(_ask(client, world, case, "批量单位"))) == LIMIT
    assert len(_texts(_ask(client, world, case, "批量单位07"))) == 1


@pytest.mark.parametrize("case", LOOKUPS, ids=IDS)
def test_lookup_is_404_for_a_user_with_no_business_there(case, world, login):
    assert _ask(login(world.users[case.outsider]), world, case, case.q).status_code == 404


@pytest.mark.parametrize("case", LOOKUPS, ids=IDS)
def test_lookup_sends_an_anonymous_visitor_to_log_in(case, world, client):
    response = _ask(client, world, case, case.q)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- A group sees only its own work -------------------------------------------------------------------------


def _values(client, name, q=""):
    response = client.get(reverse(name), {"q": q})
    assert response.status_code == 200
    return [row["value"] for row in response.json()]


@pytest.mark.parametrize(
    "name, persona",
    [
        ("findings:lookup_finding_inspections", "group1_member"),
        ("findings:lookup_finding_inspections", "group1_leader"),
        ("findings:lookup_drafting_inspections", "group1_member"),
        ("findings:lookup_clue_inspections", "group1_leader"),
    ],
)
def test_a_group_finds_only_its_own_inspections(name, persona, world, login):
    client = login(world.users[persona])
    assert _values(client, name) == [world.g1.inspection.pk]
    assert _values(client, name, "教育") == []  # group 2 inspects 县教育局党组
    assert _values(client, name, "第二巡察组") == []


def test_the_other_group_finds_only_its_own_inspections_too(world, login):
    client = login(world.users["group2_member"])
    assert _values(client, "findings:lookup_finding_inspections") == [world.g2.inspection.pk]
    assert _values(client, "findings:lookup_finding_inspections", "财政") == []


def test_overseers_find_every_inspection(world, login):
    client = login(world.users["leadership"])
    assert set(_values(client, "findings:lookup_finding_inspections")) == {
        world.g1.inspection.pk,
        world.g2.inspection.pk,
    }


@pytest.mark.parametrize("persona", ["group1_member", "group1_leader", "liaison"])
def test_the_ledger_unit_lookup_offers_only_units_of_the_users_own_tasks(persona, world, login):
    client = login(world.users[persona])
    assert _values(client, "rectification:lookup_ledger_units") == [world.units.finance.pk]
    assert _values(client, "rectification:lookup_ledger_units", "教育") == []


@pytest.mark.parametrize("persona", ["group1_member", "liaison"])
def test_the_ledger_round_lookup_offers_only_rounds_of_the_users_own_tasks(persona, world, login):
    Round.objects.create(plan=world.plan, number=2, year=world.today.year, theme="无整改任务的一轮")
    group2s = Round.objects.create(plan=world.plan, number=3, year=world.today.year, theme="乙组任务的一轮")
    RectificationTask.objects.filter(pk=world.g2.task.pk).update(round=group2s)
    assert _values(login(world.users[persona]), "rectification:lookup_ledger_rounds") == [world.round.pk]
    assert len(_values(login(world.users["office"]), "rectification:lookup_ledger_rounds")) == 3


def test_a_liaison_finds_the_inspection_of_the_findings_fed_back_to_their_unit(world, login):
    client = login(world.users["liaison"])  # 县财政局党组's liaison; group 1 inspected that unit and fed back
    assert _values(client, "findings:lookup_finding_inspections") == [world.g1.inspection.pk]
    response = client.get(reverse("findings:finding_list"), {"inspection": world.g1.inspection.pk})
    assert response.context["form"].is_valid() and world.g1.finding.title in response.content.decode()
    assert _values(client, "findings:lookup_finding_inspections", "教育") == []


def test_the_clue_lookup_of_a_receiving_body_offers_only_inspections_of_clues_sent_to_it(world, login):
    client = login(world.users["jiwei"])  # group 1's clue went to the discipline commission, group 2's did not
    assert _values(client, "findings:lookup_clue_inspections") == [world.g1.inspection.pk]


# --- Only what the form accepts ---------------------------------------------------------------------------


def test_lookups_leave_out_what_their_form_refuses(world, login):
    client = login(world.users["office"])
    PartyUnit.objects.filter(pk=world.units.outside.pk).update(is_active=False)
    assert _values(client, "rectification:lookup_responsible_units", "城投") == []
    # Already a member of group 1: not offered again; a member of group 2 is.
    members = reverse("rounds:lookup_group_inspectors", args=[world.g1.group.pk])
    assert [r["text"] for r in client.get(members, {"q": "组长"}).json()] == ["2组组长"]
    # Already in the plan's scope: not offered for adding.
    scope = reverse("rounds:lookup_scope_units", args=[world.plan.pk])
    assert client.get(scope, {"q": "财政"}).json() == []
    # An account linked to another inspector is not offered; the inspector's own account is.
    users = reverse("rounds:lookup_inspector_users", args=[Inspector.objects.get(user=world.users["group1_leader"]).pk])
    assert [r["text"] for r in client.get(users, {"q": "group"}).json()] == ["赵组长（group1_leader）"]


def test_a_lookup_for_an_unknown_group_or_plan_is_404(world, login):
    client = login(world.users["office"])
    assert client.get(reverse("rounds:lookup_group_units", args=[999999])).status_code == 404
    assert client.get(reverse("rounds:lookup_scope_units", args=[999999])).status_code == 404


def test_a_lookup_answers_only_get(world, login):
    client = login(world.users["office"])
    assert client.post(reverse("rectification:lookup_ledger_units")).status_code == 405


def test_a_lookup_labels_rows_as_the_select_did(world, login):
    client = login(world.users["group1_member"])
    [row] = client.get(reverse("findings:lookup_finding_inspections")).json()
    inspection = world.g1.inspection
    assert row == {"value": inspection.pk, "text": f"{inspection.round} · 第一巡察组 · 县财政局党组（常规巡察）"}
    office = login(world.users["office"])
    people = reverse("rectification:lookup_people")
    texts = [r["text"] for r in office.get(people, {"q": "unit_head", "unit": world.units.finance.pk}).json()]
    assert texts == ["陈局长 · 县财政局党组 · 主要负责人"]  # found by account name, shown by name, unit and post


def test_a_lookup_keeps_its_answer_small_whatever_is_typed(world, login):
    client = login(world.users["office"])
    url = reverse("rectification:lookup_ledger_units")
    assert client.get(url, {"q": "  "}).status_code == 200
    assert client.get(url, {"q": "%_' OR 1=1 --"}).json() == []
    assert client.get(url, {"q": "x " * 500}).json() == []


def test_a_round_is_found_by_its_theme(world, login):
    Round.objects.create(plan=world.plan, number=2, year=world.today.year, theme="乡村振兴专项")
    client = login(world.users["office"])
    texts = [r["text"] for r in client.get(reverse("rectification:lookup_ledger_rounds"), {"q": "乡村振兴"}).json()]
    assert texts == [f"{world.today.year}年第2轮巡察"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("第2轮", [2]),
        ("2", [2]),
        ("2026年第2轮巡察", [2]),
        ("Round 3 of 2026", [3]),
        ("第9轮", []),
        ("2026", [1, 2, 3]),
        ("2025年", [4]),
    ],
)
def test_a_round_is_found_by_what_its_label_says(world, login, typed, found):
    """The plan's name spans the term (2022—2026年), yet a year finds only that year's rounds."""
    world.plan.__class__.objects.filter(pk=world.plan.pk).update(name="县委2022—2026年巡察工作规划")
    Round.objects.filter(plan=world.plan).update(year=2026)
    for number in (2, 3):
        Round.objects.create(plan=world.plan, number=number, year=2026)
    Round.objects.create(plan=world.plan, number=4, year=2025)
    rows = login(world.users["office"]).get(reverse("rectification:lookup_ledger_rounds"), {"q": typed}).json()
    numbers = sorted(Round.objects.get(pk=row["value"]).number for row in rows)
    assert numbers == found


def test_an_inspection_is_found_by_its_round_s_label(world, login):
    rows = (
        login(world.users["office"])
        .get(reverse("findings:lookup_finding_inspections"), {"q": f"{world.g1.inspection.round.year}年第1轮"})
        .json()
    )
    assert world.g1.inspection.pk in [row["value"] for row in rows]
