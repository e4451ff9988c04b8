"""巡察结果运用: the results sheet for cadre evaluation — per inspected unit (one row per inspection fed back) and
per leading official named on it. Figures are counted in the database by grouped queries over the page's
inspections, a fixed number of queries whatever the rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from findings.choices import ClueStatus, Outcome, ReviewState
from findings.models import Clue, CluePerson, Finding, FindingCategory
from rounds.models import Inspection
from xuncha.rates import rate as percent
from xuncha.roles import Role, roles_of, sees_everything

from .after_models import timeliness_expression
from .choices import AccountabilityForm, OfficialRole, SupervisingBody, TaskStatus, Timeliness
from .managers import overdue_q
from .models import (
    Accountability,
    Assessment,
    InspectionOfficial,
    RectificationOutcome,
    RectificationTask,
    UnitDocument,
)
from .scopes import supervised_q, supervision


def reads_results(user) -> bool:
    """Office, leadership and 组织部's supervising liaisons (cadre evaluation) read the results sheet."""
    if sees_everything(user):
        return True
    if Role.SUPERVISING_LIAISON not in roles_of(user):
        return False
    row = supervision(user)
    return row is not None and row.body == SupervisingBody.ORGANISATION


def inspections_for_results(*, user):
    """The inspections on the sheet: fed back, within what the user may read (after_filtersets.ResultsFilterSet
    filters them by term, round and unit kind)."""
    qs = Inspection.objects.filter(feedback__isnull=False).select_related("round", "unit", "group")
    if not sees_everything(user):
        supervised = supervised_q(user, "unit")
        qs = qs.filter(supervised) if supervised is not None and reads_results(user) else qs.none()
    return qs.order_by("-round__year", "-round__number", "unit__kind", "unit__name", "pk")


@dataclass
class UnitRow:
    inspection: Inspection
    by_category: dict = field(default_factory=dict)  # top-level category id → reported findings
    findings: int = 0
    key_minority: int = 0
    clues: int = 0
    clue_outcomes: dict = field(default_factory=dict)  # Outcome value → n
    tasks: int = 0
    closed: int = 0
    overdue: int = 0
    documents: dict = field(default_factory=dict)  # Timeliness value → n
    grade: str = ""
    score: Decimal | None = None
    accountability: dict = field(default_factory=dict)  # AccountabilityForm value → n
    rules: int = 0
    funds: Decimal = Decimal("0")

    @property
    def unit(self):
        return self.inspection.unit

    @property
    def rate(self):
        return percent(self.closed, self.tasks)

    @property
    def on_time(self) -> int:
        return self.documents.get(Timeliness.ON_TIME, 0)

    @property
    def documents_due(self) -> int:
        """Documents whose due date has come (on time, late or missing): what "on time" is out of."""
        return sum(n for t, n in self.documents.items() if t != Timeliness.NOT_DUE)

    def clue_outcomes_text(self) -> str:
        return _labelled(self.clue_outcomes, Outcome)

    def accountability_text(self) -> str:
        return _labelled(self.accountability, AccountabilityForm)

    def grade_label(self) -> str:
        from .choices import Grade

        return str(Grade(self.grade).label) if self.grade else ""


@dataclass
class OfficialRow:
    official: InspectionOfficial
    unit_row: UnitRow
    key_minority: int | None  # the unit's 关键少数 findings, for its 一把手
    clues: int = 0
    clue_outcomes: dict = field(default_factory=dict)
    accountability: list = field(default_factory=list)  # (form value, date)

    def clue_outcomes_text(self) -> str:
        return _labelled(self.clue_outcomes, Outcome)

    def accountability_text(self) -> str:
        labels = dict(AccountabilityForm.choices)
        return "、".join(f"{labels[f]}（{d:%Y-%m-%d}）" for f, d in self.accountability)


def _labelled(counts: dict, choices) -> str:
    labels = dict(choices.choices)
    return "、".join(f"{labels.get(k, k)} {n}" for k, n in counts.items() if n)


def top_categories():
    return list(FindingCategory.objects.filter(parent__isnull=True).order_by("code"))


