"""Reads for the rounds pages. Every selector starts from what the user may see (404 outside it)."""

import re

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    PositiveSmallIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404
from django.utils import timezone

from xuncha.roles import PERM_MANAGE, require_oversight, sees_everything
from xuncha.search import any_of, contains

from .choices import NON_COVERING_KINDS, Coverage, Stage, UnitKind
from .models import (
    Avoidance,
    GroupMembership,
    Inspection,
    InspectionGroup,
    Inspector,
    PartyUnit,
    Plan,
    PlanUnit,
    Round,
)

# --- Coverage: the one definition (README, "coverage, exactly"); the dashboard reuses it. ---------


def covering_inspections(plan: Plan) -> QuerySet:
    """Inspections that make their unit covered in `plan`: kind other than 回头看/整改评估, in a round of
    that plan, at stage 进驻 or later (stages only move forward, so "reached" is `stage >= 进驻`)."""
    return Inspection.objects.filter(round__plan=plan, stage__gte=Stage.STATIONED).exclude(kind__in=NON_COVERING_KINDS)


def covered_unit_ids(plan: Plan) -> QuerySet:
    """Ids of the units covered in `plan`, as a subquery-friendly values queryset."""
    return covering_inspections(plan).values("unit_id").distinct()


def with_coverage(units: QuerySet, plan: Plan | None) -> QuerySet:
    """Annotate units with `covered` (bool) and `planned_year` (None when outside the plan's scope)."""
    if plan is None:
        return units.annotate(
            covered=Value(False, BooleanField()), planned_year=Value(None, PositiveSmallIntegerField())
        )
    return units.annotate(
        covered=Exists(covering_inspections(plan).filter(unit_id=OuterRef("pk"))),
        planned_year=Subquery(PlanUnit.objects.filter(plan=plan, unit_id=OuterRef("pk")).values("planned_year")[:1]),
    )


def coverage_of(unit: PartyUnit) -> Coverage:
    """已覆盖, 未覆盖 or 不在范围, for a unit read through with_coverage."""
    if unit.covered:
        return Coverage.COVERED
    return Coverage.UNCOVERED if unit.planned_year else Coverage.OUT_OF_SCOPE


def plan_coverage(plan: Plan) -> tuple[int, int]:
    """(covered units in the plan's scope, units in the plan's scope): the coverage rate's numerator and denominator."""
    scope = PlanUnit.objects.filter(plan=plan)
    return scope.filter(unit_id__in=covered_unit_ids(plan)).count(), scope.count()


def current_plan(today=None) -> Plan | None:
    """The plan whose term contains this year (the latest one if terms overlap), else the newest plan."""
    year = (today or timezone.localdate()).year
    plans = Plan.objects.order_by("-start_year", "-pk")
    return plans.filter(start_year__lte=year, end_year__gte=year).first() or plans.first()


# --- Access ------------------------------------------------------------------------------------


# --- Units and people --------------------------------------------------------------------------


def unit_search(qs, words: str) -> QuerySet:
    """The registry's one search (page, export, API): the unit's or its township's name."""
    # The unit's name or its township's, each on the name index (xuncha/search.py), combined with UNION.
    named = PartyUnit.objects.filter(contains("name", words))
    return qs.filter(pk__in=any_of(named, PartyUnit.objects.filter(parent__in=named.values("pk"))))


def unit_list(*, user, plan=None) -> QuerySet:
    """The registry (overseers only) with each unit's coverage in `plan`; UnitFilterSet filters it."""
    require_oversight(user)
    return with_coverage(PartyUnit.objects.select_related("parent"), plan).order_by("kind", "name", "pk")


