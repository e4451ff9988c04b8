"""Reads for the 巡察报告 and the round's 综合报告: what they are drafted from, each starting from `visible_to`."""

from itertools import groupby

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from rounds.choices import UnitKind
from rounds.models import Inspection, Round
from rounds.services import COUNTER_FIELDS
from xuncha.roles import require_oversight

from .choices import ClueStatus, ReceivingBody, ReviewState
from .models import Clue, CommonProblem, Finding, FindingCategory, InspectionReport, RoundReport
from .selectors import reads_clues

NUMERALS = "一二三四五六七八九十"


def numeral(i: int) -> str:
    """一, 二, 三 … in Chinese (as official documents number their parts); 1, 2, 3 … in any other language."""
    if not (get_language() or "zh").startswith("zh"):
        return str(i + 1)
    return NUMERALS[i] if i < len(NUMERALS) else str(i + 1)


def report_get(*, user, pk) -> InspectionReport:
    qs = InspectionReport.objects.visible_to(user).select_related(
        "inspection__group", "inspection__unit", "inspection__round", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def report_list(*, user):
    return (
        InspectionReport.objects.visible_to(user)
        .select_related("inspection__group", "inspection__unit", "inspection__round")
        .order_by("-inspection__round__year", "-inspection__round__number", "inspection__group_id", "pk")
    )


def report_steps(report: InspectionReport):
    return report.steps.select_related("actor")


def report_facts(*, user, inspection: Inspection) -> dict:
    """The reported findings by category, 关键少数, clue counts (None for whoever may not see clues), counters."""
    findings = (
        Finding.objects.visible_to(user)
        .filter(inspection=inspection, review_state=ReviewState.REPORTED)
        .select_related("category__parent")
        .order_by("category__code", "seq")
    )
    categories = []
    for index, (category, items) in enumerate(groupby(findings, key=lambda f: f.category)):
        items = list(items)
        categories.append(
            {
                "numeral": numeral(index),
                "name": str(category),
                "count": len(items),
                "key_minority": sum(f.key_minority for f in items),
                "findings": items,
            }
        )
    clues = None
    if reads_clues(user):
        counts = (
            Clue.objects.visible_to(user)
            .filter(inspection=inspection)
            .values("receiving_body")
            .annotate(n=Count("pk"))
            .order_by("receiving_body")
        )
        by_body = [{"body": ReceivingBody(row["receiving_body"]).label, "count": row["n"]} for row in counts]
        clues = {"total": sum(b["count"] for b in by_body), "by_body": by_body}
    return {
        "categories": categories,
        "findings": sum(c["count"] for c in categories),
        "key_minority": sum(c["key_minority"] for c in categories),
        "clues": clues,
        "counters": [(Inspection._meta.get_field(f).verbose_name, getattr(inspection, f)) for f in COUNTER_FIELDS],
    }


# --- The round's 综合报告 -----------------------------------------------------------------------
def round_get(*, user, pk) -> Round:
    """The round of a 综合报告: office and leadership only; anyone else gets 404."""
    require_oversight(user)
    return get_object_or_404(Round.objects.select_related("plan"), pk=pk)


def round_report_of(round_: Round) -> RoundReport | None:
    return RoundReport.objects.filter(round=round_).select_related("submitted_by", "approved_by").first()


def round_inspections(round_: Round):
    """Every inspection of the round with its report's state and its reported findings, for the leadership."""
    reported = Q(findings__review_state=ReviewState.REPORTED)
    return (
        Inspection.objects.filter(round=round_)
        .select_related("group", "unit", "report")
        .annotate(
            reported=Count("findings", filter=reported),
            key_minority=Count("findings", filter=reported & Q(findings__key_minority=True)),
        )
        .order_by("group_id", "unit__name")
    )


def round_facts(*, round_: Round, report: RoundReport | None) -> dict:
    """The 综合报告's figures, computed in the database: by category, by unit kind, clues by body, 普遍性问题."""
    reported = Finding.objects.filter(inspection__round=round_, review_state=ReviewState.REPORTED)
    by_category = list(
        reported.values("category_id", "category__code")
        .annotate(
            count=Count("pk"),
            units=Count("inspection__unit", distinct=True),
            key_minority=Count("pk", filter=Q(key_minority=True)),
        )
        .order_by("category__code")
    )
    names = {c.pk: str(c) for c in FindingCategory.objects.filter(pk__in=[r["category_id"] for r in by_category])}
    for row in by_category:
        row["name"] = names[row["category_id"]]
    inspected = dict(
        Inspection.objects.filter(round=round_)
        .values("unit__kind")
        .annotate(n=Count("pk"))
        .values_list("unit__kind", "n")
    )
    found = {
        row["inspection__unit__kind"]: row
        for row in reported.values("inspection__unit__kind").annotate(
            count=Count("pk"), key_minority=Count("pk", filter=Q(key_minority=True))
        )
    }
    by_unit_kind = [
        {
            "kind": kind.label,
            "inspections": inspected.get(kind.value, 0),
            "count": found.get(kind.value, {}).get("count", 0),
            "key_minority": found.get(kind.value, {}).get("key_minority", 0),
        }
        for kind in UnitKind
        if inspected.get(kind.value)
    ]
    clues = (
        Clue.objects.filter(inspection__round=round_)
        .values("receiving_body")
        .annotate(
            count=Count("pk"),
            transferred=Count("pk", filter=~Q(status=ClueStatus.DRAFT)),
            answered=Count("pk", filter=Q(status=ClueStatus.ANSWERED)),
        )
        .order_by("receiving_body")
    )
    clues_by_body = [{**row, "body": ReceivingBody(row["receiving_body"]).label} for row in clues]
    common = []
    if report is not None:
        marked = CommonProblem.objects.filter(report=report).select_related("category__parent", "marked_by")
        units = {}
        for category_id, unit in (
            reported.filter(category__in=[m.category_id for m in marked])
            .values_list("category_id", "inspection__unit__name")
            .distinct()
            .order_by("inspection__unit__name")
        ):
            units.setdefault(category_id, []).append(unit)
        common = [{"problem": m, "units": units.get(m.category_id, [])} for m in marked]
    return {
        "by_category": by_category,
        "by_unit_kind": by_unit_kind,
        "findings": sum(r["count"] for r in by_category),
        "key_minority": sum(r["key_minority"] for r in by_category),
        "clues_by_body": clues_by_body,
        "clues": sum(r["count"] for r in clues_by_body),
        "common": common,
    }
