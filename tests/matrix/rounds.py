"""The rounds pages: registry, pool, plan and rounds for office (+ leadership read-only); group pages sealed.

Write cases post valid data: the allowed personas get the redirect of success (302), everyone else 404.
That nothing changed for the refused personas is pinned in tests/test_rounds_views.py."""

from django.urls import reverse

from rounds.choices import InspectionKind, MemberRole, UnitKind
from rounds.models import Avoidance, GroupMembership, Inspection, Inspector, Milestone

from . import GROUP1, GROUP2, OVERSEERS, Case

OFFICE = frozenset({"office"})
ALL_GROUPS = GROUP1 | GROUP2


def once(fn):
    """Resolve an object id once per world: after the office deletes it, the others post to the same (gone) id."""

    def resolve(w):
        memo = w.__dict__.setdefault("_rounds_matrix_ids", {})
        if fn not in memo:
            memo[fn] = fn(w)
        return memo[fn]

    return resolve


def url(name, *args):
    return lambda w: reverse(f"rounds:{name}", args=[a(w) for a in args])


def leader_of(n):
    return lambda w: Inspector.objects.get(user=w.users[f"group{n}_leader"]).pk


def membership_of(persona):
    return once(lambda w: GroupMembership.objects.get(inspector__user=w.users[persona]).pk)


def inspection(n):
    return lambda w: getattr(w, f"g{n}").inspection.pk


def group(n):
    return lambda w: getattr(w, f"g{n}").group.pk


def next_stage(n):
    return lambda w: {"to_stage": Inspection.objects.get(pk=getattr(w, f"g{n}").inspection.pk).stage + 1}


@once
def avoidance(w):
    person = Inspector.objects.get(user=w.users["group2_member"])
    return Avoidance.objects.get_or_create(inspector=person, unit=w.units.outside)[0].pk


@once
def milestone(w):
    return Milestone.objects.get_or_create(plan=w.plan, year=w.today.year + 1, defaults={"target_rate": 80})[0].pk


@once
def preparing(w):
    """A group-1 inspection still in 准备, the only stage at which a unit can be withdrawn."""
    return Inspection.objects.create(round=w.round, group=w.g1.group, unit=w.units.township, kind="regular").pk


@once
def scope_entry(w):
    return w.plan.scope.get(unit=w.units.village).pk


COUNTERS = {"interviews": 12, "documents": 30, "questionnaires": 100, "visits": 4, "petitions": 2}
INSPECTOR = {"name": "新干部", "rank": "四级主任科员", "specialties": ["finance"], "is_active": "on"}

