"""The REST API (api/): every endpoint × every persona, read with the browser's session (tests/test_api.py reads
them with tokens). A persona without the matching page gets 404 here too; a group's rows never reach the other."""

from django.urls import reverse

from . import EVERYONE, GROUP1, GROUP2, OVERSEERS, Case

GROUPS = GROUP1 | GROUP2
LEADERS = frozenset({"group1_leader", "group2_leader"})
FINDING_READERS = OVERSEERS | GROUPS | {"liaison"}
CLUE_READERS = OVERSEERS | LEADERS | {"jiwei"}
LEDGER = OVERSEERS | GROUPS | {"liaison", "unit_head", "zuzhibu"}


def _list(name):
    return lambda w: reverse(f"api:{name}-list")


def _detail(name, attr):
    def url(w):
        obj = w
        for part in attr.split("."):
            obj = getattr(obj, part)
        return reverse(f"api:{name}-detail", args=[obj.pk])

    return url


CASES = [
    Case("api_units", _list("unit"), OVERSEERS),
    Case("api_plans", _list("plan"), OVERSEERS),
    Case("api_rounds", _list("round"), OVERSEERS | GROUPS),
    Case("api_inspections", _list("inspection"), OVERSEERS | GROUPS),
    Case("api_inspection_g1", _detail("inspection", "g1.inspection"), OVERSEERS | GROUP1),
    Case("api_inspection_g2", _detail("inspection", "g2.inspection"), OVERSEERS | GROUP2),
    Case("api_findings", _list("finding"), FINDING_READERS),
    Case("api_finding_g1", _detail("finding", "g1.finding"), OVERSEERS | GROUP1 | {"liaison"}),
    Case("api_finding_g2", _detail("finding", "g2.finding"), OVERSEERS | GROUP2),
    Case("api_clues", _list("clue"), CLUE_READERS),
    Case("api_clue_g1", _detail("clue", "g1.clue"), OVERSEERS | {"group1_leader", "jiwei"}),
    Case("api_clue_g2", _detail("clue", "g2.clue"), OVERSEERS | {"group2_leader"}),
    Case("api_tasks", _list("task"), LEDGER),
    Case("api_task_g1", _detail("task", "g1.task"), OVERSEERS | GROUP1 | {"liaison", "unit_head"}),
    Case("api_task_g2", _detail("task", "g2.task"), OVERSEERS | GROUP2 | {"zuzhibu"}),
    Case("api_progress", _list("progress"), LEDGER),
    Case("api_reminders", _list("reminder"), EVERYONE - {"nobody"}),
    Case("api_schema", lambda w: reverse("api:schema"), EVERYONE),
    Case("api_swagger", lambda w: reverse("api:swagger"), EVERYONE),
    Case("api_redoc", lambda w: reverse("api:redoc"), EVERYONE),
]
