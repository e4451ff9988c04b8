import pytest
from django.core.exceptions import ValidationError

from rounds.choices import MemberRole
from rounds.models import Avoidance, GroupMembership, Inspector
from rounds.services import membership_add

pytestmark = pytest.mark.django_db


def test_joining_a_group_inspecting_ones_home_unit_is_refused(world):
    person = Inspector.objects.create(name="财政局干部", home_unit=world.units.finance)
    with pytest.raises(ValidationError) as exc:
        membership_add(actor=world.users["office"], group=world.g1.group, inspector=person)
    assert "县财政局党组" in str(exc.value) and "回避" in str(exc.value)
    assert not GroupMembership.objects.filter(inspector=person).exists()


def test_declared_avoidance_is_refused_and_other_groups_are_fine(world):
    person = Inspector.objects.create(name="申报回避者")
    Avoidance.objects.create(inspector=person, unit=world.units.finance, reason="配偶在该局工作")
    with pytest.raises(ValidationError):
        membership_add(actor=world.users["office"], group=world.g1.group, inspector=person)
    membership_add(actor=world.users["office"], group=world.g2.group, inspector=person, role=MemberRole.MEMBER)


def test_history_rows_carry_the_acting_user(world):
    office = world.users["office"]
    person = Inspector.objects.create(name="新成员")
    membership = membership_add(actor=office, group=world.g2.group, inspector=person)
    record = membership.history.latest()
    assert record.history_user == office
    assert record.history_change_reason == "加入巡察组"
    assert world.g1.group.history.latest().history_user == office