CASES = [
    # Registry, pool, plan and rounds: office and leadership read.
    Case("rounds:unit_list", url("unit_list"), OVERSEERS),
    Case("rounds:unit_detail", url("unit_detail", lambda w: w.units.finance.pk), OVERSEERS),
    Case("rounds:inspector_list", url("inspector_list"), OVERSEERS),
    Case("rounds:inspector_detail", url("inspector_detail", leader_of(1)), OVERSEERS),
    Case("rounds:plan_list", url("plan_list"), OVERSEERS),
    Case("rounds:plan_detail", url("plan_detail", lambda w: w.plan.pk), OVERSEERS),
    Case("rounds:round_list", url("round_list"), OVERSEERS),
    Case("rounds:round_detail", url("round_detail", lambda w: w.round.pk), OVERSEERS),
    # ... and only the office opens the forms.
    Case("rounds:unit_create", url("unit_create"), OFFICE),
    Case("rounds:unit_update", url("unit_update", lambda w: w.units.village.pk), OFFICE),
    Case("rounds:inspector_create", url("inspector_create"), OFFICE),
    Case("rounds:inspector_update", url("inspector_update", leader_of(1)), OFFICE),
    Case("rounds:plan_create", url("plan_create"), OFFICE),
    Case("rounds:plan_update", url("plan_update", lambda w: w.plan.pk), OFFICE),
    Case("rounds:round_create", url("round_create"), OFFICE),
    Case("rounds:round_update", url("round_update", lambda w: w.round.pk), OFFICE),
    # Group pages: office, leadership and the group itself; the other group gets 404.
    Case("rounds:my_inspections", url("my_inspections"), OVERSEERS | ALL_GROUPS),
    Case("rounds:group_detail g1", url("group_detail", group(1)), OVERSEERS | GROUP1),
    Case("rounds:group_detail g2", url("group_detail", group(2)), OVERSEERS | GROUP2),
    Case("rounds:inspection_detail g1", url("inspection_detail", inspection(1)), OVERSEERS | GROUP1),
    Case("rounds:inspection_detail g2", url("inspection_detail", inspection(2)), OVERSEERS | GROUP2),
    # Writes: office only (leadership reads, never writes) ...
    Case(
        "POST rounds:unit_create",
        url("unit_create"),
        OFFICE,
        "post",
        lambda w: {"name": "县审计局党组", "kind": UnitKind.DEPARTMENT},
        302,
    ),
    Case(
        "POST rounds:unit_update",
        url("unit_update", lambda w: w.units.outside.pk),
        OFFICE,
        "post",
        lambda w: {"name": "县城投集团有限公司党委", "kind": UnitKind.SOE},
        302,
    ),
    Case(
        "POST rounds:unit_deactivate", url("unit_deactivate", lambda w: w.units.outside.pk), OFFICE, "post", None, 302
    ),
    Case(
        "POST rounds:unit_reactivate", url("unit_reactivate", lambda w: w.units.outside.pk), OFFICE, "post", None, 302
    ),
    Case("POST rounds:inspector_create", url("inspector_create"), OFFICE, "post", lambda w: INSPECTOR, 302),
    Case(
        "POST rounds:inspector_update g1 leader",
        url("inspector_update", leader_of(1)),
        OFFICE,
        "post",
        lambda w: {**INSPECTOR, "name": "1组组长", "user": w.users["group1_leader"].pk, "in_leader_pool": "on"},
        302,
    ),
    Case(
        "POST rounds:avoidance_add",
        url("avoidance_add", leader_of(2)),
        OFFICE,
        "post",
        lambda w: {"unit": w.units.outside.pk, "reason": "曾在该企业任职"},
        302,
    ),
    Case("POST rounds:avoidance_remove", url("avoidance_remove", avoidance), OFFICE, "post", None, 302),
    Case(
        "POST rounds:plan_create",
        url("plan_create"),
        OFFICE,
        "post",
        lambda w: {"name": "十五届规划", "start_year": w.today.year + 3, "end_year": w.today.year + 7},
        302,
    ),
    Case(
        "POST rounds:plan_update",
        url("plan_update", lambda w: w.plan.pk),
        OFFICE,
        "post",
        lambda w: {"name": "十四届县委巡察规划", "start_year": w.plan.start_year, "end_year": w.plan.end_year},
        302,
    ),
    Case(
        "POST rounds:scope_add",
        url("scope_add", lambda w: w.plan.pk),
        OFFICE,
        "post",
        lambda w: {"kind": UnitKind.SOE, "planned_year": w.today.year + 1},
        302,
    ),
    Case(
        "POST rounds:scope_year",
        url("scope_year", scope_entry),
        OFFICE,
        "post",
        lambda w: {"planned_year": w.today.year + 2},
        302,
    ),
    Case("POST rounds:scope_remove", url("scope_remove", scope_entry), OFFICE, "post", None, 302),
    Case(
        "POST rounds:milestone_set",
        url("milestone_set", lambda w: w.plan.pk),
        OFFICE,
        "post",
        lambda w: {"year": w.today.year + 2, "target_rate": "100"},
        302,
    ),
    Case("POST rounds:milestone_remove", url("milestone_remove", milestone), OFFICE, "post", None, 302),
    Case(
        "POST rounds:round_create",
        url("round_create"),
        OFFICE,
        "post",
        lambda w: {
            "plan": w.plan.pk,
            "number": 2,
            "year": w.today.year,
            "status": "planned",
            "plan_due_days": 30,
            "report_due_days": 60,
            "assessment_due_days": 180,
        },
        302,
    ),
    Case(
        "POST rounds:round_update",
        url("round_update", lambda w: w.round.pk),
        OFFICE,
        "post",
        lambda w: {
            "number": 1,
            "year": w.today.year,
            "theme": "乡村振兴专项",
            "status": "active",
            "plan_due_days": 30,
            "report_due_days": 60,
            "assessment_due_days": 180,
        },
        302,
    ),
    Case(
        "POST rounds:group_create",
        url("group_create", lambda w: w.round.pk),
        OFFICE,
        "post",
        lambda w: {"name": "第三巡察组"},
        302,
    ),
    # ... including on a group's own objects: its leader, its members and the other group get 404.
    Case(
        "POST rounds:membership_add g1",
        url("membership_add", group(1)),
        OFFICE,
        "post",
        lambda w: {"inspector": Inspector.objects.get_or_create(name="新成员")[0].pk, "role": MemberRole.MEMBER},
        302,
    ),
    Case(
        "POST rounds:membership_role g1",
        url("membership_role", membership_of("group1_member")),
        OFFICE,
        "post",
        lambda w: {"role": MemberRole.DEPUTY},
        302,
    ),
    Case(
        "POST rounds:membership_remove g1",
        url("membership_remove", membership_of("group1_member")),
        OFFICE,
        "post",
        None,
        302,
    ),
    Case(
        "POST rounds:inspection_assign g1",
        url("inspection_assign", group(1)),
        OFFICE,
        "post",
        lambda w: {"unit": w.units.outside.pk, "kind": InspectionKind.SPECIAL},
        302,
    ),
    Case(
        "POST rounds:inspection_unassign g1",
        url("inspection_unassign", preparing),
        OFFICE,
        "post",
        None,
        302,
    ),
    # Stage moves: the office, and the leader of the inspection's own group (the table decides which step).
    Case(
        "POST rounds:inspection_advance g1",
        url("inspection_advance", inspection(1)),
        OFFICE | {"group1_leader"},
        "post",
        next_stage(1),
        302,
    ),
    Case(
        "POST rounds:inspection_advance g2",
        url("inspection_advance", inspection(2)),
        OFFICE | {"group2_leader"},
        "post",
        next_stage(2),
        302,
    ),
    # Counters: the office and every member of the inspection's own group.
    Case(
        "POST rounds:inspection_counters g1",
        url("inspection_counters", inspection(1)),
        OFFICE | GROUP1,
        "post",
        lambda w: COUNTERS,
        302,
    ),
    Case(
        "POST rounds:inspection_counters g2",
        url("inspection_counters", inspection(2)),
        OFFICE | GROUP2,
        "post",
        lambda w: COUNTERS,
        302,
    ),
    # Lookups of the searchable selects: the filters' readers, or the office for the forms that write.
    Case("rounds:lookup_townships", url("lookup_townships"), OVERSEERS),
    Case("rounds:lookup_new_unit_parents", url("lookup_new_unit_parents"), OFFICE),
    Case("rounds:lookup_unit_parents", url("lookup_unit_parents", lambda w: w.units.village.pk), OFFICE),
    Case("rounds:lookup_home_units", url("lookup_home_units"), OFFICE),
    Case("rounds:lookup_new_inspector_users", url("lookup_new_inspector_users"), OFFICE),
    Case("rounds:lookup_inspector_users", url("lookup_inspector_users", leader_of(1)), OFFICE),
    Case("rounds:lookup_avoidance_units", url("lookup_avoidance_units"), OFFICE),
    Case("rounds:lookup_scope_units", url("lookup_scope_units", lambda w: w.plan.pk), OFFICE),
    Case("rounds:lookup_group_inspectors g1", url("lookup_group_inspectors", group(1)), OFFICE),
    Case("rounds:lookup_group_inspectors g2", url("lookup_group_inspectors", group(2)), OFFICE),
    Case("rounds:lookup_group_units g1", url("lookup_group_units", group(1)), OFFICE),
]
