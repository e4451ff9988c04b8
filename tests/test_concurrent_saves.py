"""Two identical saves at once: the loser gets the form error a later duplicate gets, never a 500 (IntegrityError).

On every database the race is replayed deterministically: the competing row is committed between the service's
check and its INSERT. On PostgreSQL (CI) two real requests also run at once on their own connections."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from rounds import services
from rounds.choices import InspectionKind, MemberRole, UnitKind
from rounds.models import (
    Avoidance,
    GroupMembership,
    Inspection,
    InspectionGroup,
    Inspector,
    Milestone,
    PartyUnit,
    Round,
)

NEW_UNIT = {"name": "县审计局党组", "kind": UnitKind.DEPARTMENT}


def _form_errors(response):
    assert response.status_code == 200, response.status_code
    form = next(c["form"] for c in response.context if "form" in c)
    return {field: list(errors) for field, errors in form.errors.items()}


def _competitor_commits_first(model, make_row):
    """Patch `model.full_clean` so that right after the service's check passes, a row made by `make_row()`
    lands (as if a concurrent request had committed it between this one's check and its INSERT)."""
    real_full_clean = model.full_clean
    done = []

    def full_clean(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        if not done and not args and not kwargs:  # the service's check (a ModelForm's own passes arguments)
            done.append(True)
            model.objects.bulk_create([make_row()])

    return mock.patch.object(model, "full_clean", full_clean)


def test_a_unit_saved_twice_at_once_gets_the_duplicate_name_error(world, client):
    client.force_login(world.users["office"])
    with _competitor_commits_first(PartyUnit, lambda: PartyUnit(**NEW_UNIT)):
        raced = client.post(reverse("rounds:unit_create"), NEW_UNIT)
    assert not PartyUnit.objects.filter(name=NEW_UNIT["name"]).exists()  # the competitor went with its transaction
    PartyUnit.objects.create(**NEW_UNIT)
    later = client.post(reverse("rounds:unit_create"), NEW_UNIT)
    assert _form_errors(raced) == _form_errors(later)
    assert "name" in _form_errors(raced)
    assert PartyUnit.objects.filter(name=NEW_UNIT["name"]).count() == 1


def test_a_member_added_twice_at_once_gets_the_already_a_member_error(world, client):
    person = Inspector.objects.create(name="新成员")
    group = world.g1.group
    data = {"inspector": person.pk, "role": MemberRole.MEMBER}
    client.force_login(world.users["office"])
    with _competitor_commits_first(
        GroupMembership, lambda: GroupMembership(group=group, inspector=person, role=MemberRole.MEMBER)
    ):
        raced = client.post(reverse("rounds:membership_add", args=[group.pk]), data)
    assert raced.status_code == 200
    assert "已是本轮第一巡察组成员" in raced.content.decode()


@pytest.mark.parametrize(
    "attempt",
    [
        "group_create",
        "inspection_assign",
        "avoidance_declare",
        "round_create",
        "leader_added",
    ],
)
def test_every_unique_create_turns_a_race_into_a_validation_error(attempt, world):
    from django.core.exceptions import ValidationError

    office = world.users["office"]
    person = Inspector.objects.create(name="新组长")
    cases = {
        "group_create": (
            InspectionGroup,
            lambda: InspectionGroup(round=world.round, name="第三巡察组", auth_group=_auth_group("race")),
            lambda: services.group_create(actor=office, round=world.round, name="第三巡察组"),
        ),
        "inspection_assign": (
            Inspection,
            lambda: Inspection(round=world.round, group=world.g2.group, unit=world.units.outside, kind="special"),
            lambda: services.inspection_assign(
                actor=office, group=world.g1.group, unit=world.units.outside, kind=InspectionKind.SPECIAL
            ),
        ),
        "avoidance_declare": (
            Avoidance,
            lambda: Avoidance(inspector=person, unit=world.units.outside),
            lambda: services.avoidance_declare(actor=office, inspector=person, unit=world.units.outside),
        ),
        "round_create": (
            Round,
            lambda: Round(plan=world.plan, number=2, year=world.today.year),
            lambda: services.round_create(actor=office, plan=world.plan, number=2, year=world.today.year),
        ),
        "leader_added": (
            GroupMembership,
            lambda: GroupMembership(
                group=world.g1.group, inspector=Inspector.objects.create(name="另一组长"), role=MemberRole.LEADER
            ),
            lambda: services.membership_add(
                actor=office, group=world.g1.group, inspector=person, role=MemberRole.LEADER
            ),
        ),
    }
    model, competitor, service = cases[attempt]
    if attempt == "leader_added":  # group 1's leader steps down, so the check passes until the race
        GroupMembership.objects.filter(group=world.g1.group, role=MemberRole.LEADER).update(role=MemberRole.MEMBER)
    with _competitor_commits_first(model, competitor), pytest.raises(ValidationError) as refused:
        service()
    assert refused.value.messages


def _auth_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=name)


def test_a_milestone_set_twice_at_once_keeps_the_later_target(world):
    office = world.users["office"]
    year = world.today.year + 1
    with _competitor_commits_first(Milestone, lambda: Milestone(plan=world.plan, year=year, target_rate=10)):
        services.milestone_set(actor=office, plan=world.plan, year=year, target_rate=90)
    assert Milestone.objects.get(plan=world.plan, year=year).target_rate == 90


def test_scope_added_twice_at_once_keeps_one_entry(world):
    from rounds.models import PlanUnit

    office = world.users["office"]
    unit = world.units.outside
    year = world.today.year + 1
    with _competitor_commits_first(PlanUnit, lambda: PlanUnit(plan=world.plan, unit=unit, planned_year=year)):
        added = services.plan_scope_add(actor=office, plan=world.plan, units=[unit], planned_year=year)
    assert added == 0
    assert world.plan.scope.filter(unit=unit).count() == 1


# --- Two real requests at once (PostgreSQL: the second INSERT waits for the first to commit) -------------


def _race(posts, *, meet_before_saving=True):
    """Run the POSTs in threads, each on its own connection; unless told otherwise, all past their checks before
    any saves (a service that locks before its check makes the second wait there instead: no meeting point)."""
    barrier = threading.Barrier(len(posts) if meet_before_saving else 1, timeout=20)
    real_save = PartyUnit.save, GroupMembership.save
    results = [None] * len(posts)

    def wait_then(save):
        def patched(self, *args, **kwargs):
            barrier.wait()
            return save(self, *args, **kwargs)

        return patched

    def run(i, post):
        try:
            results[i] = post()
        finally:
            connections.close_all()

    with (
        mock.patch.object(PartyUnit, "save", wait_then(real_save[0])),
        mock.patch.object(GroupMembership, "save", wait_then(real_save[1])),
    ):
        threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    return results


def _office_client(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["office"])
    return client


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_offices_saving_one_new_unit_at_once_on_postgresql(world):
    clients = [_office_client(world), _office_client(world)]
    results = _race([lambda c=c: c.post(reverse("rounds:unit_create"), NEW_UNIT) for c in clients])
    assert sorted(r.status_code for r in results) == [200, 302]
    loser = next(r for r in results if r.status_code == 200)
    later = clients[0].post(reverse("rounds:unit_create"), NEW_UNIT)
    assert _form_errors(loser) == _form_errors(later)
    assert PartyUnit.objects.filter(name=NEW_UNIT["name"]).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_offices_adding_one_member_at_once_on_postgresql(world):
    person = Inspector.objects.create(name="新成员")
    url = reverse("rounds:membership_add", args=[world.g1.group.pk])
    data = {"inspector": person.pk, "role": MemberRole.MEMBER}
    clients = [_office_client(world), _office_client(world)]
    # membership_add locks the group row before its checks (tests/test_group_lock.py): the second request waits
    # there for the first to commit, then finds the member already in the group.
    results = _race([lambda c=c: c.post(url, data) for c in clients], meet_before_saving=False)
    assert sorted(r.status_code for r in results) == [200, 302]
    loser = next(r for r in results if r.status_code == 200).content.decode()
    # The loser's form says why: the service's check (it waited at the lock), or, when it came later still, the
    # person picker, which no longer offers a member of the group.
    assert "已是本轮第一巡察组成员" in loser or "选择一个有效的选项" in loser
    assert GroupMembership.objects.filter(inspector=person).count() == 1
