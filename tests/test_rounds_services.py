"""Services of the rounds app: the stage table, 回避 on assignment, suggestions, counters, coverage, scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rounds import services
from rounds.choices import InspectionKind, MemberRole, Specialty, Stage, UnitKind
from rounds.models import Avoidance, Inspection, Inspector, PartyUnit, Plan, Round
from rounds.selectors import covered_unit_ids, membership_suggestions
from rounds.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db


def fresh_inspection(world, n=1, unit=None, stage=Stage.PREPARATION):
    side = getattr(world, f"g{n}")
    return Inspection.objects.create(
        round=world.round, group=side.group, unit=unit or world.units.township, kind=InspectionKind.REGULAR, stage=stage
    )


# --- Stage workflow ---------------------------------------------------------------------------


def test_every_stage_but_the_last_has_exactly_one_step_forward():
    assert sorted(frm for frm, _ in TRANSITIONS) == list(Stage)[:-1]
    assert all(to == frm + 1 for frm, to in TRANSITIONS)


def test_office_moves_a_stage_forward_dated_and_attributed(world):
    inspection = fresh_inspection(world)
    moved = services.inspection_advance(
        actor=world.users["office"], inspection=inspection, to_stage=Stage.STATIONED, reason="进驻动员会已开"
    )
    assert moved.stage == Stage.STATIONED
    assert moved.entry_date == world.today
    assert moved.stage_changed_at is not None
    record = moved.history.latest()
    assert record.history_user == world.users["office"]
    assert record.history_change_reason == "阶段：准备 → 进驻；进驻动员会已开"


def test_a_stage_cannot_be_skipped_or_moved_back(world):
    inspection = fresh_inspection(world, stage=Stage.UNDERSTANDING)
    office = world.users["office"]
    for to in (Stage.FEEDBACK, Stage.STATIONED, Stage.UNDERSTANDING, 99):
        with pytest.raises(ValidationError, match="只能依次向前推进"):
            services.inspection_advance(actor=office, inspection=inspection, to_stage=to)
    inspection.refresh_from_db()
    assert inspection.stage == Stage.UNDERSTANDING


def test_entry_date_already_set_is_kept(world):
    inspection = fresh_inspection(world)
    inspection.entry_date = world.today.replace(day=1)
    inspection.save()
    moved = services.inspection_advance(actor=world.users["office"], inspection=inspection, to_stage=Stage.STATIONED)
    assert moved.entry_date == world.today.replace(day=1)


def test_group_leader_moves_the_onsite_steps_of_their_own_group_only(world):
    leader = world.users["group1_leader"]
    inspection = fresh_inspection(world, stage=Stage.STATIONED)
    services.inspection_advance(actor=leader, inspection=inspection, to_stage=Stage.UNDERSTANDING)
    moved = services.inspection_advance(actor=leader, inspection=inspection, to_stage=Stage.REPORTING)
    assert moved.onsite_end_date == world.today
    with pytest.raises(PermissionDenied):
        services.inspection_advance(actor=leader, inspection=inspection, to_stage=Stage.FEEDBACK)
    with pytest.raises(PermissionDenied):
        services.inspection_advance(
            actor=leader,
            inspection=fresh_inspection(world, n=2, unit=world.units.outside, stage=Stage.STATIONED),
            to_stage=Stage.UNDERSTANDING,
        )


def test_group_leader_does_not_enter_a_unit(world):
    with pytest.raises(PermissionDenied):
        services.inspection_advance(
            actor=world.users["group1_leader"], inspection=fresh_inspection(world), to_stage=Stage.STATIONED
        )


@pytest.mark.parametrize("persona", ["group1_member", "leadership", "group2_leader", "liaison"])
def test_others_cannot_move_a_stage(world, persona):
    inspection = fresh_inspection(world, stage=Stage.STATIONED)
    with pytest.raises(PermissionDenied):
        services.inspection_advance(actor=world.users[persona], inspection=inspection, to_stage=Stage.UNDERSTANDING)
    inspection.refresh_from_db()
    assert inspection.stage == Stage.STATIONED


# --- Assigning units and 回避 ----------------------------------------------------------------


def test_assigning_a_unit_that_a_member_declared_to_avoid_is_refused(world):
    member = Inspector.objects.get(user=world.users["group1_member"])
    Avoidance.objects.create(inspector=member, unit=world.units.outside, reason="配偶任职")
    with pytest.raises(ValidationError) as exc:
        services.inspection_assign(
            actor=world.users["office"], group=world.g1.group, unit=world.units.outside, kind=InspectionKind.REGULAR
        )
    message = " ".join(exc.value.messages)
    assert "1组成员" in message and "县城投集团党委" in message and "回避" in message
    assert not Inspection.objects.filter(unit=world.units.outside).exists()
    # The other group has no such member and may take it.
    services.inspection_assign(
        actor=world.users["office"], group=world.g2.group, unit=world.units.outside, kind=InspectionKind.REGULAR
    )


def test_assigning_a_members_home_unit_is_refused(world):
    Inspector.objects.create(name="城关干部", home_unit=world.units.township)
    person = Inspector.objects.get(name="城关干部")
    services.membership_add(actor=world.users["office"], group=world.g2.group, inspector=person)
    with pytest.raises(ValidationError, match="城关干部 须回避城关镇党委"):
        services.inspection_assign(
            actor=world.users["office"], group=world.g2.group, unit=world.units.township, kind=InspectionKind.REGULAR
        )


def test_assigning_an_inactive_or_already_assigned_unit_is_refused(world):
    office = world.users["office"]
    with pytest.raises(ValidationError, match="任务分配给第一巡察组"):
        services.inspection_assign(
            actor=office, group=world.g2.group, unit=world.units.finance, kind=InspectionKind.REGULAR
        )
    services.unit_set_active(actor=office, unit=world.units.outside, active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.inspection_assign(
            actor=office, group=world.g2.group, unit=world.units.outside, kind=InspectionKind.REGULAR
        )


def test_a_lookback_of_the_same_unit_in_the_same_round_is_a_separate_inspection(world):
    # The unit is still in group 1's open inspection of this round: unusual, so it is confirmed first.
    inspection = services.inspection_assign(
        actor=world.users["office"],
        group=world.g2.group,
        unit=world.units.finance,
        kind=InspectionKind.LOOKBACK,
        confirmed=True,
    )
    assert inspection.round == world.round and inspection.stage == Stage.PREPARATION
    assert inspection.follows == world.g1.inspection


def test_one_person_joins_one_group_per_round(world):
    member = Inspector.objects.get(user=world.users["group1_member"])
    with pytest.raises(ValidationError, match="同一轮次只能参加一个巡察组"):
        services.membership_add(actor=world.users["office"], group=world.g2.group, inspector=member)


def test_a_group_has_one_leader_and_the_message_names_them(world):
    person = Inspector.objects.create(name="候补组长")
    with pytest.raises(ValidationError, match="已有组长1组组长"):
        services.membership_add(
            actor=world.users["office"], group=world.g1.group, inspector=person, role=MemberRole.LEADER
        )


# --- Suggestions ------------------------------------------------------------------------------


def test_suggestions_exclude_conflicts_and_people_already_in_a_group_of_the_round(world):
    group = world.g1.group  # inspects 县财政局党组
    finance = [Specialty.FINANCE]
    free = Inspector.objects.create(name="甲空闲", specialties=finance, in_leader_pool=True)
    Inspector.objects.create(name="乙本单位", specialties=finance, home_unit=world.units.finance)
    declared = Inspector.objects.create(name="丙申报", specialties=finance)
    Avoidance.objects.create(inspector=declared, unit=world.units.finance)
    busy = Inspector.objects.create(name="丁已编组", specialties=finance)
    services.membership_add(actor=world.users["office"], group=world.g2.group, inspector=busy)
    Inspector.objects.create(name="戊出库", specialties=finance, is_active=False)
    auditor = Inspector.objects.create(name="己审计", specialties=[Specialty.AUDIT])
    # Someone avoiding a unit of the *other* group is fine here.
    other = Inspector.objects.create(name="庚他组回避", specialties=finance, home_unit=world.units.education)

    names = [p.name for p in membership_suggestions(group=group, specialty=Specialty.FINANCE)]
    assert names == [free.name, other.name]
    everyone = {p.name for p in membership_suggestions(group=group)}
    assert auditor.name in everyone and "1组成员" not in everyone and "2组组长" not in everyone


def test_suggestions_of_a_later_round_include_this_rounds_members(world):
    round2 = Round.objects.create(plan=world.plan, number=2, year=world.today.year)
    group = services.group_create(actor=world.users["office"], round=round2, name="第一巡察组")
    names = {p.name for p in membership_suggestions(group=group)}
    assert {"1组组长", "1组成员", "2组组长", "2组成员"} <= names


# --- Counters -------------------------------------------------------------------------------


def test_a_member_updates_the_counters_and_history_says_who(world):
    member = world.users["group1_member"]
    updated = services.inspection_update_counters(
        actor=member, inspection=world.g1.inspection, interviews=35, documents=120, visits=6
    )
    assert (updated.interviews, updated.documents, updated.visits, updated.petitions) == (35, 120, 6, 0)
    record = updated.history.latest()
    assert record.history_user == member and record.history_change_reason == "更新了解问题途径统计"


@pytest.mark.parametrize("persona", ["group2_member", "group2_leader", "leadership", "liaison"])
def test_others_cannot_update_the_counters(world, persona):
    with pytest.raises(PermissionDenied):
        services.inspection_update_counters(actor=world.users[persona], inspection=world.g1.inspection, interviews=9)
    world.g1.inspection.refresh_from_db()
    assert world.g1.inspection.interviews == 0


def test_a_negative_counter_is_refused(world):
    with pytest.raises(ValidationError):
        services.inspection_update_counters(actor=world.users["office"], inspection=world.g1.inspection, visits=-1)


# --- Coverage ------------------------------------------------------------------------------


def test_covered_means_a_covering_kind_at_stationed_or_later_in_a_round_of_the_plan(world):
    plan, office = world.plan, world.users["office"]
    covered = lambda: set(covered_unit_ids(plan).values_list("unit_id", flat=True))  # noqa: E731
    assert covered() == {world.units.finance.pk, world.units.education.pk}

    lookback = fresh_inspection(world, n=1, stage=Stage.ARCHIVED)
    lookback.kind = InspectionKind.LOOKBACK
    lookback.save()
    regular = services.inspection_assign(
        actor=office, group=world.g2.group, unit=world.units.township, kind=InspectionKind.VILLAGE
    )
    assert world.units.township.pk not in covered()  # 回头看 never counts; 准备 is not yet 进驻

    other_plan = Plan.objects.create(name="下届规划", start_year=world.today.year + 3, end_year=world.today.year + 7)
    other_round = Round.objects.create(plan=other_plan, number=1, year=world.today.year + 3)
    other_group = services.group_create(actor=office, round=other_round, name="第一巡察组")
    services.inspection_assign(actor=office, group=other_group, unit=world.units.outside, kind=InspectionKind.REGULAR)
    Inspection.objects.filter(round=other_round).update(stage=Stage.STATIONED)
    assert world.units.outside.pk not in covered()  # another plan's round

    services.inspection_advance(actor=office, inspection=regular, to_stage=Stage.STATIONED)
    assert world.units.township.pk in covered()


# --- Registry and plan ------------------------------------------------------------------------


def test_a_village_needs_its_township_and_a_parent_must_be_a_township(world):
    office = world.users["office"]
    with pytest.raises(ValidationError, match="所属乡镇"):
        services.unit_create(actor=office, name="西山村党支部", kind=UnitKind.VILLAGE)
    with pytest.raises(ValidationError, match="上级只能是乡镇党委"):
        services.unit_create(actor=office, name="西山村党支部", kind=UnitKind.VILLAGE, parent=world.units.finance)


def test_deactivating_keeps_the_unit_and_its_history(world):
    unit = services.unit_set_active(actor=world.users["office"], unit=world.units.finance, active=False)
    assert PartyUnit.objects.get(pk=unit.pk).is_active is False
    assert unit.history.latest().history_change_reason == "停用巡察对象"
    assert unit.inspections.count() == 1


def test_bulk_scope_add_takes_active_units_not_yet_in_scope(world):
    office = world.users["office"]
    PartyUnit.objects.create(name="县水务集团党委", kind=UnitKind.SOE, is_active=False)
    added = services.plan_scope_add(
        actor=office, plan=world.plan, units=PartyUnit.objects.all(), planned_year=world.today.year + 1
    )
    assert added == 1  # only 县城投集团党委: the others are in scope, 县水务集团 is inactive
    assert world.plan.scope.get(unit=world.units.finance).planned_year == world.today.year  # kept
    with pytest.raises(ValidationError, match="届期"):
        services.plan_scope_add(actor=office, plan=world.plan, units=[], planned_year=world.plan.end_year + 1)


def test_a_milestone_is_set_once_per_year_and_within_the_term(world):
    office = world.users["office"]
    services.milestone_set(actor=office, plan=world.plan, year=world.today.year, target_rate=60)
    assert world.plan.milestones.get(year=world.today.year).target_rate == 60
    with pytest.raises(ValidationError, match="届期"):
        services.milestone_set(actor=office, plan=world.plan, year=world.plan.start_year - 1, target_rate=10)


def test_declaring_avoidance_of_a_unit_ones_group_inspects_is_refused(world):
    member = Inspector.objects.get(user=world.users["group1_member"])
    with pytest.raises(ValidationError, match="须先调整分组"):
        services.avoidance_declare(actor=world.users["office"], inspector=member, unit=world.units.finance)


def test_plan_coverage_counts_covered_units_in_scope_only(world):
    from rounds.selectors import plan_coverage

    assert plan_coverage(world.plan) == (2, 4)
    # A covered unit outside the scope does not raise the rate.
    services.inspection_assign(
        actor=world.users["office"], group=world.g2.group, unit=world.units.outside, kind=InspectionKind.REGULAR
    )
    Inspection.objects.filter(unit=world.units.outside).update(stage=Stage.STATIONED)
    assert plan_coverage(world.plan) == (2, 4)


def test_the_registry_lists_units_when_no_plan_exists(world):
    from rounds.selectors import unit_list, units_by_coverage

    office = world.users["office"]
    assert list(units_by_coverage(unit_list(user=office, plan=None), "covered", None)) == []
    assert len(unit_list(user=office, plan=None)) == 5


def test_a_unit_is_withdrawn_from_a_group_only_before_entry(world):
    office = world.users["office"]
    inspection = fresh_inspection(world)
    services.inspection_unassign(actor=office, inspection=inspection)
    assert not Inspection.objects.filter(pk=inspection.pk).exists()
    assert Inspection.history.filter(id=inspection.pk, history_type="-").get().history_user == office
    with pytest.raises(ValidationError, match="不能撤销"):
        services.inspection_unassign(actor=office, inspection=world.g1.inspection)


def test_a_township_with_villages_keeps_its_kind(world):
    with pytest.raises(ValidationError, match="仍有村"):
        services.unit_update(actor=world.users["office"], unit=world.units.township, kind=UnitKind.DEPARTMENT)
