"""The dashboard's figures as one plain, JSON-ready dict: what the page, the charts and the JSON all show.

A countable figure is `{"n": count, "url": drill-down}`; its URL carries the filters that select
exactly the rows counted (xuncha/dashboard/selectors.py defines both).
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from findings.choices import Disposition, ReceivingBody
from rounds.choices import Stage, UnitKind
from rounds.models import Round
from xuncha.rates import rate

from . import selectors as s

UNCOVERED_SHOWN = 30


def fig(n: int, view: str, **params) -> dict:
    query = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return {"n": n, "url": reverse(f"dashboard:{view}") + (f"?{query}" if query else "")}


def build(scope: s.Scope) -> dict:
    """Every figure of the dashboard for the plan as of today (about ten queries, whatever the data size)."""
    plan, today = scope.plan, scope.today
    return {
        "plan": {"id": plan.pk, "name": plan.name, "start_year": plan.start_year, "end_year": plan.end_year},
        "today": today.isoformat(),
        "computed_at": timezone.localtime().isoformat(timespec="microseconds"),
        "coverage": _coverage(scope),
        "rounds": _rounds(scope),
        "findings": _findings(scope),
        "clues": _clues(scope),
        "petitions": _petitions(scope),
        "rectification": _rectification(scope),
        "uncovered": _uncovered(scope),
    }


def _coverage(scope: s.Scope) -> dict:
    plan = scope.plan
    rows = s.coverage_counts(plan)
    by_kind, by_year = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for row in rows:
        for bucket in (by_kind[row["unit__kind"]], by_year[row["planned_year"]]):
            bucket[0] += row["total"]
            bucket[1] += row["covered"]
    total = sum(r["total"] for r in rows)
    covered = sum(r["covered"] for r in rows)
    milestone = s.milestone_for(plan, scope.today.year)
    return {
        "overall": {
            "total": fig(total, "units"),
            "covered": fig(covered, "units", covered=1),
            "uncovered": fig(total - covered, "units", covered=0),
            "rate": rate(covered, total),
        },
        "milestone": {
            "year": milestone.year if milestone else scope.today.year,
            "target": float(milestone.target_rate) if milestone else None,
        },
        "by_kind": [
            {
                "kind": kind.value,
                "label": str(kind.label),
                "total": fig(by_kind[kind][0], "units", kind=kind.value),
                "covered": fig(by_kind[kind][1], "units", kind=kind.value, covered=1),
                "uncovered": fig(by_kind[kind][0] - by_kind[kind][1], "units", kind=kind.value, covered=0),
                "rate": rate(by_kind[kind][1], by_kind[kind][0]),
            }
            for kind in UnitKind
            if kind in by_kind
        ],
        "by_year": [
            {
                "year": year,
                "planned": fig(by_year[year][0], "units", year=year),
                "covered": fig(by_year[year][1], "units", year=year, covered=1),
                "uncovered": fig(by_year[year][0] - by_year[year][1], "units", year=year, covered=0),
                "rate": rate(by_year[year][1], by_year[year][0]),
            }
            for year in sorted(by_year)
        ],
    }


def _rounds(scope: s.Scope) -> list[dict]:
    rounds: dict[int, dict] = {}
    for row in s.inspections_by_round_and_stage(scope.plan):
        entry = rounds.setdefault(
            row["round_id"],
            {
                "id": row["round_id"],
                "label": Round.label(row["round__year"], row["round__number"]),
                "counts": {},
            },
        )
        entry["counts"][row["stage"]] = row["n"]
    return [
        {
            "id": entry["id"],
            "label": entry["label"],
            "total": fig(sum(entry["counts"].values()), "inspections", round=entry["id"]),
            "stages": [
                {
                    "stage": stage.value,
                    "label": str(stage.label),
                    "n": fig(entry["counts"].get(stage.value, 0), "inspections", round=entry["id"], stage=stage.value),
                }
                for stage in Stage
            ],
        }
        for entry in rounds.values()
    ]


def _findings(scope: s.Scope) -> dict:
    categories = s.category_tree()
    per_node = defaultdict(lambda: [0, 0])  # category id -> [findings, 关键少数], counted at its top two levels
    total = key_minority = 0
    for row in s.findings_by_category(scope.plan):
        total += row["n"]
        key_minority += row["key_minority"]
        for node in s.ancestors(categories, row["category_id"])[:2]:
            per_node[node][0] += row["n"]
            per_node[node][1] += row["key_minority"]

    def node(pk: int) -> dict:
        n, km = per_node[pk]
        return {
            "id": pk,
            "name": categories[pk].name,
            "n": fig(n, "findings", category=pk),
            "key_minority": fig(km, "findings", category=pk, key_minority=1),
        }

    def order(pk: int):
        return (categories[pk].order, categories[pk].code)

    tops = sorted((pk for pk in per_node if categories[pk].parent_id is None), key=order)
    return {
        "total": fig(total, "findings"),
        "key_minority": fig(key_minority, "findings", key_minority=1),
        "categories": [
            {
                **node(top),
                "children": [
                    node(child)
                    for child in sorted((pk for pk in per_node if categories[pk].parent_id == top), key=order)
                ],
            }
            for top in tops
        ],
    }


def _clues(scope: s.Scope) -> dict:
    per_body: dict[str, dict] = defaultdict(lambda: {"n": 0, "overdue": 0, "dispositions": {}})
    for row in s.clues_by_body_and_disposition(scope.plan, scope.today):
        body = per_body[row["receiving_body"]]
        body["n"] += row["n"]
        body["overdue"] += row["overdue"]
        body["dispositions"][row["disposition"] or s.NO_DISPOSITION] = row["n"]
    dispositions = [(s.NO_DISPOSITION, _("待处置"))] + [(d.value, str(d.label)) for d in Disposition]
    return {
        "transferred": fig(sum(b["n"] for b in per_body.values()), "clues"),
        "overdue": fig(sum(b["overdue"] for b in per_body.values()), "clues", overdue=1),
        "dispositions": [{"disposition": value, "label": label} for value, label in dispositions],
        "by_body": [
            {
                "body": body.value,
                "label": str(body.label),
                "n": fig(per_body[body]["n"], "clues", body=body.value),
                "overdue": fig(per_body[body]["overdue"], "clues", body=body.value, overdue=1),
                "dispositions": [
                    {
                        "disposition": value,
                        "label": label,
                        "n": fig(
                            per_body[body]["dispositions"].get(value, 0), "clues", body=body.value, disposition=value
                        ),
                    }
                    for value, label in dispositions
                ],
            }
            for body in ReceivingBody
            if body in per_body
        ],
    }


def _petitions(scope: s.Scope) -> dict:
    """巡察信访 by channel (rows) and by handling status (columns), each count a link to its rows."""
    from findings.choices import PetitionChannel, PetitionStatus

    counts = {(r["channel"], r["status"]): r["n"] for r in s.petitions_by_channel_and_status(scope.plan)}
    by_status = {st: sum(n for (_c, x), n in counts.items() if x == st) for st in PetitionStatus.values}
    return {
        "total": fig(sum(counts.values()), "petitions"),
        "statuses": [{"status": st.value, "label": str(st.label)} for st in PetitionStatus],
        "by_status": [
            {"status": st.value, "label": str(st.label), "n": fig(by_status[st.value], "petitions", status=st.value)}
            for st in PetitionStatus
        ],
        "by_channel": [
            {
                "channel": ch.value,
                "label": str(ch.label),
                "n": fig(sum(n for (c, _x), n in counts.items() if c == ch.value), "petitions", channel=ch.value),
                "statuses": [
                    {
                        "status": st.value,
                        "n": fig(counts.get((ch.value, st.value), 0), "petitions", channel=ch.value, status=st.value),
                    }
                    for st in PetitionStatus
                ],
            }
            for ch in PetitionChannel
        ],
    }


BUCKET_LABELS = {
    "1-30": gettext_lazy("逾期1–30天"),
    "31-90": gettext_lazy("逾期31–90天"),
    "90+": gettext_lazy("逾期90天以上"),
}


def _rectification(scope: s.Scope) -> dict:
    plan, today = scope.plan, scope.today
    rounds = s.tasks_by_round(plan, today)
    units = list(s.tasks_by_unit(plan, today)[: s.TOP_UNITS])
    total = sum(r["total"] for r in rounds)
    closed = sum(r["closed"] for r in rounds)
    return {
        "total": fig(total, "tasks"),
        "closed": fig(closed, "tasks", closed=1),
        "rate": rate(closed, total),
        "overdue": fig(sum(r["overdue"] for r in rounds), "tasks", overdue=1),
        "buckets": [
            {
                "bucket": key,
                "label": str(BUCKET_LABELS[key]),
                "n": fig(sum(r[f"bucket_{key}"] for r in rounds), "tasks", bucket=key),
            }
            for key in s.BUCKETS
        ],
        "by_round": [
            {
                "id": r["round_id"],
                "label": Round.label(r["round_year"], r["round_number"]),
                "total": fig(r["total"], "tasks", round=r["round_id"]),
                "closed": fig(r["closed"], "tasks", round=r["round_id"], closed=1),
                "overdue": fig(r["overdue"], "tasks", round=r["round_id"], overdue=1),
                "rate": rate(r["closed"], r["total"]),
            }
            for r in rounds
        ],
        "by_unit": [unit_row(u) for u in units],
        "all_units_url": reverse("dashboard:unit_rectification"),
    }


def unit_row(u: dict) -> dict:
    """One unit's rectification figures (the dashboard's top units and the all-units list share it)."""
    pk = u["responsible_unit_id"]
    return {
        "id": pk,
        "name": u["responsible_unit__name"],
        "total": fig(u["total"], "tasks", unit=pk),
        "closed": fig(u["closed"], "tasks", unit=pk, closed=1),
        "overdue": fig(u["overdue"], "tasks", unit=pk, overdue=1),
        "rate": rate(u["closed"], u["total"]),
    }


def _uncovered(scope: s.Scope) -> dict:
    rows = s.uncovered_units(scope.plan, UNCOVERED_SHOWN)
    return {
        "shown": [
            {
                "id": pu.unit_id,
                "name": pu.unit.name,
                "kind": pu.unit.get_kind_display(),
                "parent": pu.unit.parent.name if pu.unit.parent_id else "",
                "planned_year": pu.planned_year,
            }
            for pu in rows
        ],
        "limit": UNCOVERED_SHOWN,
    }
