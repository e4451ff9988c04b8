"""回避 between a group's members and its units holds when a member joins while a unit is being assigned.

Both writes lock the group row before their check (rounds.services._lock_group), so the second checks what the
first wrote. Run on PostgreSQL with real threads: SQLite serialises writers by itself."""

import threading
import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from rounds import services
from rounds.choices import InspectionKind, UnitKind
from rounds.models import GroupMembership, Inspection, Inspector, PartyUnit

pytestmark = pytest.mark.django_db(transaction=True)


def _setup(world):
    unit = PartyUnit.objects.create(name="县水利局党组", kind=UnitKind.DEPARTMENT)
    person = Inspector.objects.create(name="王回避", home_unit=unit)  # must never inspect their own unit
    return unit, person


def _first_pauses_after_its_check(world, patched, first, second):
    """Run `first` until the check `patched` returns, then `second` while `first` is held; return both errors."""
    checked, errors = threading.Event(), {}
    real = getattr(services, patched)

    def slow_check(*args, **kwargs):
        result = real(*args, **kwargs)
        checked.set()
        time.sleep(1.0)  # the window the lock closes: `second` runs its whole check and insert meanwhile
        return result

    def run(name, call, wait=None):
        try:
            if wait:
                assert wait.wait(10)
            call()
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors[name] = exc
        finally:
            connection.close()

    with mock.patch.object(services, patched, slow_check):
        threads = [
            threading.Thread(target=run, args=("first", first)),
            threading.Thread(target=run, args=("second", second, checked)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    return errors


def _no_member_inspects_a_unit_they_avoid(group):
    for membership in GroupMembership.objects.filter(group=group).select_related("inspector"):
        avoided = membership.inspector.avoided_unit_ids()
        assert not Inspection.objects.filter(group=group, unit_id__in=avoided).exists(), membership.inspector.name


def _skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL")


def test_a_member_joining_while_their_unit_is_assigned_is_refused(world):
    _skip_on_sqlite()
    unit, person = _setup(world)
    group, office = world.g1.group, world.users["office"]
    errors = _first_pauses_after_its_check(
        world,
        "_members_who_must_avoid",
        lambda: services.inspection_assign(actor=office, group=group, unit=unit, kind=InspectionKind.REGULAR),
        lambda: services.membership_add(actor=office, group=group, inspector=person),
    )
    assert "first" not in errors
    assert isinstance(errors.get("second"), ValidationError)
    _no_member_inspects_a_unit_they_avoid(group)


def test_a_unit_assigned_while_a_member_who_avoids_it_joins_is_refused(world):
    _skip_on_sqlite()
    unit, person = _setup(world)
    group, office = world.g1.group, world.users["office"]
    errors = _first_pauses_after_its_check(
        world,
        "avoidance_conflicts",
        lambda: services.membership_add(actor=office, group=group, inspector=person),
        lambda: services.inspection_assign(actor=office, group=group, unit=unit, kind=InspectionKind.REGULAR),
    )
    assert "first" not in errors
    assert isinstance(errors.get("second"), ValidationError)
    _no_member_inspects_a_unit_they_avoid(group)


def test_both_writes_lock_the_group_row_before_their_check(world):
    """On any database: the lock is taken (the query runs), and before the 回避 check."""
    unit, person = _setup(world)
    group, office = world.g1.group, world.users["office"]
    for call, check in (
        (lambda: services.membership_add(actor=office, group=group, inspector=person), "avoidance_conflicts"),
        (
            lambda: services.inspection_assign(actor=office, group=group, unit=unit, kind=InspectionKind.REGULAR),
            "_members_who_must_avoid",
        ),
    ):
        order = []
        real_lock, real_check = services._lock_group, getattr(services, check)
        with (
            mock.patch.object(services, "_lock_group", lambda g, o=order, f=real_lock: o.append("lock") or f(g)),
            mock.patch.object(services, check, lambda *a, o=order, f=real_check, **k: o.append("check") or f(*a, **k)),
        ):
            try:
                call()
            except ValidationError:
                pass
        assert order[:2] == ["lock", "check"], order
