"""The dashboard, its JSON and every drill-down: office and leadership only; everyone else 404."""

from django.urls import reverse

from . import OVERSEERS, Case


def _url(name, query=""):
    return lambda w: reverse(f"dashboard:{name}") + query


CASES = [
    Case("dashboard", _url("index"), OVERSEERS),
    Case("dashboard-json", _url("data"), OVERSEERS),
    Case("dashboard-units", _url("units", "?covered=0"), OVERSEERS),
    Case("dashboard-inspections", _url("inspections", "?stage=4"), OVERSEERS),
    Case("dashboard-findings", _url("findings", "?key_minority=0"), OVERSEERS),
    Case("dashboard-clues", _url("clues", "?overdue=0"), OVERSEERS),
    Case("dashboard-tasks", lambda w: reverse("dashboard:tasks") + f"?unit={w.units.finance.pk}", OVERSEERS),
    Case("dashboard-unit-rectification", _url("unit_rectification"), OVERSEERS),
    Case("dashboard-petitions", _url("petitions", "?channel=letter&status=received"), OVERSEERS),
]