def unit_rows(inspections, *, today) -> list[UnitRow]:
    """The figures of each inspection on the page (a list of Inspection), one grouped query per figure."""
    rows = {i.pk: UnitRow(inspection=i) for i in inspections}
    ids = list(rows)
    if not ids:
        return []
    reported = Finding.objects.filter(inspection_id__in=ids, review_state=ReviewState.REPORTED)
    for r in reported.values("inspection_id", "category__parent_id", "category_id").annotate(n=Count("pk")):
        row = rows[r["inspection_id"]]
        top = r["category__parent_id"] or r["category_id"]
        row.by_category[top] = row.by_category.get(top, 0) + r["n"]
        row.findings += r["n"]
    for r in reported.filter(key_minority=True).values("inspection_id").annotate(n=Count("pk")):
        rows[r["inspection_id"]].key_minority = r["n"]
    clues = Clue.objects.filter(inspection_id__in=ids).exclude(status=ClueStatus.DRAFT)
    for r in clues.values("inspection_id", "outcome").annotate(n=Count("pk")):
        row = rows[r["inspection_id"]]
        row.clues += r["n"]
        if r["outcome"]:
            row.clue_outcomes[r["outcome"]] = r["n"]
    tasks = RectificationTask.objects.filter(finding__inspection_id__in=ids)
    for r in tasks.values("finding__inspection_id").annotate(
        n=Count("pk"),
        closed=Count("pk", filter=Q(status=TaskStatus.CLOSED)),
        overdue=Count("pk", filter=overdue_q(today)),
    ):
        row = rows[r["finding__inspection_id"]]
        row.tasks, row.closed, row.overdue = r["n"], r["closed"], r["overdue"]
    docs = UnitDocument.objects.filter(inspection_id__in=ids).annotate(t=timeliness_expression(today))
    for r in docs.values("inspection_id", "t").annotate(n=Count("pk")):
        rows[r["inspection_id"]].documents[r["t"]] = r["n"]
    for a in Assessment.objects.filter(inspection_id__in=ids).values("inspection_id", "grade", "score"):
        rows[a["inspection_id"]].grade, rows[a["inspection_id"]].score = a["grade"], a["score"]
    for r in (
        Accountability.objects.filter(inspection_id__in=ids).values("inspection_id", "form").annotate(n=Count("pk"))
    ):
        rows[r["inspection_id"]].accountability[r["form"]] = r["n"]
    for r in (
        RectificationOutcome.objects.filter(inspection_id__in=ids)
        .values("inspection_id")
        .annotate(rules=Coalesce(Sum("rules_count"), 0), funds=Coalesce(Sum("funds_recovered"), Decimal("0")))
    ):
        rows[r["inspection_id"]].rules, rows[r["inspection_id"]].funds = r["rules"], r["funds"]
    return [rows[i] for i in ids]


def official_rows(unit_rows_: list[UnitRow]) -> list[OfficialRow]:
    """Each leading official named on these inspections: the clues naming them (by name, on the same inspection),
    the 问责 taken against them (linked to them, or by name), the unit's figures alongside."""
    by_inspection = {r.inspection.pk: r for r in unit_rows_}
    officials = list(
        InspectionOfficial.objects.filter(inspection_id__in=by_inspection).order_by("inspection_id", "role", "pk")
    )
    if not officials:
        return []
    names = {o.name for o in officials}
    clue_hits = defaultdict(lambda: defaultdict(int))
    people = (
        CluePerson.objects.filter(clue__inspection_id__in=by_inspection, name__in=names)
        .exclude(clue__status=ClueStatus.DRAFT)
        .values_list("clue__inspection_id", "name", "clue_id", "clue__outcome")
        .distinct()
    )
    for inspection_id, name, _clue, outcome in people:
        clue_hits[(inspection_id, name)]["__n__"] += 1
        if outcome:
            clue_hits[(inspection_id, name)][outcome] += 1
    taken = defaultdict(list)
    for a in Accountability.objects.filter(inspection_id__in=by_inspection).order_by("date", "pk"):
        taken[(a.inspection_id, a.official_id or a.person)].append((a.form, a.date))
    rows = []
    for o in officials:
        hits = dict(clue_hits.get((o.inspection_id, o.name), {}))
        n = hits.pop("__n__", 0)
        unit_row = by_inspection[o.inspection_id]
        rows.append(
            OfficialRow(
                official=o,
                unit_row=unit_row,
                key_minority=unit_row.key_minority if o.role == OfficialRole.HEAD else None,
                clues=n,
                clue_outcomes=hits,
                accountability=sorted(
                    taken.get((o.inspection_id, o.pk), []) + taken.get((o.inspection_id, o.name), []),
                    key=lambda x: x[1],
                ),
            )
        )
    return rows
