"""The one door: what each persona may read. Each rule has a test that fails if the rule is removed."""

import pytest

from findings.models import Clue, Finding
from rectification.models import Feedback, RectificationTask
from rounds.models import Inspection, InspectionGroup
from rounds.services import membership_remove
from xuncha.roles import Role, roles_of

pytestmark = pytest.mark.django_db


def titles(qs):
    return set(qs.values_list("title", flat=True))


def test_office_and_leadership_see_everything(world):
    for name in ("office", "leadership"):
        user = world.users[name]
        assert Finding.objects.visible_to(user).count() == Finding.objects.count() == 4
        assert Clue.objects.visible_to(user).count() == 2
        assert RectificationTask.objects.visible_to(user).count() == 2


def test_member_sees_own_groups_findings_only(world):
    member = world.users["group1_member"]
    visible = titles(Finding.objects.visible_to(member))
    assert visible == {world.g1.finding.title, world.g1.draft.title}
    assert list(Inspection.objects.visible_to(member)) == [world.g1.inspection]
    assert list(InspectionGroup.objects.visible_to(member)) == [world.g1.group]


def test_member_cannot_see_clues(world):
    assert not Clue.objects.visible_to(world.users["group1_member"]).exists()


def test_leader_sees_own_groups_clues_only(world):
    assert list(Clue.objects.visible_to(world.users["group1_leader"])) == [world.g1.clue]
    assert list(Clue.objects.visible_to(world.users["group2_leader"])) == [world.g2.clue]


def test_group2_sees_nothing_of_group1(world):
    for name in ("group2_leader", "group2_member"):
        user = world.users[name]
        assert world.g1.finding.title not in titles(Finding.objects.visible_to(user))
        assert world.g1.draft.title not in titles(Finding.objects.visible_to(user))
        assert world.g1.clue not in Clue.objects.visible_to(user)
        assert world.g1.task not in RectificationTask.objects.visible_to(user)
        assert world.g1.feedback not in Feedback.objects.visible_to(user)
        assert world.g1.inspection not in Inspection.objects.visible_to(user)


def test_unit_liaison_sees_own_units_tasks_and_fed_back_findings(world):
    liaison = world.users["liaison"]
    assert list(RectificationTask.objects.visible_to(liaison)) == [world.g1.task]
    # Fed-back findings of their unit only: never a draft.
    assert list(Finding.objects.visible_to(liaison)) == [world.g1.finding]
    assert list(Feedback.objects.visible_to(liaison)) == [world.g1.feedback]
    assert not Clue.objects.visible_to(liaison).exists()
    assert not Inspection.objects.visible_to(liaison).exists()


def test_discipline_liaison_sees_only_clues_transferred_to_their_body(world):
    jiwei = world.users["jiwei"]
    assert list(Clue.objects.visible_to(jiwei)) == [world.g1.clue]  # g2's went to the organisation dept.
    assert not Finding.objects.visible_to(jiwei).exists()
    world.g1.clue.status = "draft"
    world.g1.clue.save()
    assert not Clue.objects.visible_to(jiwei).exists()


def test_user_without_role_sees_nothing(world):
    nobody = world.users["nobody"]
    assert roles_of(nobody) == frozenset()
    for model in (Finding, Clue, RectificationTask, Feedback, Inspection, InspectionGroup):
        assert not model.objects.visible_to(nobody).exists(), model


def test_leaving_the_group_revokes_its_rights(world):
    member = world.users["group1_member"]
    membership = world.g1.group.memberships.get(inspector__user=member)
    membership_remove(actor=world.users["office"], membership=membership)
    member = type(member).objects.get(pk=member.pk)  # fresh permission cache
    assert not Finding.objects.visible_to(member).exists()


def test_roles_follow_the_data(world):
    assert roles_of(world.users["office"]) == {Role.OFFICE}
    assert roles_of(world.users["leadership"]) == {Role.LEADERSHIP}
    assert roles_of(world.users["group1_leader"]) == {Role.GROUP_LEADER}
    assert roles_of(world.users["group1_member"]) == {Role.GROUP_MEMBER}
    assert roles_of(world.users["liaison"]) == {Role.UNIT_LIAISON}
    assert roles_of(world.users["jiwei"]) == {Role.DISCIPLINE_LIAISON}
