"""The dashboard's row sets and aggregates, each defined once.

Every figure on the dashboard is a conditional count over one of the row sets below, and every
drill-down list is the same row set narrowed by the same filter functions — so a figure always
equals the number of rows its link shows. Definitions: README, "coverage, exactly".
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from findings.choices import ClueStatus, ReviewState
from findings.managers import clue_overdue_q  # the one definition
from findings.models import Clue, Finding, FindingCategory
from rectification.choices import TaskStatus
from rectification.managers import overdue_q  # the one definition
from rectification.models import RectificationTask
from rounds.models import Inspection, Milestone, Plan, PlanUnit, Round
from rounds.selectors import covering_inspections  # the one definition

# Overdue ageing, in whole days past the due date (a task due today is not overdue).
BUCKETS = {"1-30": (1, 30), "31-90": (31, 90), "90+": (91, None)}
NO_DISPOSITION = "none"  # a transferred clue whose receiving body has not yet recorded a disposition
TOP_UNITS = 20


@dataclass(frozen=True)
class Scope:
    """What the dashboard looks at: one plan, as of one day (Asia/Shanghai)."""

    plan: Plan
    today: date


def in_plan(plan: Plan, round_path: str) -> Q:
    """Rows whose round (reached through `round_path`) belongs to the plan.

    When no other plan has rounds, every row qualifies: the condition is dropped, which spares the
    joins up to the round table on millions of rows without changing any result."""
    alone = getattr(plan, "_dashboard_alone", None)
    if alone is None:
        alone = plan._dashboard_alone = not Round.objects.exclude(plan=plan).exists()
    return Q() if alone else Q(**{f"{round_path}__plan": plan})


# --- Coverage ---------------------------------------------------------------------------------


def _is_covered(plan: Plan) -> Exists:
    return Exists(covering_inspections(plan).filter(unit_id=OuterRef("unit_id")))


def plan_units(plan: Plan, *, covered: bool | None = None, kind: str = "", year: int | None = None) -> QuerySet:
    """The plan's scope (PlanUnit rows), each annotated `covered`, narrowed by the drill-down filters."""
    qs = PlanUnit.objects.filter(plan=plan).annotate(covered=_is_covered(plan))
    if covered is not None:
        qs = qs.filter(covered=covered)
    if kind:
        qs = qs.filter(unit__kind=kind)
    if year is not None:
        qs = qs.filter(planned_year=year)
    return qs


def coverage_counts(plan: Plan) -> list[dict]:
    """One row per (unit kind, planned year): units in scope and how many are covered. One query."""
    return list(
        PlanUnit.objects.filter(plan=plan)
        .values("unit__kind", "planned_year")
        .annotate(total=Count("pk"), covered=Count("pk", filter=_is_covered(plan)))
        .order_by("unit__kind", "planned_year")
    )


def milestone_for(plan: Plan, year: int) -> Milestone | None:
    """The milestone in force: a rate is due by the end of its year, so a year without one works to the
    next; past the last (the term over), the last one, the term's own target."""
    milestones = Milestone.objects.filter(plan=plan)
    return milestones.filter(year__gte=year).order_by("year").first() or milestones.order_by("-year").first()


def uncovered_units(plan: Plan, limit: int) -> list[PlanUnit]:
    """The first uncovered units of the scope, by planned year (the rest are one click away)."""
    return list(
        plan_units(plan, covered=False).select_related("unit", "unit__parent").order_by("planned_year", "pk")[:limit]
    )


# --- Rounds -----------------------------------------------------------------------------------


def plan_inspections(plan: Plan, *, round_id: int | None = None, stage: int | None = None) -> QuerySet:
    qs = Inspection.objects.filter(in_plan(plan, "round"))
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs


def inspections_by_round_and_stage(plan: Plan) -> list[dict]:
    return list(
        plan_inspections(plan)
        .values("round_id", "round__number", "round__year", "stage")
        .annotate(n=Count("pk"))
        .order_by("-round__year", "-round__number", "stage")
    )


# --- Findings ---------------------------------------------------------------------------------


def category_tree() -> dict[int, FindingCategory]:
    return {c.pk: c for c in FindingCategory.objects.only("pk", "name", "parent_id", "code", "order")}


def subtree_ids(categories: dict[int, FindingCategory], root_id: int) -> set[int]:
    """The category and every category below it."""
    ids, frontier = {root_id}, {root_id}
    while frontier:
        frontier = {c.pk for c in categories.values() if c.parent_id in frontier} - ids
        ids |= frontier
    return ids


def ancestors(categories: dict[int, FindingCategory], category_id: int) -> list[int]:
    """From the top of the tree down to the category itself."""
    chain = []
    while category_id is not None and category_id not in chain:
        chain.append(category_id)
        category_id = categories[category_id].parent_id
    return chain[::-1]