def units_by_coverage(units: QuerySet, coverage: str, plan) -> QuerySet:
    """Units covered / not covered though in scope / out of `plan`'s scope (units annotated by with_coverage)."""
    # Covered and uncovered units are among the plan's own few hundred: the `pk__in` lets the database
    # start from those rather than test every unit of the registry (43,000 at province scale).
    if coverage == "covered":
        units = units.filter(covered=True)
        if plan is not None:
            units = units.filter(pk__in=covered_unit_ids(plan))
    elif coverage == "uncovered":
        units = units.filter(covered=False, planned_year__isnull=False)
        if plan is not None:
            units = units.filter(pk__in=PlanUnit.objects.filter(plan=plan).values("unit_id"))
    elif coverage == "out_of_scope":
        units = units.filter(planned_year__isnull=True)
    return units


def townships() -> QuerySet:
    return PartyUnit.objects.filter(kind=UnitKind.TOWNSHIP, is_active=True).order_by("name")


def inspector_search(qs, words: str) -> QuerySet:
    """The people pool's one search (page, export, API): name, home unit or rank."""
    return qs.filter(Q(name__icontains=words) | Q(home_unit__name__icontains=words) | Q(rank__icontains=words))


def inspector_list(*, user) -> QuerySet:
    """The people pool (overseers only); rounds.filtersets.InspectorFilterSet filters it."""
    require_oversight(user)
    people = Inspector.objects.select_related("home_unit", "user").prefetch_related(
        Prefetch("avoidances", queryset=Avoidance.objects.select_related("unit").order_by("unit__name"))
    )
    return people.order_by("name", "pk")


# --- Plans and rounds ---------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet:
    require_oversight(user)
    return Plan.objects.annotate(
        unit_count=Count("scope", distinct=True), round_count=Count("rounds", distinct=True)
    ).order_by("-start_year", "-pk")


def plan_scope(*, plan: Plan) -> QuerySet:
    """The plan's scope, each entry annotated `covered`; rounds.filtersets.ScopeFilterSet filters it."""
    entries = PlanUnit.objects.filter(plan=plan).select_related("unit", "unit__parent")
    entries = entries.annotate(covered=Exists(covering_inspections(plan).filter(unit_id=OuterRef("unit_id"))))
    return entries.order_by("planned_year", "unit__kind", "unit__name")


def round_list(*, user) -> QuerySet:
    """Every round (overseers only); rounds.filtersets.RoundFilterSet filters it."""
    require_oversight(user)
    rounds = Round.objects.select_related("plan").annotate(
        group_count=Count("groups", distinct=True), inspection_count=Count("inspections", distinct=True)
    )
    return rounds.order_by("-year", "-number", "-pk")


def group_get(*, user, pk: int) -> InspectionGroup:
    """A group page: office, leadership and the group's own members; other groups answer 404."""
    group = InspectionGroup.objects.visible_to(user).select_related("round", "round__plan").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def group_memberships(group: InspectionGroup) -> QuerySet:
    return group.memberships.select_related("inspector", "inspector__home_unit", "inspector__user").order_by(
        "role", "inspector__name"
    )


# --- 回避: the one definition -------------------------------------------------------------------------


def avoids(units) -> Q:
    """回避, written once: a Q on Inspector — the person must not inspect `units` (a list or queryset of unit ids,
    or one unit id / OuterRef): their home unit always, and every unit they declared."""
    lookup = "in" if isinstance(units, list | tuple | set | frozenset | QuerySet) else "exact"
    return Q(**{f"home_unit_id__{lookup}": units}) | Q(**{f"avoidances__unit_id__{lookup}": units})


def avoided_units(inspector: Inspector) -> QuerySet:
    """The ids of the units `inspector` must not inspect."""
    person = Inspector.objects.filter(avoids(OuterRef("pk")), pk=inspector.pk)
    return PartyUnit.objects.filter(Exists(person)).values_list("pk", flat=True)


def withdrawable() -> Q:
    """An inspection a group may be withdrawn from (撤销): not yet entered (准备), and nothing drafted on it."""
    from findings.models import Finding

    return Q(stage=Stage.PREPARATION) & ~Q(Exists(Finding.objects.filter(inspection=OuterRef("pk"))))


def group_inspections(group: InspectionGroup) -> QuerySet:
    """A group's inspections for its page, each with `can_withdraw` (the 撤销 button)."""
    return (
        group.inspections.select_related("unit", "unit__parent")
        .annotate(can_withdraw=ExpressionWrapper(withdrawable(), output_field=BooleanField()))
        .order_by("unit__name")
    )


