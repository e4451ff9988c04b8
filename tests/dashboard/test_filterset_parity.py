"""Each drill-down's filters are declared once (its FilterSet): the page and its export hold the same rows."""

import pytest
from django.urls import reverse

from xuncha.exports import engine

from .test_exactness import build_rich

CASES = [
    ("units", {"covered": "0"}),
    ("units", {"covered": "1", "kind": ""}),
    ("inspections", {"stage": "1"}),
    ("inspections", {}),
    ("findings", {"key_minority": "1"}),
    ("findings", {}),
    ("clues", {"overdue": "0"}),
    ("clues", {}),
    ("petitions", {}),
    ("tasks", {"overdue": "1"}),
    ("tasks", {"closed": "0", "bucket": "1-30"}),
    ("tasks", {}),
]


@pytest.mark.parametrize(("name", "params"), CASES)
def test_the_page_and_its_export_return_the_same_ids(world, login, monkeypatch, name, params):
    build_rich(world)
    exported = []

    def capture(*, queryset, **kwargs):
        exported.extend(row.pk for row in queryset)
        return real(queryset=queryset, **kwargs)

    real = engine.export_xlsx
    monkeypatch.setattr(engine, "export_xlsx", capture)
    client = login(world.users["leadership"])
    page = client.get(reverse(f"dashboard:{name}"), {**params, "per": "100"})
    shown = [row.pk for row in page.context["page_obj"].paginator.object_list]
    assert len(shown) <= 100 or pytest.skip("more rows than a page")
    client.get(reverse(f"dashboard:{name}"), {**params, "export": "xlsx"})
    assert sorted(exported) == sorted(shown)