def plan_findings(plan: Plan, *, category_ids: set[int] | None = None, key_minority: bool | None = None) -> QuerySet:
    """Findings of the plan's rounds that the group reported (已报告): drafts under review are not yet problems."""
    qs = Finding.objects.filter(in_plan(plan, "inspection__round"), review_state=ReviewState.REPORTED)
    if category_ids is not None:
        qs = qs.filter(category_id__in=category_ids)
    if key_minority is not None:
        qs = qs.filter(key_minority=key_minority)
    return qs


def findings_by_category(plan: Plan) -> list[dict]:
    return list(
        plan_findings(plan)
        .values("category_id")
        .annotate(n=Count("pk"), key_minority=Count("pk", filter=Q(key_minority=True)))
        .order_by("category_id")
    )


# --- Clues ------------------------------------------------------------------------------------


def plan_clues(
    plan: Plan, today: date, *, body: str = "", disposition: str = "", overdue: bool | None = None
) -> QuerySet:
    """Clues of the plan's rounds that were transferred (已移交 or 已反馈)."""
    qs = Clue.objects.filter(in_plan(plan, "inspection__round")).exclude(status=ClueStatus.DRAFT)
    if body:
        qs = qs.filter(receiving_body=body)
    if disposition:
        qs = qs.filter(disposition="" if disposition == NO_DISPOSITION else disposition)
    if overdue is not None:
        qs = qs.filter(clue_overdue_q(today)) if overdue else qs.exclude(clue_overdue_q(today))
    return qs


def clues_by_body_and_disposition(plan: Plan, today: date) -> list[dict]:
    return list(
        plan_clues(plan, today)
        .values("receiving_body", "disposition")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=clue_overdue_q(today)))
        .order_by("receiving_body", "disposition")
    )


# --- Petitions (巡察信访) -------------------------------------------------------------------------
def plan_petitions(plan: Plan, *, channel: str = "", status: str = "") -> QuerySet:
    """Petitions of the plan's inspections, and the office's county-wide ones received in the plan's term."""
    from findings.models import Petition

    inspected = Q(inspection__isnull=False) & in_plan(plan, "inspection__round")
    county = Q(
        inspection__isnull=True, received_date__year__gte=plan.start_year, received_date__year__lte=plan.end_year
    )
    qs = Petition.objects.filter(inspected | county)
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    return qs


def petitions_by_channel_and_status(plan: Plan) -> list[dict]:
    return list(plan_petitions(plan).values("channel", "status").annotate(n=Count("pk")).order_by("channel", "status"))


# --- Rectification ----------------------------------------------------------------------------


def bucket_q(today: date, bucket: str) -> Q:
    low, high = BUCKETS[bucket]
    q = overdue_q(today) & Q(due_date__lte=today - timedelta(days=low))
    if high is not None:
        q &= Q(due_date__gte=today - timedelta(days=high))
    return q


def plan_tasks(
    plan: Plan,
    today: date,
    *,
    round_id: int | None = None,
    unit_id: int | None = None,
    closed: bool | None = None,
    overdue: bool | None = None,
    bucket: str = "",
) -> QuerySet:
    """Rectification tasks of the findings of the plan's rounds."""
    # The task's own copy of its finding's round. An upper-level visit's task has none and is in no round's
    # counts: `round IS NOT NULL` holds it out even when in_plan drops its condition (a column test, no join).
    qs = RectificationTask.objects.filter(in_plan(plan, "round"), round__isnull=False)
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if unit_id is not None:
        qs = qs.filter(responsible_unit_id=unit_id)
    if closed is not None:
        qs = qs.filter(status=TaskStatus.CLOSED) if closed else qs.exclude(status=TaskStatus.CLOSED)
    if overdue is not None:
        qs = qs.filter(overdue_q(today)) if overdue else qs.exclude(overdue_q(today))
    if bucket:
        qs = qs.filter(bucket_q(today, bucket))
    return qs


def _task_counts(today: date) -> dict:
    return {
        "total": Count("pk"),
        "closed": Count("pk", filter=Q(status=TaskStatus.CLOSED)),
        "overdue": Count("pk", filter=overdue_q(today)),
    }


def tasks_by_round(plan: Plan, today: date) -> list[dict]:
    """Per round: all, 已销号, overdue, and overdue by ageing bucket. The overall figures are their sums."""
    buckets = {f"bucket_{key}": Count("pk", filter=bucket_q(today, key)) for key in BUCKETS}
    return list(
        plan_tasks(plan, today)
        .values("round_id", round_number=F("round__number"), round_year=F("round__year"))
        .annotate(**_task_counts(today), **buckets)
        .order_by("-round_year", "-round_number")
    )


def tasks_by_unit(plan: Plan, today: date) -> QuerySet:
    """Per responsible unit: all, 已销号, overdue; most overdue first. Slice it: there may be thousands."""
    return (
        plan_tasks(plan, today)
        .values("responsible_unit_id", "responsible_unit__name")
        .annotate(**_task_counts(today))
        .order_by("-overdue", "-total", "responsible_unit__name")
    )