def membership_suggestions(*, group: InspectionGroup, specialty: str = "", limit: int = 20) -> QuerySet:
    """Pool members to propose for `group`: active, with the wanted specialty, in no other group of the
    round (nor this one), and with no 回避 conflict (home unit or declared) with the group's units."""
    group_units = Inspection.objects.filter(group=group).values("unit_id")
    people = (
        Inspector.objects.filter(is_active=True)
        .exclude(memberships__group__round_id=group.round_id)
        .exclude(avoids(group_units))
        .select_related("home_unit")
    )
    if specialty:
        people = people.filter(specialties__icontains=f'"{specialty}"')
    return people.order_by("-in_leader_pool", "name", "pk").distinct()[:limit]


# --- Inspections ------------------------------------------------------------------------------


def inspection_search(qs, words: str) -> QuerySet:
    """The inspections list's one search (page, export, API): the inspected unit's name."""
    return qs.filter(unit__name__icontains=words)


def inspection_list(*, user) -> QuerySet:
    """The inspections a user works on (a group's members) or oversees (office, leadership); filtered by
    rounds.filtersets.InspectionFilterSet."""
    return Inspection.objects.visible_to(user).select_related("unit", "unit__parent", "group", "round")


def inspection_get(*, user, pk: int) -> Inspection:
    inspection = (
        Inspection.objects.visible_to(user)
        .select_related("unit", "unit__parent", "group", "round", "round__plan")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def workable_group_ids(user) -> set[int] | None:
    """Groups whose counters the user may update: None means all (office); leadership gets none."""
    if user.has_perm(PERM_MANAGE):
        return None
    if sees_everything(user):
        return set()
    return set(InspectionGroup.objects.visible_to(user).values_list("pk", flat=True))


def membership_log(group: InspectionGroup, limit: int = 50):
    """Who joined or left the group, when, and on whose decision (memberships are deleted on leaving)."""
    return (
        GroupMembership.history.filter(group_id=group.pk)
        .select_related("history_user", "inspector")
        .order_by("-history_date", "-history_id")[:limit]
    )


_ROUND_WORDS = {"round", "of", "巡察", "轮", "第"}  # words of a round's label itself, in either language
_ROUND_LABEL = re.compile(r"(?:(\d{4})年?)?(?:第?(\d{1,3})轮?)?(?:巡察)?")


def round_label_q(term: str, prefix: str = "") -> Q | None:
    """A word typed to find a round by its label (2026年第9轮巡察, 第9轮, 2026, "Round 9 of 2026"): the
    year and the number it names, or None when it names neither."""
    term = term.strip().lower()
    if term in _ROUND_WORDS:
        return Q(pk__isnull=False)
    match = _ROUND_LABEL.fullmatch(term)
    if not match or not (match[1] or match[2]):
        return None
    q = Q(**{f"{prefix}year": int(match[1])}) if match[1] else Q()
    return q & Q(**{f"{prefix}number": int(match[2])}) if match[2] else q


def plan_name_q(term: str, prefix: str = "") -> Q | None:
    """A word typed to find a round by its plan's name (a county's plan, at province scale), unless the word is
    one of a round's label (2026, 第2轮, 2): every plan's name spans its term (县委2022—2026年…), so "2026" or
    "2" would find every round of the term."""
    if round_label_q(term) is not None:
        return None
    return Q(**{f"{prefix}plan__name__icontains": term})


# --- The inspection page: one place from which everything about an inspection is reachable ------------


def stage_timeline(inspection: Inspection) -> list[dict]:
    """Each stage the inspection reached, when and by whom, read off its history (one query). A stage reached
    outside the workflow (imported or seeded at a later stage) falls back on the date the inspection records
    for it (进驻, 驻点结束, 反馈), with no name."""
    from .workflow import TRANSITIONS

    records = inspection.history.select_related("history_user").order_by("history_date", "history_id")
    timeline, previous = {}, None
    for record in records.only("stage", "history_date", "history_user", "history_change_reason", "history_type"):
        created_later = previous is None and record.history_type == "+" and record.stage != Stage.PREPARATION
        if record.stage != previous and not created_later:
            user = record.history_user
            timeline[record.stage] = {
                "stage": Stage(record.stage),
                "at": record.history_date,
                "who": (user.get_full_name() or user.username) if user else "",
                "reason": record.history_change_reason or "",
            }
        previous = record.stage
    for (_, to), rule in TRANSITIONS.items():
        day = getattr(inspection, rule.sets_date) if rule.sets_date else None
        if to not in timeline and day and inspection.stage >= to:
            timeline[to] = {"stage": Stage(to), "at": day, "who": "", "reason": ""}
    return [timeline[s] for s in sorted(timeline)]


def inspection_workspace(*, user, inspection: Inspection) -> dict:
    """What the inspection page shows of the inspection's work, each part through its own `visible_to` door,
    so a reader never sees (nor counts) what they may not: a fixed number of queries, whatever the rows."""
    from findings.models import Clue, Finding
    from findings.selectors import reads_clues
    from rectification.choices import TaskStatus
    from rectification.models import Feedback, RectificationTask
    from xuncha.rates import rate

    findings = list(
        Finding.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("category__parent", "feedback")
        .order_by("seq")
    )
    clues = None
    if reads_clues(user):
        clues = list(Clue.objects.visible_to(user).filter(inspection=inspection).order_by("created_at", "pk"))
    feedback = Feedback.objects.visible_to(user).filter(inspection=inspection).select_related("given_by").first()
    tasks = list(
        RectificationTask.objects.visible_to(user)
        .filter(finding__inspection=inspection)
        .select_related("finding", "responsible_unit")
        .order_by("finding__seq", "due_date", "pk")
    )
    closed = sum(1 for t in tasks if t.status == TaskStatus.CLOSED)
    states = {}
    for finding in findings:
        states[finding.review_state] = states.get(finding.review_state, 0) + 1
    workspace = {
        "findings": findings,
        "finding_states": [(f.get_review_state_display(), states[f.review_state]) for f in _first_of_each(findings)],
        "clues": clues,
        "feedback": feedback,
        "tasks": tasks,
        "tasks_closed": closed,
        "completion": rate(closed, len(tasks)),
        # 整改通知书 lists the unit's own tasks; it is offered when the reader sees at least one of them.
        "notice": any(t.responsible_unit_id == inspection.unit_id for t in tasks),
        "timeline": stage_timeline(inspection),
    }
    if inspection.follows_id:
        workspace |= lookback_items(user=user, inspection=inspection)
    else:
        workspace["lookbacks"] = list(inspection.lookbacks.visible_to(user).select_related("round", "group"))
    return workspace


def _first_of_each(findings):
    seen = set()
    for finding in findings:
        if finding.review_state not in seen:
            seen.add(finding.review_state)
            yield finding


def lookback_items(*, user, inspection: Inspection) -> dict:
    """A 回头看's checklist: the earlier inspection's fed-back findings, their tasks and this look-back's checks."""
    from findings.models import Finding
    from rectification.models import LookbackCheck, RectificationTask

    earlier = inspection.follows
    findings = list(
        Finding.objects.filter(inspection_id=earlier.pk, feedback__isnull=False)
        .select_related("category__parent")
        .prefetch_related(Prefetch("tasks", queryset=RectificationTask.objects.order_by("due_date", "pk")))
        .order_by("seq")
    )
    checks = {
        c.finding_id: c
        for c in LookbackCheck.objects.filter(inspection=inspection).select_related("checked_by", "task")
    }
    items = [{"finding": f, "tasks": list(f.tasks.all()), "check": checks.get(f.pk)} for f in findings]
    return {
        "earlier": earlier,
        "earlier_visible": Inspection.objects.visible_to(user).filter(pk=earlier.pk).exists(),
        "lookback_items": items,
        "lookback_checked": len(checks),
    }
